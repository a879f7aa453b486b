"""What a policy change costs on a roster: each row assessed under both policies, compared.

A finance office budgets the government share and a village collects the individual dues, so
both are counted per scheme and per village, before and after; people whose eligibility or
status changes are counted apart, because their whole amount appears or disappears. Every input
row is accounted for: ``rows == changed + unchanged``, and a row one policy cannot assess (say a
status the new policy no longer declares) is a change, never a silent gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from contribpolicy.engine.records import roster_columns
from contribpolicy.errors import InputError
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import AMOUNT_PARTS, ELIGIBLE, Amounts
from contribpolicy.rosters.reader import RosterRow
from contribpolicy.support.jsonable import fields_of, json_ready

__all__ = [
    "Impact",
    "Outcome",
    "PersonChange",
    "SchemeImpact",
    "Totals",
    "VillageImpact",
    "roster_impact",
]

MALFORMED = "malformed"  # the row cannot be assessed under this policy (InputError)
ABSENT = "absent"  # the policy has no such scheme

_PARTS = AMOUNT_PARTS
_MONEY = ("individual", "government", "sponsor")  # summed; the total follows from them


@attrs.frozen
class Outcome:
    """One person's result in one scheme under one policy."""

    status: str
    individual: Decimal
    government: Decimal
    sponsor: Decimal
    total: Decimal
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields in order, amounts as exact strings."""
        return fields_of(self)


@attrs.frozen
class PersonChange:
    """A person whose result in a scheme differs: the roster line, and before and after."""

    line: int
    person_id: str
    village: str
    scheme: str
    old: Outcome
    new: Outcome

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields in order, each outcome as its own dict."""
        return fields_of(self)


