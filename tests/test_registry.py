"""The registry of rule kinds: built-ins and third-party kinds through entry points, as values."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import attrs
import pytest

import contribpolicy
from _policy_edit import POLICY_TEXT, edit, issues_of, keys, load_text, position
from contribpolicy import PluginError, PolicyError, Registry, RegistryError, UnknownRuleKindError
from contribpolicy.format.registry import ENTRY_POINT_GROUP, default_registry
from contribpolicy.model.facts import Changes, Facts, SchemeState
from contribpolicy.model.protocol import BuildContext, RuleEffect

BUILT_IN_KINDS = frozenset(
    {
        "eligibility",
        "tier_choice",
        "premium_split",
        "tier_subsidy",
        "proxy_payment",
        "relief",
        "sponsorship",
        "referral",
    }
)
OURS = f"contribpolicy {contribpolicy.__version__}"
TESTKIND = "contribpolicy-testkind 1.0.0"
LAST_MEDICAL_RULE = "        amount_from: medical_sponsor\n"


def _with_medical_rule(rule: str, text: str = POLICY_TEXT) -> str:
    """The policy with ``rule`` (YAML lines of one list item) appended to the medical scheme."""
    assert text.endswith(LAST_MEDICAL_RULE), "the medical scheme is no longer last in 2025.yaml"
    return edit((LAST_MEDICAL_RULE, LAST_MEDICAL_RULE + "\n" + rule), text=text)


BONUS_RULE = """\
      - id: medical-bonus
        kind: flat_bonus
        label: 测试用的财政奖励
        cite: 测试
        bonus: 20
"""

ORDINARY = {
    "person_id": "p1",
    "birth_date": "1980-05-01",
    "residence": "local",
    "pension_tier": 500,
}


@attrs.frozen
class _Effect:
    fail: bool = False

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        if self.fail:
            raise ZeroDivisionError("division by zero in a plugin")
        return ()


class _Kind:
    """A minimal local kind; ``build_fails`` / ``apply_fails`` make it misbehave."""

    parameters: Mapping[str, Any] = {"properties": {"size": {"type": "integer"}}}

    def __init__(self, *, build_fails: bool = False, apply_fails: bool = False) -> None:
        self.build_fails = build_fails
        self.apply_fails = apply_fails

    def build(self, params: Mapping[str, Any], context: BuildContext) -> _Effect:
        if self.build_fails:
            raise KeyError("size")
        return _Effect(fail=self.apply_fails)


LOCAL_RULE = """\
      - id: medical-local
        kind: local_kind
        label: 本地规则
        cite: 测试
        size: 3
"""


# --- the default registry -----------------------------------------------------------------------


def test_default_registry_has_built_in_kinds() -> None:
    """The seven built-in kinds are registered, each provided by this package at its version."""
    kinds = default_registry().kinds
    assert kinds.keys() >= BUILT_IN_KINDS
    for name in BUILT_IN_KINDS:
        assert kinds[name].provider == OURS, name
        assert kinds[name].name == name


def test_default_registry_has_third_party_kind() -> None:
    """The test plugin's `flat_bonus` is registered with its own package as provider."""
    kinds = default_registry().kinds
    assert set(kinds) == BUILT_IN_KINDS | {"flat_bonus"}
    assert kinds["flat_bonus"].provider == TESTKIND
    assert default_registry().broken == {}


def test_default_registry_comes_from_entry_points() -> None:
    """Every kind, built-in or not, is the object its entry point names."""
    found = {entry.name: entry for entry in entry_points(group=ENTRY_POINT_GROUP)}
    assert ENTRY_POINT_GROUP == "contribpolicy.rule_kinds"
    assert set(found) == BUILT_IN_KINDS | {"flat_bonus"}
    kinds = default_registry().kinds
    for name, entry in found.items():
        assert kinds[name].kind is entry.load(), name
    assert found["relief"].value == "contribpolicy.rules.relief:KIND"


