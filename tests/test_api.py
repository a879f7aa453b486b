"""The public surface: exported names, version, JSON form of an assessment, shipped files."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib.metadata import version
from importlib.resources import files
from typing import Any

import contribpolicy
from _policy_edit import POLICY_TEXT
from contribpolicy import Policy

ORDINARY: dict[str, Any] = {
    "person_id": "p1",
    "birth_date": "1980-05-01",
    "residence": "local",
    "pension_tier": 500,
}


def test_all_is_pinned() -> None:
    """The public names are exactly these; adding or removing one is a deliberate change."""
    assert contribpolicy.__all__ == [
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


def test_all_names_exist() -> None:
    """Every name in __all__ is an attribute of the package."""
    for name in contribpolicy.__all__:
        assert hasattr(contribpolicy, name), name


def test_version_is_the_installed_version() -> None:
    """__version__ is the installed distribution's version string."""
    assert isinstance(contribpolicy.__version__, str)
    assert contribpolicy.__version__ == version("contribpolicy")


def test_exception_tree() -> None:
    """Every error derives from ContribPolicyError and from the builtin it is."""
    assert issubclass(contribpolicy.PolicyError, ValueError)
    assert issubclass(contribpolicy.InputError, ValueError)
    assert issubclass(contribpolicy.RegistryError, ValueError)
    assert issubclass(contribpolicy.UnknownRuleKindError, LookupError)
    assert issubclass(contribpolicy.PluginError, RuntimeError)
    assert issubclass(contribpolicy.ReadOnlyError, TypeError)
    for error in (
        contribpolicy.ReadOnlyError,
        contribpolicy.PolicyError,
        contribpolicy.InputError,
        contribpolicy.RegistryError,
        contribpolicy.UnknownRuleKindError,
        contribpolicy.PluginError,
    ):
        assert issubclass(error, contribpolicy.ContribPolicyError)


def test_loads_policy_from_text(policy_2025: Policy) -> None:
    """loads_policy reads the same policy from text, with the same content hash."""
    policy = contribpolicy.loads_policy(POLICY_TEXT, file="2025.yaml")
    assert policy.content_hash == policy_2025.content_hash
    assert policy.path == "2025.yaml"


def test_to_dict_is_json_with_exact_amounts(policy_2025: Policy) -> None:
    """to_dict() survives json.dumps, with amounts as exact strings such as "400.00"."""
    data = policy_2025.evaluate(ORDINARY).to_dict()
    decoded = json.loads(json.dumps(data, ensure_ascii=False))
    assert decoded == data
    medical = decoded["schemes"]["medical"]
    assert medical["status"] == "eligible"
    assert medical["individual"] == "400.00"
    assert medical["government"] == "670.00"
    assert medical["sponsor"] == "0.00"
    assert medical["total"] == "1070.00"
    assert medical["components"] == {"fiscal": "670.00"}
    pension = decoded["schemes"]["pension"]
    assert (pension["individual"], pension["government"], pension["total"]) == (
        "500.00",
        "60.00",
        "560.00",
    )
    assert decoded["person_id"] == "p1"


def test_to_dict_has_the_receipt(policy_2025: Policy) -> None:
    """to_dict() names the policy, its version and hash, and the library version."""
    receipt = policy_2025.evaluate(ORDINARY).to_dict()["receipt"]
    assert receipt == {
        "policy_id": "shancheng-2025",
        "policy_version": "2025.1",
        "policy_hash": policy_2025.content_hash,
        "library_version": contribpolicy.__version__,
    }
    assert receipt["policy_hash"].startswith("sha256:")


def test_to_dict_has_the_trace(policy_2025: Policy) -> None:
    """Each scheme's trace lists every rule in order, with what it did and where it is written."""
    data = policy_2025.evaluate(ORDINARY).to_dict()
    for name, scheme in policy_2025.schemes.items():
        trace = data["schemes"][name]["trace"]
        assert [entry["rule_id"] for entry in trace] == [rule.id for rule in scheme.rules]
        for entry, rule in zip(trace, scheme.rules, strict=True):
            assert entry["location"] == str(rule.location)
    premium = data["schemes"]["medical"]["trace"][2]
    assert premium["rule_id"] == "medical-premium"
    assert premium["applied"] is True
    assert premium["changes"] == {"individual": "400.00", "fiscal": "670.00"}
    relief = data["schemes"]["medical"]["trace"][3]
    assert relief["applied"] is False
    assert relief["reason"]


def test_to_dict_without_trace(policy_2025: Policy) -> None:
    """to_dict(trace=False) leaves the traces out."""
    data = policy_2025.evaluate(ORDINARY).to_dict(trace=False)
    assert all("trace" not in scheme for scheme in data["schemes"].values())


def test_assessment_amounts_are_decimals(policy_2025: Policy) -> None:
    """The amounts of an assessment are Decimals with the policy's two places."""
    medical = policy_2025.evaluate(ORDINARY)["medical"]
    for amount in (medical.individual, medical.government, medical.sponsor, medical.total):
        assert type(amount) is Decimal
        assert amount.as_tuple().exponent == -2
    assert medical.total == medical.individual + medical.government + medical.sponsor


def test_restricted_choice_is_a_scheme_error(policy_2025: Policy) -> None:
    """A tier this person may not choose is an error on pension; medical is still assessed."""
    result = policy_2025.evaluate({**ORDINARY, "pension_tier": 100})
    pension = result["pension"]
    assert pension.status == "error"
    assert pension.message
    assert (pension.individual, pension.government, pension.total) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert result["medical"].status == "eligible"
    assert result["medical"].individual == Decimal("400.00")
    assert json.loads(json.dumps(result.to_dict()))["schemes"]["pension"]["status"] == "error"


def test_tier_not_offered_is_a_scheme_error(policy_2025: Policy) -> None:
    """A tier the plan does not offer is an error on pension, and the trace says where."""
    result = policy_2025.evaluate({**ORDINARY, "pension_tier": 600})
    pension = result["pension"]
    assert pension.status == "error"
    stopped = [entry for entry in pension.trace if entry.rule_id == "pension-tier"]
    assert stopped[0].applied
    assert result["medical"].status == "eligible"


def test_no_tier_chosen_is_not_paying_on_that_scheme_only(policy_2025: Policy) -> None:
    """A person who chose no pension tier (and has no default) is not_paying on pension only."""
    record = {key: value for key, value in ORDINARY.items() if key != "pension_tier"}
    result = policy_2025.evaluate(record)
    assert result["pension"].status == "not_paying"
    assert result["medical"].status == "eligible"


def test_assessment_is_a_mapping_of_schemes(policy_2025: Policy) -> None:
    """An assessment is indexed by scheme name, in the policy's order."""
    result = policy_2025.evaluate(ORDINARY)
    assert list(result) == ["pension", "medical"]
    assert len(result) == 2
    assert result["medical"].scheme == "medical"


def test_package_ships_py_typed() -> None:
    """The package is marked typed (PEP 561)."""
    assert files("contribpolicy").joinpath("py.typed").is_file()


def test_package_ships_the_schema() -> None:
    """The policy format's JSON Schema ships inside the package, versioned."""
    text = files("contribpolicy").joinpath("schema/policy.schema.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:contribpolicy:policy-format:1"
    assert schema["properties"]["format"] == {
        "const": 1,
        "description": schema["properties"]["format"]["description"],
    }
    assert schema["additionalProperties"] is False