@attrs.frozen
class Totals(Amounts):
    """Money of one scheme summed over the people assessed eligible, and how many they are."""

    eligible: int = attrs.field(kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the count of eligible people, then the amounts as exact strings."""
        return {"eligible": self.eligible, **Amounts.to_dict(self)}


@attrs.frozen
class SchemeImpact:
    """One scheme: how many people's amounts or status change, totals before and after."""

    scheme: str
    label: str
    individual_changed: int
    government_changed: int
    status_changed: int
    transitions: Mapping[str, int]  # "eligible -> ineligible": people
    before: Totals
    after: Totals
    examples: tuple[PersonChange, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields in order, totals and examples as their own dicts."""
        return fields_of(self)


@attrs.frozen
class VillageImpact:
    """One village's rows and its money per scheme, before and after."""

    village: str
    rows: int
    before: Mapping[str, Totals]
    after: Mapping[str, Totals]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the village's rows and, per scheme, its totals before and after."""
        return {
            "village": self.village,
            "rows": self.rows,
            "schemes": {
                name: json_ready({"before": self.before[name], "after": self.after[name]})
                for name in self.before
            },
        }


@attrs.frozen
class Impact:
    """The roster under both policies; ``rows == changed + unchanged``."""

    rows: int
    changed: int
    unchanged: int
    malformed_before: int
    malformed_after: int
    schemes: tuple[SchemeImpact, ...]
    villages: tuple[VillageImpact, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields in order, schemes and villages as their own dicts."""
        return fields_of(self)


class _Sum:
    """Running totals of one scheme for some people."""

    def __init__(self, zero: Decimal) -> None:
        self.eligible = 0
        self.money = [zero] * len(_MONEY)

    def add(self, outcome: Outcome) -> None:
        if outcome.status == ELIGIBLE:
            self.eligible += 1
            for index, part in enumerate(_MONEY):
                self.money[index] += getattr(outcome, part)

    def totals(self) -> Totals:
        return Totals(*self.money, eligible=self.eligible)


class _Side:
    """One policy's view of the roster: which columns it reads, and its running totals."""

    def __init__(self, policy: Policy, schemes: Sequence[str]) -> None:
        self.policy = policy
        self.columns = frozenset(roster_columns(policy))
        self.zero = policy.money.round(0)
        self.schemes = {name: _Sum(self.zero) for name in schemes}
        self.villages: dict[str, dict[str, _Sum]] = {}
        self.malformed = 0

    def assess(self, record: Mapping[str, str], problem: InputError | None) -> dict[str, Outcome]:
        """Outcomes per scheme; a column this policy does not declare is not read by it."""
        error = problem
        if error is None:
            try:
                assessment = self.policy.evaluate(
                    {key: value for key, value in record.items() if key in self.columns}
                )
            except InputError as err:
                error = err
        if error is not None:
            self.malformed += 1
            zero = self.zero
            failed = Outcome(MALFORMED, zero, zero, zero, zero, str(error))
            return dict.fromkeys(self.schemes, failed)
        outcomes = {}
        for name in self.schemes:
            result = assessment.schemes.get(name)
            if result is None:
                outcomes[name] = Outcome(ABSENT, self.zero, self.zero, self.zero, self.zero)
            else:
                parts = (result.individual, result.government, result.sponsor, result.total)
                outcomes[name] = Outcome(result.status, *parts, result.message)
        return outcomes

    def count(self, village: str, outcomes: Mapping[str, Outcome]) -> None:
        sums = self.villages.setdefault(village, {name: _Sum(self.zero) for name in self.schemes})
        for name, outcome in outcomes.items():
            self.schemes[name].add(outcome)
            sums[name].add(outcome)


class _SchemeTally:
    """Counts of people whose result in one scheme changed, and the first few of them."""

    def __init__(self, examples: int) -> None:
        self.individual = 0
        self.government = 0
        self.status = 0
        self.transitions: dict[str, int] = {}
        # People whose status changed are shown first: their whole amount comes or goes.
        self.moved: list[PersonChange] = []
        self.others: list[PersonChange] = []
        self.limit = examples

    def compare(self, change: PersonChange) -> bool:
        """Counts the change; False if nothing differs."""
        old, new = change.old, change.new
        differs = False
        if old.individual != new.individual:
            self.individual += 1
            differs = True
        if old.government != new.government:
            self.government += 1
            differs = True
        if old.status != new.status:
            self.status += 1
            move = f"{old.status} -> {new.status}"
            self.transitions[move] = self.transitions.get(move, 0) + 1
            differs = True
        differs = differs or old.sponsor != new.sponsor
        kept = self.moved if old.status != new.status else self.others
        if differs and len(kept) < self.limit:
            kept.append(change)
        return differs

    @property
    def examples(self) -> tuple[PersonChange, ...]:
        return tuple([*self.moved, *self.others][: self.limit])


def roster_impact(
    old: Policy, new: Policy, rows: Iterable[RosterRow], *, examples: int = 5
) -> Impact:
    """Assess every roster row under both policies and compare, scheme by scheme.

    Give the reader the columns of both policies (``roster_columns``); each policy reads only
    the columns it declares. ``examples`` people are kept per scheme to show.
    """
    schemes = [*old.schemes, *(name for name in new.schemes if name not in old.schemes)]
    before, after = _Side(old, schemes), _Side(new, schemes)
    tallies = {name: _SchemeTally(examples) for name in schemes}
    rows_seen = changed = 0
    village_rows: dict[str, int] = {}
    for line, record, problem in rows:
        rows_seen += 1
        village = record.get("village", "").strip()
        village_rows[village] = village_rows.get(village, 0) + 1
        old_outcomes, new_outcomes = before.assess(record, problem), after.assess(record, problem)
        before.count(village, old_outcomes)
        after.count(village, new_outcomes)
        person_id = record.get("person_id", "").strip()
        differs = [
            tallies[name].compare(
                PersonChange(line, person_id, village, name, old_outcomes[name], new_outcomes[name])
            )
            for name in schemes
        ]
        changed += any(differs)
    labels = {name: _label(old, new, name) for name in schemes}
    return Impact(
        rows_seen,
        changed,
        rows_seen - changed,
        before.malformed,
        after.malformed,
        tuple(
            SchemeImpact(
                name,
                labels[name],
                tally.individual,
                tally.government,
                tally.status,
                tally.transitions,
                before.schemes[name].totals(),
                after.schemes[name].totals(),
                tally.examples,
            )
            for name, tally in tallies.items()
        ),
        tuple(
            VillageImpact(
                village,
                count,
                {name: total.totals() for name, total in before.villages[village].items()},
                {name: total.totals() for name, total in after.villages[village].items()},
            )
            for village, count in village_rows.items()
        ),
    )


def _label(old: Policy, new: Policy, name: str) -> str:
    scheme = new.schemes.get(name) or old.schemes[name]
    return scheme.label