def test_registry_get_unknown_lists_known_kinds() -> None:
    """Looking up an unknown kind raises UnknownRuleKindError listing the known ones."""
    with pytest.raises(UnknownRuleKindError) as caught:
        default_registry().get("relif")
    assert caught.value.kind == "relif"
    assert f"relief ({OURS})" in caught.value.known
    assert f"flat_bonus ({TESTKIND})" in caught.value.known
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, RegistryError)


# --- a third-party kind in a policy -------------------------------------------------------------


def test_third_party_kind_loads_and_evaluates(tmp_path: Path) -> None:
    """A flat_bonus of 20 in the medical scheme adds to the government part: 670 + 20 = 690."""
    policy = load_text(tmp_path, _with_medical_rule(BONUS_RULE))
    rule = policy.rule("medical-bonus")
    assert (rule.kind, rule.provider) == ("flat_bonus", TESTKIND)
    medical = policy.evaluate(ORDINARY)["medical"]
    assert medical.status == "eligible"
    assert medical.components == {"fiscal": Decimal("670.00"), "bonus": Decimal("20.00")}
    assert medical.individual == Decimal("400.00")
    assert medical.government == Decimal("690.00")
    assert medical.total == Decimal("1090.00")
    assert medical.trace[-1].rule_id == "medical-bonus"
    assert medical.trace[-1].changes == {"bonus": Decimal("20.00")}


def test_third_party_kind_parameters_are_checked(tmp_path: Path) -> None:
    """The plugin's parameter schema applies: a misspelt key of a flat_bonus rule is reported."""
    text = _with_medical_rule(BONUS_RULE.replace("bonus: 20", "bonsu: 20"))
    issues = issues_of(tmp_path, text)
    rule = position(text, "- id: medical-bonus", "id:")
    assert keys(issues) == [
        ("/schemes/medical/rules/7", *rule, "schema.required"),
        ("/schemes/medical/rules/7/bonsu", *position(text, "bonsu"), "schema.unknown-key"),
    ]
    assert "did you mean 'bonus'" in issues[1].message


# --- registries are values ----------------------------------------------------------------------


def test_with_kind_returns_a_new_registry() -> None:
    """`with_kind` returns a new registry and leaves the one it was called on unchanged."""
    empty = Registry()
    one = empty.with_kind("local_kind", _Kind(), "local 1.0")
    assert one is not empty
    assert dict(empty.kinds) == {}
    assert set(one.kinds) == {"local_kind"}
    assert one.kinds["local_kind"].provider == "local 1.0"
    two = one.with_kind("other_kind", _Kind())
    assert set(one.kinds) == {"local_kind"}
    assert set(two.kinds) == {"local_kind", "other_kind"}
    assert two.kinds["other_kind"].provider == "<local>"


def test_with_kind_leaves_default_registry_unchanged() -> None:
    """Extending the default registry does not add the kind to the default registry."""
    extended = default_registry().with_kind("local_kind", _Kind())
    assert "local_kind" in extended.kinds
    assert "local_kind" not in default_registry().kinds


def test_registry_is_immutable() -> None:
    """A registry's attributes cannot be reassigned."""
    registry = Registry()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        registry.kinds = {}  # type: ignore[misc]


def test_duplicate_kind_name_rejected() -> None:
    """Registering a name twice raises RegistryError, even for a built-in name."""
    with pytest.raises(RegistryError):
        default_registry().with_kind("relief", _Kind())
    once = Registry().with_kind("local_kind", _Kind())
    with pytest.raises(RegistryError):
        once.with_kind("local_kind", _Kind())


class _NoBuild:
    parameters: Mapping[str, Any] = {"properties": {}}


class _NoParameters:
    def build(self, params: Mapping[str, Any], context: BuildContext) -> _Effect:
        return _Effect()


class _ClaimsId(_Kind):
    parameters: Mapping[str, Any] = {"properties": {"id": {"type": "integer"}}}


class _InvalidSchema(_Kind):
    parameters: Mapping[str, Any] = {"properties": {"size": {"type": "whole number"}}}


