"""Guarding the engine against third-party rule kinds that return nonsense.

A plugin's bug must name the plugin and the rule (``PluginError``), not surface later as a wrong
total or a TypeError deep in our code. Built-in kinds are held to the same contract by their
tests, so only third-party ``apply`` functions are wrapped: the check costs the hot path nothing
for the built-in kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from contribpolicy.errors import PluginError
from contribpolicy.model.facts import Changes, Facts, SchemeState

if TYPE_CHECKING:
    from contribpolicy.model.parts import Money, Rule

__all__ = ["Nonsense", "built_in", "check_unchanged", "checked_apply"]


class Nonsense(Exception):
    """What a third party's ``apply`` returned or left cannot be an assessment."""


def checked_apply(
    apply: Callable[[Facts, SchemeState], Changes], money: Money
) -> Callable[[Facts, SchemeState], Changes]:
    """``apply``, made to raise ``Nonsense`` when its changes or the state it leaves are not
    amounts: a plugin's bug then names the plugin, instead of surfacing later as a wrong total
    or a TypeError in our code."""

    def checked(facts: Facts, state: SchemeState) -> Changes:
        changes = apply(facts, state)
        problem = _changes_problem(changes, money) or _state_problem(state, money)
        if problem is not None:
            raise Nonsense(f"returned nonsense: {problem}")
        return changes

    return checked


def _amount_problem(what: str, amount: object, money: Money) -> str | None:
    if type(amount) is not Decimal:
        return f"{what} is {type(amount).__name__} {amount!r}, not a Decimal"
    if not amount.is_finite() or amount < 0:
        return f"{what} is {amount}, not a finite amount of at least 0"
    if money.round(amount) != amount:
        return f"{what} is {amount}, not rounded to {money.places} places"
    return None


def _changes_problem(changes: object, money: Money) -> str | None:
    if type(changes) is not tuple:
        return f"apply returned {type(changes).__name__}, not a tuple of (part, amount) pairs"
    for change in changes:
        if type(change) is not tuple or len(change) != 2 or not isinstance(change[0], str):
            return f"apply returned {change!r} among its changes, not a (part, amount) pair"
        problem = _amount_problem(f"the change to {change[0]!r}", change[1], money)
        if problem is not None:
            return problem
    return None


def _state_problem(state: SchemeState, money: Money) -> str | None:
    if not isinstance(state.government, dict):
        return f"the government amounts are {type(state.government).__name__}, not a dict"
    amounts = [
        ("the individual part", state.individual_part),
        ("the covered part", state.covered),
        ("the sponsor amount", state.sponsor),
        *((f"government {name!r}", amount) for name, amount in state.government.items()),
    ]
    for what, amount in amounts:
        problem = _amount_problem(what, amount, money)
        if problem is not None:
            return problem
    return _parts_problem(state)


def _parts_problem(state: SchemeState) -> str | None:
    """What no sequence of ``add``, ``cover``, ``reject`` and ``fail`` can leave behind."""
    if state.covered > state.individual_part:
        return f"covered {state.covered} of an individual part of {state.individual_part}"
    if state.sponsor > state.covered:
        return f"a sponsor amount of {state.sponsor}, more than the {state.covered} covered"
    stops = (state.error, state.ineligible, state.not_paying, state.referred)
    if not all(isinstance(message, str | None) for message in stops):
        return "a reject or fail message that is not text"
    if state.tier is not None and type(state.tier) not in (int, Decimal):
        return f"the tier is {type(state.tier).__name__} {state.tier!r}, not a number"
    return None


def built_in(rule: Rule) -> bool:
    """Whether the rule's kind declares itself one of ours (``KindTraits.built_in``)."""
    return rule.traits.built_in


def check_unchanged(rule: Rule) -> None:
    """The trace's words for "applied, changed nothing" must be text (read once, here)."""
    try:
        unchanged = getattr(rule.effect, "unchanged", None)
    except Exception as err:
        detail = f"reading its `unchanged` failed: {type(err).__name__}: {err}"
        raise PluginError(rule.kind, rule.provider, rule.id, detail) from err
    if unchanged is not None and not isinstance(unchanged, str):
        detail = f"its `unchanged` is {type(unchanged).__name__}, not text"
        raise PluginError(rule.kind, rule.provider, rule.id, detail)
