"""contribpolicy: resident contribution plans as versioned YAML policies, evaluated exactly.

The public surface is this module's ``__all__``; everything else may change between releases.
"""

from importlib.metadata import PackageNotFoundError, version

from ._yaml import Limits
from .checks import Finding, check_policy
from .columnar import evaluate_table
from .errors import (
    ContribPolicyError,
    InputError,
    Location,
    PluginError,
    PolicyError,
    PolicyIssue,
    RegistryError,
    UnknownRuleKindError,
)
from .loader import load_policy, loads_policy
from .model import Policy, Rule, Scheme
from .person import Person
from .registry import Registry, default_registry
from .results import Assessment, Receipt, SchemeAssessment, TraceEntry

try:
    __version__ = version("contribpolicy")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Assessment",
    "ContribPolicyError",
    "Finding",
    "InputError",
    "Limits",
    "Location",
    "Person",
    "PluginError",
    "Policy",
    "PolicyError",
    "PolicyIssue",
    "Receipt",
    "Registry",
    "RegistryError",
    "Rule",
    "Scheme",
    "SchemeAssessment",
    "TraceEntry",
    "UnknownRuleKindError",
    "__version__",
    "check_policy",
    "default_registry",
    "evaluate_table",
    "load_policy",
    "loads_policy",
]
