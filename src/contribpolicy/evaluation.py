"""Evaluating a policy for one person: amounts per scheme, with the trace that explains them.

The hot path records only what happened (rule, failed condition, changes); the words of the
trace are produced when someone reads ``.trace``. Amounts are exact: every rule works in
``Decimal`` rounded to the policy's places.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

import attrs

from .conditions import Condition
from .errors import ContribPolicyError, PluginError
from .plugin import Changes, Facts, SchemeState

if TYPE_CHECKING:
    from .model import Policy, Rule
    from .person import Person

__all__ = ["Assessment", "Receipt", "SchemeAssessment", "TraceEntry"]

ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"
ERROR = "error"

_LogLine = tuple["Rule", Condition | None, Changes]


@functools.cache
def library_version() -> str:
    try:
        return version("contribpolicy")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


@attrs.frozen
class TraceEntry:
    """What one rule did for this person, or why it did not apply."""

    rule_id: str
    kind: str
    cite: str
    label: str
    applied: bool
    effect: str
    changes: Mapping[str, Decimal]
    reason: str | None
    location: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "kind": self.kind,
            "cite": self.cite,
            "label": self.label,
            "applied": self.applied,
            "effect": self.effect,
            "changes": {name: str(amount) for name, amount in self.changes.items()},
            "reason": self.reason,
            "location": self.location,
        }


def _effect_text(changes: Changes) -> str:
    if not changes:
        return "requirement met"
    words = []
    for name, amount in changes:
        if name == "individual":
            words.append(f"individual part {amount}")
        elif name == "sponsor":
            words.append(f"sponsor pays {amount}")
        else:
            words.append(f"government {name} {amount}")
    return "; ".join(words)


@attrs.frozen
class SchemeAssessment:
    """One person's amounts under one scheme. ``total == individual + government + sponsor``."""

    scheme: str
    status: str
    individual: Decimal
    government: Decimal
    sponsor: Decimal
    total: Decimal
    components: Mapping[str, Decimal]
    message: str | None
    _log: tuple[_LogLine, ...] = attrs.field(alias="log", repr=False, eq=False)
    _facts: Facts = attrs.field(alias="facts", repr=False, eq=False)
    _all_rules: tuple[Rule, ...] = attrs.field(alias="all_rules", repr=False, eq=False)

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        """Every rule of the scheme in order: what it did, or the first condition that failed."""
        entries = [
            self._entry(line, last=i == len(self._log) - 1) for i, line in enumerate(self._log)
        ]
        for rule in self._all_rules[len(self._log) :]:
            reason = f"not reached: the scheme stopped ({self.status}: {self.message})"
            entries.append(
                TraceEntry(
                    rule.id,
                    rule.kind,
                    rule.cite,
                    rule.label,
                    False,
                    "",
                    {},
                    reason,
                    str(rule.location),
                )
            )
        return tuple(entries)

    def _entry(self, line: _LogLine, *, last: bool) -> TraceEntry:
        rule, failed, changes = line
        where = str(rule.location)
        if failed is not None:
            return TraceEntry(
                rule.id,
                rule.kind,
                rule.cite,
                rule.label,
                False,
                "",
                {},
                failed.explain(self._facts),
                where,
            )
        effect = _effect_text(changes)
        if last and self.status != ELIGIBLE:
            effect = f"{self.status}: {self.message}"
        return TraceEntry(
            rule.id, rule.kind, rule.cite, rule.label, True, effect, dict(changes), None, where
        )

    def to_dict(self, *, trace: bool = True) -> dict[str, Any]:
        result: dict[str, Any] = {
            "status": self.status,
            "individual": str(self.individual),
            "government": str(self.government),
            "sponsor": str(self.sponsor),
            "total": str(self.total),
            "components": {name: str(amount) for name, amount in self.components.items()},
            "message": self.message,
        }
        if trace:
            result["trace"] = [entry.to_dict() for entry in self.trace]
        return result


@attrs.frozen
class Receipt:
    """What produced an assessment: enough to reproduce it exactly."""

    policy_id: str
    policy_version: str
    policy_hash: str
    library_version: str

    def to_dict(self) -> dict[str, str]:
        return attrs.asdict(self)


@attrs.frozen
class Assessment(Mapping[str, SchemeAssessment]):
    """A person's assessment under every scheme of a policy; ``a["medical"]`` is one scheme."""

    person_id: str
    schemes: Mapping[str, SchemeAssessment]
    receipt: Receipt

    def __getitem__(self, scheme: str) -> SchemeAssessment:
        return self.schemes[scheme]

    def __iter__(self) -> Iterator[str]:
        return iter(self.schemes)

    def __len__(self) -> int:
        return len(self.schemes)

    def to_dict(self, *, trace: bool = True) -> dict[str, Any]:
        """JSON-ready: amounts as strings (exact), with the receipt."""
        return {
            "person_id": self.person_id,
            "schemes": {name: result.to_dict(trace=trace) for name, result in self.schemes.items()},
            "receipt": self.receipt.to_dict(),
        }


def _run_rules(rules: tuple[Rule, ...], facts: Facts) -> tuple[SchemeState, list[_LogLine]]:
    state = SchemeState()
    log: list[_LogLine] = []
    for rule in rules:
        when = rule.when
        if when is not None:
            failed = when.failure(facts)
            if failed is not None:
                log.append((rule, failed, ()))
                continue
        try:
            changes = rule.effect.apply(facts, state)
        except ContribPolicyError:
            raise
        except Exception as err:
            raise PluginError(
                rule.kind, rule.provider, rule.id, f"{type(err).__name__}: {err}"
            ) from err
        log.append((rule, None, changes))
        if state.error is not None or state.ineligible is not None:
            break
    return state, log


def _assess(name: str, rules: tuple[Rule, ...], facts: Facts, zero: Decimal) -> SchemeAssessment:
    state, log = _run_rules(rules, facts)
    if state.ineligible is not None or state.error is not None:
        status = INELIGIBLE if state.ineligible is not None else ERROR
        return SchemeAssessment(
            name,
            status,
            zero,
            zero,
            zero,
            zero,
            {},
            state.ineligible or state.error,
            tuple(log),
            facts,
            rules,
        )
    government = sum(state.government.values(), zero)
    individual = state.remaining + zero
    sponsor = state.sponsor + zero
    return SchemeAssessment(
        name,
        ELIGIBLE,
        individual,
        government,
        sponsor,
        individual + government + sponsor,
        dict(state.government),
        None,
        tuple(log),
        facts,
        rules,
    )


class Evaluator:
    """A policy prepared for evaluation: the record parser and each scheme's rules."""

    def __init__(self, policy: Policy) -> None:
        from .person import RecordParser

        self.parser = RecordParser(policy)
        self.schemes = tuple((name, scheme.rules) for name, scheme in policy.schemes.items())
        self.receipt = Receipt(policy.id, policy.version, policy.content_hash, library_version())
        self.zero = policy.money.round(0)

    def evaluate(self, record: Mapping[str, Any] | Person) -> Assessment:
        parsed = self.parser.parse(record)
        facts = parsed.facts
        zero = self.zero
        results = {name: _assess(name, rules, facts, zero) for name, rules in self.schemes}
        return Assessment(parsed.person_id, results, self.receipt)
