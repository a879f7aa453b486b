"""When one person's cover starts: the per-person form of the ``coverage`` rules.

The plan says only that paying in the concentrated period gives the whole year and that others
"按医保政策执行" (五（二））; the medical insurance rule it defers to is 国办发〔2024〕38号, read in
READING "When medical cover starts". Every number comes from the policy's ``coverage`` section:

- paid (in full) inside the period, enrolled without a break: covered the whole year;
- newborns paid for within ``newborn.days`` of birth: covered from birth;
- groups exempt from waiting: covered from payment (from the year's start if paid in the period);
- anyone else: ``fixed_months``, plus ``variable_months_per_break_year`` for each consecutive
  year of break beyond ``break_years_free``, less ``back_payment_months_per_year`` per earlier
  year back-paid at the current contribution (variable months only), and at least
  ``floor.min_months`` in all after ``floor.after_break_years`` years of break; counted from the
  later of the payment and the start of the year.

The columnar form (``_columnar_cover``) gives the same dates for whole rosters.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from contribpolicy.engine.idnumber import birth_date_of, normalize_id_number
from contribpolicy.engine.records import RecordParser
from contribpolicy.engine.values import ascii_form, read_birth_date
from contribpolicy.errors import InputError
from contribpolicy.i18n import N_, translator
from contribpolicy.model.cover import Cover, CoverReason
from contribpolicy.model.facts import Facts
from contribpolicy.model.parts import Period, SchemeCoverage
from contribpolicy.model.payment import Payment
from contribpolicy.model.person import Person
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import ELIGIBLE

__all__ = ["COVER_FIELDS", "NEVER", "add_months", "cover_of", "insured_years_of"]

#: Record fields the cover rules read besides the policy's inputs.
COVER_FIELDS = ("insured_years", "death_date")

_DIED = N_("died {date}, before {year}: no cover")
_NOT_ELIGIBLE = N_("not eligible: {reason}")
_NOT_PAID = N_("paid {paid} of the {due} due for {year}: no cover until it is paid")
_NOTHING_DUE = N_("nothing to pay: covered the whole year")
_NOT_YEARS = N_("expected years such as 2023;2024, found {found!r}")
_NOT_DATE = N_("expected a date YYYY-MM-DD, found {found!r}")
_NO_HISTORY = N_("no enrolment history: taken as continuously enrolled")
_FIRST = N_("never insured before: a first enrolment, no break")
_BREAK = N_("{years} years without insurance before {year} ({first}-{last})")
_IN_PERIOD = N_("paid on {date}, in the period {start} to {end}, without a break: the whole year")
_NEWBORN = N_("born {born}, paid {days} days later (within {limit}): covered from birth")
_EXEMPT = N_("{label}: no waiting period")
_OUTSIDE = N_("paid on {date}, outside the period {start} to {end}")
_AFTER_BREAK = N_("paid after a break")
_FIXED = N_("fixed waiting period {months} months")
_VARIABLE = N_("variable waiting period {months} months for {years} further years of break")
_BACK_PAID = N_("back-paid {years}: {months} months fewer")
_FLOOR = N_("at least {months} months in all after {years} or more years of break")
_STARTS = N_("cover starts {date}, {months} months after {begin}")
_TOO_LATE = N_("the waiting period ends {date}, after the year: no cover this year")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


#: What ``insured_years`` says for someone known never to have been insured.
NEVER = frozenset({"none", "无"})


def insured_years_of(value: object) -> frozenset[int] | None:
    """``insured_years`` as years (``"2021;2022"``, a list of years); None when absent or blank
    (history unknown), no years for ``none`` / ``无`` (known never to have been insured)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = ascii_form(value)
        if text.lower() in NEVER:
            return frozenset()
        parts = [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]
    elif isinstance(value, Iterable):
        parts = [str(part).strip() for part in value]
    else:
        raise InputError.of("insured_years", _NOT_YEARS, value=value, found=value)
    for part in parts:
        if not (part.isascii() and part.isdigit() and len(part) == 4):
            raise InputError.of("insured_years", _NOT_YEARS, value=value, found=part)
    return frozenset(int(part) for part in parts)


def _death_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = ascii_form(str(value))
    try:
        if len(text) == 10 and text[4] == "-" == text[7]:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise InputError.of("death_date", _NOT_DATE, value=value, found=value)