class _ParametersNotMapping(_Kind):
    parameters: Mapping[str, Any] = ["size"]  # type: ignore[assignment]


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(_NoBuild(), id="no-build"),
        pytest.param(_NoParameters(), id="no-parameters"),
        pytest.param(_ClaimsId(), id="redefines-id"),
        pytest.param(_InvalidSchema(), id="invalid-schema"),
        pytest.param(_ParametersNotMapping(), id="parameters-not-mapping"),
        pytest.param(object(), id="plain-object"),
    ],
)
def test_bad_kind_rejected_at_registration(kind: object) -> None:
    """A kind object that cannot work is refused when it registers, not when it is first used."""
    with pytest.raises(RegistryError):
        Registry().with_kind("bad_kind", kind, "bad 0.1")


# --- misbehaving plugins ------------------------------------------------------------------------


def test_build_failure_is_a_policy_issue(tmp_path: Path) -> None:
    """A kind whose build raises is a plugin.build issue at the rule's kind, naming the provider."""
    registry = default_registry().with_kind("local_kind", _Kind(build_fails=True), "explosives 2.0")
    text = _with_medical_rule(LOCAL_RULE)
    issues = issues_of(tmp_path, text, registry=registry)
    line, column = position(text, "kind: local_kind", "local_kind")
    assert keys(issues) == [("/schemes/medical/rules/7/kind", line, column, "plugin.build")]
    assert issues[0].rule_id == "medical-local"
    assert "'local_kind'" in issues[0].message
    assert "explosives 2.0" in issues[0].message


def test_build_failure_does_not_hide_other_issues(tmp_path: Path) -> None:
    """A failing plugin is one issue among the others of the file."""
    registry = default_registry().with_kind("local_kind", _Kind(build_fails=True), "explosives 2.0")
    text = edit(("total: 1070", "total: 1071"), text=_with_medical_rule(LOCAL_RULE))
    issues = issues_of(tmp_path, text, registry=registry)
    assert [issue.code for issue in issues] == ["semantic.parts-sum", "plugin.build"]


def test_apply_failure_is_a_plugin_error(tmp_path: Path) -> None:
    """A kind whose apply raises gives PluginError naming the kind, provider and rule."""
    registry = default_registry().with_kind("local_kind", _Kind(apply_fails=True), "explosives 2.0")
    policy = load_text(tmp_path, _with_medical_rule(LOCAL_RULE), registry=registry)
    with pytest.raises(PluginError) as caught:
        policy.evaluate(ORDINARY)
    error = caught.value
    assert (error.kind, error.provider, error.rule_id) == (
        "local_kind",
        "explosives 2.0",
        "medical-local",
    )
    assert isinstance(error, contribpolicy.ContribPolicyError)
    assert isinstance(error.__cause__, ZeroDivisionError)


def test_broken_entry_point_is_reported_where_used(tmp_path: Path) -> None:
    """A kind whose entry point failed to load is a plugin.load issue at each rule using it."""
    registry = attrs.evolve(
        default_registry(), broken={"local_kind": "broken 0.1: ImportError: no module"}
    )
    text = _with_medical_rule(LOCAL_RULE)
    issues = issues_of(tmp_path, text, registry=registry)
    line, column = position(text, "kind: local_kind", "local_kind")
    assert keys(issues) == [("/schemes/medical/rules/7/kind", line, column, "plugin.load")]
    assert "broken 0.1" in issues[0].message


class _CheckFails(_Kind):
    def build(self, params: Mapping[str, Any], context: BuildContext) -> _CheckingEffect:
        return _CheckingEffect()


class _CheckingEffect(_Effect):
    def check_scheme(self, effects: object, context: BuildContext) -> None:
        raise RuntimeError("cannot check")


def test_scheme_check_failure_is_a_policy_issue(tmp_path: Path) -> None:
    """A kind whose check_scheme raises is a plugin.check issue naming the provider."""
    registry = default_registry().with_kind("local_kind", _CheckFails(), "explosives 2.0")
    text = _with_medical_rule(LOCAL_RULE)
    issues = issues_of(tmp_path, text, registry=registry)
    line, column = position(text, "kind: local_kind", "local_kind")
    assert keys(issues) == [("/schemes/medical/rules/7/kind", line, column, "plugin.check")]
    assert "explosives 2.0" in issues[0].message


# --- the registry passed in is the only one used ------------------------------------------------


