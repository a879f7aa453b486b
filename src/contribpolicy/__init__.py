"""contribpolicy: resident contribution plans as versioned YAML policies, evaluated exactly.

The public surface is this module's ``__all__``; everything else may change between releases.
"""

from contribpolicy.checks import Finding, check_policy
from contribpolicy.columnar import evaluate_table
from contribpolicy.errors import (
    ContribPolicyError,
    InputError,
    Location,
    PluginError,
    PolicyError,
    PolicyIssue,
    ReadOnlyError,
    RegistryError,
    UnknownRuleKindError,
)
from contribpolicy.format._yaml import Limits
from contribpolicy.format.loader import load_policy, loads_policy
from contribpolicy.format.registry import Registry, default_registry
from contribpolicy.model.cover import Cover, CoverReason
from contribpolicy.model.parts import Rule, Scheme
from contribpolicy.model.payment import Payment
from contribpolicy.model.person import Person
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import (
    Assessment,
    Receipt,
    SchemeAssessment,
    Status,
    TraceEntry,
)
from contribpolicy.support.version import VERSION

__version__ = VERSION

__all__ = [
    "Assessment",
    "ContribPolicyError",
    "Cover",
    "CoverReason",
    "Finding",
    "InputError",
    "Limits",
    "Location",
    "Payment",
    "Person",
    "PluginError",
    "Policy",
    "PolicyError",
    "PolicyIssue",
    "ReadOnlyError",
    "Receipt",
    "Registry",
    "RegistryError",
    "Rule",
    "Scheme",
    "SchemeAssessment",
    "Status",
    "TraceEntry",
    "UnknownRuleKindError",
    "__version__",
    "check_policy",
    "default_registry",
    "evaluate_table",
    "load_policy",
    "loads_policy",
]
