"""Evaluating a policy for one person: running each scheme's rules over the person's facts.

The hot path records only what happened (rule, failed condition, changes); ``results`` turns
that into amounts and, when someone reads it, the trace. Amounts are exact: every rule works in
``Decimal`` rounded to the policy's places.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from contribpolicy.engine._guard import Nonsense, built_in, check_unchanged, checked_apply
from contribpolicy.errors import PluginError
from contribpolicy.model.conditions import Condition, EarlierMatch
from contribpolicy.model.facts import Changes, Facts, SchemeState
from contribpolicy.model.results import (
    ELIGIBLE,
    ERROR,
    INELIGIBLE,
    NOT_PAYING,
    REFERRED,
    Assessment,
    LogLine,
    Receipt,
    SchemeAssessment,
    Status,
)
from contribpolicy.support.version import VERSION

if TYPE_CHECKING:
    from contribpolicy.model.cover import Cover
    from contribpolicy.model.parts import Money, Rule
    from contribpolicy.model.payment import Payment
    from contribpolicy.model.person import Person, RecordLimits
    from contribpolicy.model.policy import Policy

__all__ = ["Evaluator", "evaluator_for"]

_Step = tuple[
    "Rule", Callable[[Facts], Condition | None] | None, Callable[[Facts, SchemeState], Changes]
]


def _run_rules(steps: tuple[_Step, ...], facts: Facts) -> tuple[SchemeState, list[LogLine]]:
    state = SchemeState()
    log: list[LogLine] = []
    matched: set[str] = set()  # first_match groups a rule of which applied
    for rule, failure, apply in steps:
        group = rule.first_match
        if group is not None and group in matched:
            log.append((rule, EarlierMatch(group), ()))
            continue
        if failure is not None:
            failed = failure(facts)
            if failed is not None:
                log.append((rule, failed, ()))
                continue
        try:
            changes = apply(facts, state)
        except Nonsense as err:
            raise PluginError(rule.kind, rule.provider, rule.id, str(err)) from None
        except Exception as err:  # even one of ours: it is the plugin's, not the record's
            raise PluginError(
                rule.kind, rule.provider, rule.id, f"{type(err).__name__}: {err}"
            ) from err
        log.append((rule, None, changes))
        if group is not None:
            matched.add(group)
        if state.stopped:
            break
    return state, log


def _assess(
    name: str, rules: tuple[Rule, ...], steps: tuple[_Step, ...], facts: Facts, zero: Decimal
) -> SchemeAssessment:
    state, log = _run_rules(steps, facts)
    stopped = _stop(state)
    if stopped is not None:
        status, stop = stopped
        return SchemeAssessment(
            name, status, zero, zero, zero, zero, {}, stop, tuple(log), facts, rules, zero
        )
    government = sum(state.government.values(), zero)
    individual = state.remaining + zero
    sponsor = state.sponsor + zero
    total = individual + government + sponsor
    return SchemeAssessment(
        name, ELIGIBLE, individual, government, sponsor, total, state.government, None,
        tuple(log), facts, rules, state.individual_part + zero,
    )  # fmt: skip


def _stop(state: SchemeState) -> tuple[Status, str] | None:
    """The status and message of a scheme its rules stopped, or None."""
    for status, message in (
        (INELIGIBLE, state.ineligible),
        (ERROR, state.error),
        (REFERRED, state.referred),
        (NOT_PAYING, state.not_paying),
    ):
        if message is not None:
            return status, message
    return None


def _steps(rules: tuple[Rule, ...], money: Money) -> tuple[_Step, ...]:
    """Each rule with its bound condition test and apply, looked up once per policy.

    A third party's ``apply`` is wrapped to check what it returns and leaves: our own kinds are
    held to that by their tests, and the check would cost the hot path for nothing.
    """
    return tuple(
        (
            rule,
            rule.when.failure if rule.when is not None else None,
            rule.effect.apply if built_in(rule) else checked_apply(rule.effect.apply, money),
        )
        for rule in rules
    )


class Evaluator:
    """A policy prepared for evaluation: the record parser and each scheme's rules.

    Rules are pure functions of a person's facts (the plugin protocol requires it), so the
    results for one set of facts are computed once and shared, read-only, by every person
    with the same facts: in a roster most people share their age, statuses and choices with
    others. The cache is bounded; ``cache_size=0`` turns it off.
    """

    def __init__(
        self, policy: Policy, cache_size: int = 65_536, limits: RecordLimits | None = None
    ) -> None:
        from contribpolicy.engine.records import RecordParser
        from contribpolicy.model.person import DEFAULT_RECORD_LIMITS

        limits = limits if limits is not None else DEFAULT_RECORD_LIMITS
        self.parser = RecordParser(policy, limits)
        for scheme in policy.schemes.values():
            for rule in scheme.rules:
                check_unchanged(rule)
        self.schemes = tuple(
            (name, scheme.rules, _steps(scheme.rules, policy.money))
            for name, scheme in policy.schemes.items()
        )
        self.policy = policy
        self.receipt = Receipt(policy.id, policy.version, policy.content_hash, VERSION)
        self.zero = policy.money.round(0)
        self.cache_size = cache_size
        self._cache: dict[tuple[object, ...], Mapping[str, SchemeAssessment]] = {}

    def assess(self, facts: Facts) -> Mapping[str, SchemeAssessment]:
        """Every scheme for these facts, computed afresh."""
        zero = self.zero
        return MappingProxyType(
            {name: _assess(name, rules, steps, facts, zero) for name, rules, steps in self.schemes}
        )

    def evaluate(self, record: Mapping[str, Any] | Person) -> Assessment:
        """Assess one person under every scheme (``Policy.evaluate``), sharing equal facts."""
        parsed = self.parser.parse(record)
        facts = parsed.facts
        key = (facts.age, facts.statuses, *facts.values.values())
        results = self._cache.get(key)
        if results is None:
            results = self.assess(facts)
            if self.cache_size:
                if len(self._cache) >= self.cache_size:
                    self._cache.clear()
                self._cache[key] = results
        return Assessment(parsed.person_id, results, self.receipt)

    def coverage(
        self,
        record: Mapping[str, Any] | Person,
        payments: Iterable[Payment],
        scheme: str,
        lang: str,
    ) -> Cover:
        """``Policy.coverage``: the cover rules of ``engine.coverage`` for one person."""
        from contribpolicy.engine.coverage import cover_of

        return cover_of(self.policy, self.parser, record, payments, scheme, lang=lang)


def evaluator_for(policy: Policy) -> Evaluator:
    """The policy's own engine evaluator (sharing its results cache), or a new one when the
    policy was given another evaluator."""
    found = policy.evaluator
    return found if isinstance(found, Evaluator) else Evaluator(policy)