def _born(record: Mapping[str, Any]) -> date | None:
    raw = record.get("id_number")
    if raw:
        return birth_date_of(normalize_id_number(ascii_form(str(raw))))
    return read_birth_date(record.get("birth_date"))


class _Reasons:
    """Reasons collected in order, in the reader's language."""

    def __init__(self, lang: str) -> None:
        self.t = translator(lang)
        self.items: list[CoverReason] = []

    def add(self, code: str, cite: str, message: str, **fields: object) -> None:
        self.items.append(CoverReason(code, self.t.gettext(message, **fields), cite))


def cover_of(
    policy: Policy,
    parser: RecordParser,
    record: Mapping[str, Any] | Person,
    payments: Iterable[Payment],
    scheme: str = "medical",
    *,
    lang: str = "en",
) -> Cover:
    """``Policy.coverage``: when the person's cover starts and ends, with the reasons."""
    rules = policy.coverage_rules.schemes[scheme]
    fields = record.to_record() if isinstance(record, Person) else dict(record)
    core = {name: value for name, value in fields.items() if name not in COVER_FIELDS}
    assessment = policy.evaluate(core)[scheme]
    history = insured_years_of(fields.get("insured_years"))
    died = _death_date(fields.get("death_date"))
    year = policy.coverage_year
    first, last = date(year, 1, 1), date(year, 12, 31)
    end = died if died is not None and died < last else last
    reasons = _Reasons(lang)
    blank = Cover(scheme, year, None, None, history_known=history is not None)
    if died is not None and died < first:
        reasons.add("died", "六（六）", _DIED, date=died, year=year)
        return attrs.evolve(blank, reasons=tuple(reasons.items))
    if assessment.status != ELIGIBLE:
        reasons.add("not-eligible", "四", _NOT_ELIGIBLE, reason=assessment.message or "")
        return attrs.evolve(blank, reasons=tuple(reasons.items))
    mine = [p for p in payments if p.scheme == scheme]
    due = assessment.contribution
    if not due:
        reasons.add("nothing-due", rules.cite, _NOTHING_DUE)
        return attrs.evolve(blank, start=first, end=end, reasons=tuple(reasons.items))
    paid_on, paid = _paid_on(mine, year, due)
    if paid_on is None:
        reasons.add("not-paid", rules.cite, _NOT_PAID, paid=paid, due=due, year=year)
        return attrs.evolve(blank, reasons=tuple(reasons.items))
    period = _period(policy, rules)
    breaks = _break_years(history, year, rules, reasons)
    wait = _Wait(policy, rules, parser.parse(core).facts, reasons)
    start, fixed, variable, back = wait.start(
        fields, payments=mine, paid_on=paid_on, period=period, breaks=breaks, due=due
    )
    if start is not None and start > end:
        reasons.add("too-late", rules.waiting.cite, _TOO_LATE, date=start)
        start = None
    return attrs.evolve(
        blank,
        start=start,
        end=end if start is not None else None,
        fixed_months=fixed,
        variable_months=variable,
        break_years=len(breaks),
        back_paid_years=back,
        paid_on=paid_on,
        reasons=tuple(reasons.items),
    )


def _paid_on(payments: list[Payment], year: int, due: Decimal) -> tuple[date | None, Decimal]:
    """The day the year's regular payments, in date order, first add up to ``due``."""
    total = Decimal(0)
    regular = [p for p in payments if p.year == year and p.kind == "regular"]
    for payment in sorted(regular, key=lambda p: (p.date, p.line)):
        total += payment.amount
        if total >= due:
            return payment.date, total
    return None, total


def _period(policy: Policy, rules: SchemeCoverage) -> Period:
    return next(p for p in policy.collection.periods if p.id == rules.period)


def _break_years(
    history: frozenset[int] | None, year: int, rules: SchemeCoverage, reasons: _Reasons
) -> tuple[int, ...]:
    """The consecutive years without insurance just before ``year`` that count."""
    cite = rules.waiting.cite
    if history is None:
        reasons.add("no-history", cite, _NO_HISTORY)
        return ()
    earlier = [y for y in history if y < year]
    counted_from = rules.waiting.break_years_counted_from
    if not earlier and counted_from is None:
        reasons.add("first-enrolment", cite, _FIRST)
        return ()
    since = max(earlier) + 1 if earlier else counted_from or year
    if counted_from is not None:
        since = max(since, counted_from)
    years = tuple(range(since, year))
    if years:
        reasons.add("break", cite, _BREAK, years=len(years), year=year, first=years[0],
                    last=years[-1])  # fmt: skip
    return years


