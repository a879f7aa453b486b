"""Progress against the plan's targets (三 任务目标 and the attachment), per village and in all.

READING's targets section, as computed here:
- Medical: people who paid ÷ the attachment's reference count, both without the exempt (免缴费
  认定人群): the people whose individual part the government pays in full. The policy says who
  they are through its relief rules (the five statuses and 70+ in 2025); a person is exempt when
  their assessment leaves nothing for them or a sponsor to pay.
- Pension: paid ÷ due in each target's age band, those not paying this year in the denominator.
- The collection phases the date falls in, with the days left (the date itself counted).
Payments count when made on or before the date (an undated payment always counts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import attrs

from contribpolicy.model.parts import Period, Target
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import ELIGIBLE, SchemeAssessment
from contribpolicy.reports.notice import LISTED
from contribpolicy.reports.payments import Paid
from contribpolicy.reports.people import Assessed, Roster

__all__ = [
    "DailyCount",
    "Phase",
    "Progress",
    "Rate",
    "VillageProgress",
    "is_exempt",
    "phases_on",
    "progress_of",
]

_PLACES = Decimal("0.0001")


@attrs.frozen
class Rate:
    """``paid`` of ``due`` people against a target rate."""

    target: Target
    paid: int
    due: int

    @property
    def rate(self) -> Decimal | None:
        """``paid / due`` to the places of the targets, or None when no one is due."""
        if self.due == 0:
            return None
        return (Decimal(self.paid) / self.due).quantize(_PLACES, ROUND_HALF_UP)

    @property
    def short(self) -> int:
        """People still to pay for the target to be met (0 when it is)."""
        needed = (self.target.rate * self.due).to_integral_value(rounding="ROUND_CEILING")
        return max(int(needed) - self.paid, 0)

    @property
    def gap(self) -> Decimal:
        """How far below the target rate, in rate points (0 when met)."""
        rate = self.rate if self.rate is not None else Decimal(0)
        return max(self.target.rate - rate, Decimal(0))

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.target, self.paid + other.paid, self.due + other.due)


@attrs.frozen
class VillageProgress:
    """One village: its medical count against the reference, its pension rates by band.

    ``on_roster`` is False for a village of the reference table no one on the roster lives in;
    ``in_table`` is False for a roster village the table does not list (its medical rate is then
    against the roster's own count of people due).
    """

    village: str
    rates: tuple[Rate, ...]
    medical_due: int
    in_table: bool = True
    on_roster: bool = True


@attrs.frozen
class Phase:
    """A collection period in force on the day, and the days left in it."""

    period: Period
    days_left: int


@attrs.frozen
class DailyCount:
    """People who had paid by the end of ``day``, per scheme."""

    day: date
    paid: tuple[tuple[str, int], ...]


@attrs.frozen
class Progress:
    """Progress on one day: the periods in force, each village, the total, the daily counts."""

    day: date
    phases: tuple[Phase, ...]
    villages: tuple[VillageProgress, ...]
    total: VillageProgress
    daily: tuple[DailyCount, ...]


def is_exempt(assessed: SchemeAssessment) -> bool:
    """Whether the government pays this person's whole individual part (免缴费认定人群)."""
    return (
        assessed.status == ELIGIBLE
        and assessed.individual == 0
        and assessed.sponsor == 0
        and assessed.government > 0
    )


def phases_on(policy: Policy, day: date) -> tuple[Phase, ...]:
    """The collection periods ``day`` falls in, each with the days left, ``day`` included."""
    return tuple(
        Phase(period, (period.end - day).days + 1)
        for period in policy.collection.periods
        if period.start <= day <= period.end
    )


def progress_of(policy: Policy, roster: Roster, paid: Paid, day: date) -> Progress:
    """Every village's progress on ``day``, the subdistrict's, and the daily counts."""
    as_of = _as_of(paid, day)
    villages = [
        _village(policy, village, list(roster.of_village(village)), as_of)
        for village in roster.villages()
    ]
    reference = policy.reference_counts
    for village in reference.counts if reference is not None else ():
        if village not in roster.villages():
            villages.append(_village(policy, village, [], as_of, on_roster=False))
    total = VillageProgress(
        "",
        tuple(_sum(rates) for rates in zip(*(v.rates for v in villages), strict=True)),
        sum(v.medical_due for v in villages),
    )
    return Progress(
        day, phases_on(policy, day), tuple(villages), total, _daily(policy, roster, paid, day)
    )


def _as_of(paid: Paid, day: date) -> Paid:
    return Paid({key: on for key, on in paid.first_paid.items() if on is None or on <= day})


def _sum(rates: Sequence[Rate]) -> Rate:
    first, *rest = rates
    for rate in rest:
        first = first + rate
    return first


def _village(
    policy: Policy, village: str, people: Sequence[Assessed], paid: Paid, *, on_roster: bool = True
) -> VillageProgress:
    reference = policy.reference_counts
    rates = []
    medical_due = 0
    for target in policy.targets:
        due, done = _counts(target, people, paid)
        if target.measure == "coverage":
            medical_due = due
            if reference is not None and reference.scheme == target.scheme:
                due = reference.counts.get(village, due)
        rates.append(Rate(target, done, due))
    in_table = reference is None or village in reference.counts
    return VillageProgress(village, tuple(rates), medical_due, in_table, on_roster)


def _counts(target: Target, people: Iterable[Assessed], paid: Paid) -> tuple[int, int]:
    """(due, paid) among the people a target counts."""
    due = done = 0
    for person in people:
        assessed = person.assessment[target.scheme]
        if assessed.status not in LISTED or not _in_band(target, person.age):
            continue
        if target.measure == "coverage" and is_exempt(assessed):
            continue
        due += 1
        done += paid.has_paid(person.person_id, target.scheme)
    return due, done


def _in_band(target: Target, age: int) -> bool:
    return (target.min_age is None or age >= target.min_age) and (
        target.max_age is None or age <= target.max_age
    )


def _daily(policy: Policy, roster: Roster, paid: Paid, day: date) -> tuple[DailyCount, ...]:
    """Cumulative people paid per scheme for each day from the first payment to ``day``, when
    every payment carries its date (exempt people left out of medical, as in the targets)."""
    if not paid.dated():
        return ()
    coverage = {target.scheme for target in policy.targets if target.measure == "coverage"}
    counted = {
        (person.person_id, scheme)
        for person in roster.people
        for scheme, assessed in person.assessment.items()
        if assessed.status in LISTED and not (scheme in coverage and is_exempt(assessed))
    }
    days = sorted(on for key, on in paid.first_paid.items() if on is not None and key in counted)
    if not days or days[0] > day:
        return ()
    per_day: dict[tuple[date, str], int] = {}
    for (_person, scheme), on in paid.first_paid.items():
        if on is not None and (_person, scheme) in counted:
            per_day[on, scheme] = per_day.get((on, scheme), 0) + 1
    running = dict.fromkeys(policy.schemes, 0)
    counts = []
    current = days[0]
    while current <= day:
        for scheme in running:
            running[scheme] += per_day.get((current, scheme), 0)
        counts.append(DailyCount(current, tuple(running.items())))
        current += timedelta(days=1)
    return tuple(counts)