def _registry_without(*names: str) -> Registry:
    registry = Registry()
    for name, registered in sorted(default_registry().kinds.items()):
        if name not in names:
            registry = registry.with_kind(name, registered.kind, registered.provider)
    return registry


def test_given_registry_is_used_alone(tmp_path: Path) -> None:
    """Without `relief` in the registry passed in, each relief rule is an unknown kind."""
    registry = _registry_without("relief")
    issues = issues_of(tmp_path, POLICY_TEXT, registry=registry)
    expected = []
    for index, rule_id in [
        (3, "medical-relief-assistance"),
        (4, "medical-relief-70-plus"),
        (5, "medical-relief-60-69"),
    ]:
        line, column = position(POLICY_TEXT, f"- id: {rule_id}\n        kind: relief", "kind:")
        pointer = f"/schemes/medical/rules/{index}/kind"
        expected.append((pointer, line, column + len("kind: "), "semantic.unknown-kind"))
    assert keys(issues) == expected
    assert "relief (" not in issues[0].message
    assert f"sponsorship ({OURS})" in issues[0].message


def test_given_registry_without_third_party_kind(tmp_path: Path) -> None:
    """A policy using flat_bonus does not load with a registry that lacks it."""
    text = _with_medical_rule(BONUS_RULE)
    issues = issues_of(tmp_path, text, registry=_registry_without("flat_bonus"))
    line, column = position(text, "kind: flat_bonus", "flat_bonus")
    assert keys(issues) == [
        ("/schemes/medical/rules/7/kind", line, column, "semantic.unknown-kind")
    ]


def test_given_registry_with_local_kind(tmp_path: Path) -> None:
    """A kind registered only on the registry passed in is usable in that load, not others."""
    registry = default_registry().with_kind("local_kind", _Kind(), "local 1.0")
    text = _with_medical_rule(LOCAL_RULE)
    policy = load_text(tmp_path, text, registry=registry)
    assert policy.rule("medical-local").provider == "local 1.0"
    with pytest.raises(PolicyError):
        load_text(tmp_path, text)


class _RaisesOurError(_Kind):
    def build(self, params: Mapping[str, Any], context: BuildContext) -> _Effect:
        raise contribpolicy.InputError("size", "a plugin misusing one of our exceptions")


def test_build_raising_our_own_exception_is_still_a_policy_issue(tmp_path: Path) -> None:
    """A plugin's build that raises one of our exceptions is still a plugin.build issue."""
    registry = default_registry().with_kind("local_kind", _RaisesOurError(), "explosives 2.0")
    text = _with_medical_rule(LOCAL_RULE)
    issues = issues_of(tmp_path, text, registry=registry)
    line, column = position(text, "kind: local_kind", "local_kind")
    assert keys(issues) == [("/schemes/medical/rules/7/kind", line, column, "plugin.build")]


class _ReportsProblem(_Kind):
    def build(self, params: Mapping[str, Any], context: BuildContext) -> _Effect:
        if params["size"] > 2:
            context.problem("/size", "size must be at most 2", "local.size")
        return _Effect()


def test_plugin_problem_is_located_in_the_file(tmp_path: Path) -> None:
    """A problem a plugin reports through its context gets the file line of the parameter."""
    registry = default_registry().with_kind("local_kind", _ReportsProblem(), "local 1.0")
    text = _with_medical_rule(LOCAL_RULE)
    issues = issues_of(tmp_path, text, registry=registry)
    line, column = position(text, "size: 3", "3")
    assert keys(issues) == [("/schemes/medical/rules/7/size", line, column, "local.size")]
    assert issues[0].rule_id == "medical-local"


def test_parameter_schema_with_unknown_ref_is_rejected_at_registration() -> None:
    """A $ref to anything but the shared definitions would fail only when a policy loads."""

    class Broken:
        parameters: Mapping[str, Any] = {"properties": {"x": {"$ref": "#/$defs/nothing"}}}

        def build(self, params: Mapping[str, Any], context: BuildContext) -> RuleEffect:
            raise AssertionError("never built")

    with pytest.raises(RegistryError, match="nothing"):
        Registry().with_kind("broken", Broken())