class _Wait:
    """The waiting period of one person who paid, and the day cover starts."""

    def __init__(
        self, policy: Policy, rules: SchemeCoverage, facts: Facts, reasons: _Reasons
    ) -> None:
        self.policy = policy
        self.rules = rules
        self.facts = facts
        self.reasons = reasons
        self.first = date(policy.coverage_year, 1, 1)

    def start(
        self,
        fields: Mapping[str, Any],
        *,
        payments: list[Payment],
        paid_on: date,
        period: Period,
        breaks: tuple[int, ...],
        due: Decimal,
    ) -> tuple[date | None, int, int, int]:
        """(start, fixed months, variable months, years back-paid that counted)."""
        rules, reasons = self.rules, self.reasons
        in_period = period.start <= paid_on <= period.end
        if in_period and not breaks:
            reasons.add("in-period", rules.cite, _IN_PERIOD, date=paid_on, start=period.start,
                        end=period.end)  # fmt: skip
            return self.first, 0, 0, 0
        born = _born(fields)
        if rules.newborn_days is not None and born is not None:
            days = (paid_on - born).days
            if 0 <= days <= rules.newborn_days:
                reasons.add("newborn", rules.newborn_cite or rules.cite, _NEWBORN, born=born,
                            days=days, limit=rules.newborn_days)  # fmt: skip
                return max(born, self.first), 0, 0, 0
        for group in rules.exempt:
            if group.when.failure(self.facts) is None:
                reasons.add("exempt", group.cite, _EXEMPT, label=group.label)
                return (self.first if in_period else max(paid_on, self.first)), 0, 0, 0
        if in_period:
            reasons.add("after-break", rules.waiting.cite, _AFTER_BREAK)
        else:
            reasons.add("outside-period", rules.cite, _OUTSIDE, date=paid_on, start=period.start,
                        end=period.end)  # fmt: skip
        return self._months(payments, paid_on, breaks, due)

    def _months(
        self, payments: list[Payment], paid_on: date, breaks: tuple[int, ...], due: Decimal
    ) -> tuple[date | None, int, int, int]:
        waiting, reasons = self.rules.waiting, self.reasons
        fixed = waiting.fixed_months
        reasons.add("fixed", waiting.cite, _FIXED, months=fixed)
        further = max(0, len(breaks) - waiting.break_years_free)
        variable = further * waiting.variable_months_per_break_year
        if variable:
            reasons.add("variable", waiting.cite, _VARIABLE, months=variable, years=further)
        back = _back_paid(payments, breaks, due)
        removed = min(variable, len(back) * waiting.back_payment_months_per_year)
        if back and removed:
            variable -= removed
            reasons.add("back-paid", waiting.cite, _BACK_PAID,
                        years=", ".join(map(str, back)), months=removed)  # fmt: skip
        floor = waiting.floor_after_break_years
        if floor is not None and len(breaks) >= floor and fixed + variable < waiting.floor_months:
            variable = waiting.floor_months - fixed
            reasons.add("floor", waiting.cite, _FLOOR, months=waiting.floor_months, years=floor)
        begin = max(paid_on, self.first)
        start = add_months(begin, fixed + variable)
        reasons.add("starts", waiting.cite, _STARTS, date=start, months=fixed + variable,
                    begin=begin)  # fmt: skip
        return start, fixed, variable, len(back)


def _back_paid(payments: list[Payment], breaks: tuple[int, ...], due: Decimal) -> tuple[int, ...]:
    """The years of the break back-paid in full at the current contribution (38号 缴费修复)."""
    totals: dict[int, Decimal] = {}
    for payment in payments:
        if payment.kind == "back_payment" and payment.year in breaks:
            totals[payment.year] = totals.get(payment.year, Decimal(0)) + payment.amount
    return tuple(sorted(year for year, total in totals.items() if total >= due))
