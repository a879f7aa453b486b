"""Plugins that raise or return nonsense: always the plugin's error, naming it and the rule.

A rule kind is code installed with the library, trusted not to be malicious but not to be free
of bugs. Whatever a kind's object does while it registers, builds or applies, the caller sees
RegistryError, a plugin.* PolicyIssue or PluginError naming the kind, its package and the rule,
never a TypeError from inside the engine or a total that does not add up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import contribpolicy
from _policy_edit import POLICY_TEXT, edit
from contribpolicy import PluginError, Registry, RegistryError
from contribpolicy.format.registry import default_registry
from contribpolicy.model.facts import Changes, Facts, SchemeState
from contribpolicy.model.protocol import BuildContext

PROVIDER = "nonsense-kinds 0.1"
LAST_MEDICAL_RULE = "        amount_from: medical_sponsor\n"
RULE = """
      - id: medical-odd
        kind: odd
        label: 测试用的规则
        cite: 测试
"""
PERSON = {"person_id": "p1", "birth_date": "1980-05-01", "residence": "local"}

Apply = Callable[[Facts, SchemeState], Any]


class _Effect:
    """A compiled rule whose ``apply`` is the function given."""

    def __init__(self, apply: Apply, unchanged: object = None) -> None:
        self._apply = apply
        if unchanged is not None:
            self.unchanged = unchanged

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        result: Changes = self._apply(facts, state)
        return result


class _Kind:
    parameters: Mapping[str, Any] = {"properties": {}}

    def __init__(self, effect: _Effect) -> None:
        self.effect = effect

    def build(self, params: Mapping[str, Any], context: BuildContext) -> _Effect:
        return self.effect


def policy_with(apply: Apply, unchanged: object = None) -> contribpolicy.Policy:
    """The 2025 policy with a last medical rule of kind ``odd`` whose apply is ``apply``."""
    registry = default_registry().with_kind("odd", _Kind(_Effect(apply, unchanged)), PROVIDER)
    text = edit((LAST_MEDICAL_RULE, LAST_MEDICAL_RULE + RULE), text=POLICY_TEXT)
    return contribpolicy.loads_policy(text, registry=registry)


def plugin_error(policy: contribpolicy.Policy) -> PluginError:
    with pytest.raises(PluginError) as caught:
        policy.evaluate(PERSON)
    error = caught.value
    assert (error.kind, error.provider, error.rule_id) == ("odd", PROVIDER, "medical-odd")
    return error


def _adds(component: str, amount: object) -> Apply:
    def apply(facts: Facts, state: SchemeState) -> Changes:
        state.government[component] = amount  # type: ignore[assignment]
        return ((component, amount),)  # type: ignore[return-value]

    return apply


def _sets(attribute: str, value: object) -> Apply:
    def apply(facts: Facts, state: SchemeState) -> Changes:
        setattr(state, attribute, value)
        return ()

    return apply


def _returns(result: object) -> Apply:
    return lambda facts, state: result


#: (test id, apply, words of the error)
NONSENSE = [
    ("returns-none", _returns(None), "returned NoneType"),
    ("returns-list", _returns([]), "returned list"),
    ("flat-pair", _returns(("bonus", Decimal(1))), "not a (part, amount)"),
    ("part-not-text", _returns(((1, Decimal(1)),)), "not a (part, amount)"),
    ("float-change", _returns((("bonus", 10.5),)), "float 10.5"),
    ("int-change", _returns((("bonus", 10),)), "int 10"),
    ("negative-change", _returns((("bonus", Decimal(-5)),)), "-5"),
    ("unrounded-change", _returns((("bonus", Decimal("0.001")),)), "2 places"),
    ("nan-change", _returns((("bonus", Decimal("NaN")),)), "NaN"),
    ("float-in-state", _adds("bonus", 20.0), "float 20.0"),
    ("negative-in-state", _adds("bonus", Decimal(-20)), "-20"),
    ("government-replaced", _sets("government", []), "not a dict"),
    ("covers-more-than-owed", _sets("covered", Decimal(900)), "covered 900"),
    ("sponsor-not-covered", _sets("sponsor", Decimal(1)), "more than"),
    ("text-individual-part", _sets("individual_part", "400"), "str '400'"),
    ("message-not-text", _sets("error", 42), "not text"),
    ("tier-not-int", _sets("tier", "800"), "str '800'"),
]


@pytest.mark.parametrize(
    ("apply", "words"),
    [pytest.param(apply, words, id=name) for name, apply, words in NONSENSE],
)
def test_nonsense_from_apply_is_the_plugins_error(apply: Apply, words: str) -> None:
    """Changes or a state that no correct rule can produce: PluginError naming kind and rule."""
    error = plugin_error(policy_with(apply))
    assert "returned nonsense" in str(error)
    assert words in str(error)


def test_apply_raising_our_own_error_is_still_the_plugins() -> None:
    """An InputError raised inside apply is not mistaken for a malformed record."""

    def apply(facts: Facts, state: SchemeState) -> Changes:
        raise contribpolicy.InputError("residence", "a plugin misusing our exception")

    error = plugin_error(policy_with(apply))
    assert isinstance(error.__cause__, contribpolicy.InputError)


def test_sensible_plugin_result_is_used() -> None:
    """The check lets a correct plugin through: a bonus of 20 is added (670 + 20 = 690)."""
    medical = policy_with(_adds("bonus", Decimal("20.00"))).evaluate(PERSON)["medical"]
    assert (medical.government, medical.total) == (Decimal("690.00"), Decimal("1090.00"))


def test_unchanged_that_is_not_text_is_the_plugins_error() -> None:
    """The trace's `unchanged` words must be text; a number is refused before any person."""
    error = plugin_error(policy_with(lambda facts, state: (), unchanged=42))
    assert "`unchanged` is int" in str(error)


class _ParametersRaise:
    @property
    def parameters(self) -> Mapping[str, Any]:
        raise RuntimeError("cannot describe myself")

    def build(self, params: Mapping[str, Any], context: BuildContext) -> _Effect:
        raise NotImplementedError


class _SelfReferringSchema:
    def __init__(self) -> None:
        schema: dict[str, Any] = {"type": "object"}
        schema["properties"] = {"again": schema}
        self.parameters: Mapping[str, Any] = {"properties": {"size": schema}}

    def build(self, params: Mapping[str, Any], context: BuildContext) -> _Effect:
        raise NotImplementedError


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(_ParametersRaise(), id="parameters-raises"),
        pytest.param(_SelfReferringSchema(), id="schema-refers-to-itself"),
    ],
)
def test_kind_failing_while_checked_is_a_registry_error(kind: object) -> None:
    """A kind whose own code fails while it is checked is a RegistryError naming it."""
    with pytest.raises(RegistryError) as caught:
        Registry().with_kind("odd", kind, PROVIDER)
    assert f"'odd' from {PROVIDER}" in str(caught.value)


def test_plugin_error_in_batch_names_the_line(tmp_path: Path) -> None:
    """In a batch, a plugin's error stops the run, noting the roster line it struck at."""
    from contribpolicy.rosters.batch import run_batch

    policy = policy_with(lambda facts, state: None)
    with pytest.raises(PluginError) as caught:
        run_batch(policy, [(2, dict(PERSON), None)], lambda row: None)
    assert caught.value.__notes__ == ["while assessing line 2"]
