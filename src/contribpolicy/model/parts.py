"""The parts a loaded policy is made of: rules, schemes, money, vocabulary, collection data.

Frozen values, built by the loader (``contribpolicy.format``) and read by everything above it.
``Policy`` (``model.policy``) holds them together.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from contribpolicy.errors import Location
from contribpolicy.model.conditions import Condition
from contribpolicy.model.frozen import freeze
from contribpolicy.model.protocol import KindTraits, RuleEffect

__all__ = [
    "AgeBasis",
    "Channel",
    "Collection",
    "CoverageRules",
    "ExemptGroup",
    "IdMasking",
    "Money",
    "NameMasking",
    "Notice",
    "Period",
    "ReferenceCounts",
    "Rule",
    "Scheme",
    "SchemeCoverage",
    "Silence",
    "Source",
    "Target",
    "Vocabulary",
    "WaitingPeriod",
]


@attrs.frozen
class Source:
    """The document a policy encodes."""

    number: str
    issuer: str
    date: date
    title: str | None = None


@attrs.frozen
class AgeBasis:
    """Ages are completed years on ``reference_date`` (READING 四, Decision)."""

    reference_date: date
    method: str = "completed_years"


@attrs.frozen
class Money:
    """Currency, decimal places and rounding mode every amount is rounded with."""

    currency: str
    places: int
    rounding: str

    @property
    def quantum(self) -> Decimal:
        """The smallest amount the policy writes (0.01 for two places)."""
        return Decimal(1).scaleb(-self.places)

    def round(self, value: Decimal | int) -> Decimal:
        """``value`` rounded to the policy's places with its rounding mode."""
        return Decimal(value).quantize(self.quantum, rounding=self.rounding)


@attrs.frozen
class Vocabulary:
    """The inputs a person record may carry, each with its label.

    ``numbers`` are whole numbers known about a person (years paid), parsed as choices are;
    ``sex`` (labels of ``male`` and ``female``), when declared, makes sex a fact every record
    must give, by its ID number or a ``sex`` field.
    """

    statuses: Mapping[str, str] = attrs.field(converter=freeze)
    residence: Mapping[str, str] = attrs.field(converter=freeze)
    flags: Mapping[str, str] = attrs.field(factory=dict, converter=freeze)
    choices: Mapping[str, str] = attrs.field(factory=dict, converter=freeze)
    amounts: Mapping[str, str] = attrs.field(factory=dict, converter=freeze)
    numbers: Mapping[str, str] = attrs.field(factory=dict, converter=freeze)
    sex: Mapping[str, str] = attrs.field(factory=dict, converter=freeze)

    @property
    def whole_numbers(self) -> dict[str, str]:
        """Choices and numbers: the inputs that hold a whole number, with their labels."""
        return {**self.choices, **self.numbers}

    def inputs(self) -> dict[str, str]:
        """Every input a condition may test, with its category (residence, flags, ...)."""
        return {
            "residence": "residence",
            **({"sex": "sex"} if self.sex else {}),
            **dict.fromkeys(self.flags, "flags"),
            **dict.fromkeys(self.choices, "choices"),
            **dict.fromkeys(self.numbers, "numbers"),
            **dict.fromkeys(self.amounts, "amounts"),
        }


@attrs.frozen
class Silence:
    """A static-check finding the policy's authors accept, with their reason."""

    code: str
    reason: str
    target: str | None = None


@attrs.frozen
class Rule:
    """One rule of a scheme: its common keys, compiled condition and compiled effect."""

    id: str
    kind: str
    label: str
    cite: str
    when: Condition | None
    params: Mapping[str, Any] = attrs.field(converter=freeze)
    effect: RuleEffect
    provider: str
    location: Location
    silence: tuple[Silence, ...] = ()
    #: What its kind declares about itself (``KindTraits``), read when the kind registered.
    traits: KindTraits = attrs.field(factory=KindTraits)
    #: The group of rules of which only the first that applies to a person applies.
    first_match: str | None = None


@attrs.frozen
class Scheme:
    """An insurance scheme: an ordered list of rules."""

    name: str
    label: str
    rules: tuple[Rule, ...]


@attrs.frozen
class Period:
    """A dated phase of collection (集中缴费期, 公示阶段...), ``end`` inclusive."""

    id: str
    label: str
    start: date
    end: date
    cite: str
    schemes: tuple[str, ...] = ()
    note: str | None = None


@attrs.frozen
class Channel:
    """A way of paying (委托代收, 自行申报...)."""

    id: str
    label: str
    cite: str
    note: str | None = None


@attrs.frozen
class Collection:
    """How and when contributions are collected: data for people and reports, not amounts."""

    periods: tuple[Period, ...] = ()
    channels: tuple[Channel, ...] = ()
    cite: str | None = None


@attrs.frozen
class Target:
    """A coverage or payment-rate target of the plan (三), e.g. 95% of 45-59 year-olds pay."""

    id: str
    label: str
    scheme: str
    measure: str
    rate: Decimal
    cite: str
    min_age: int | None = None
    max_age: int | None = None
    note: str | None = None


@attrs.frozen
class ReferenceCounts:
    """Reference head counts per village (a plan's attachment), to compare a roster against."""

    label: str
    cite: str
    scheme: str
    counts: Mapping[str, int]
    note: str | None = None

    @property
    def total(self) -> int:
        """The reference counts added up over every group."""
        return sum(self.counts.values())


@attrs.frozen
class NameMasking:
    """How a name is masked on a notice: the surname kept or not, the last given-name character
    kept or not; every other character becomes the mask."""

    keep_surname: bool
    keep_last: int
    compound_surnames: frozenset[str] = frozenset()


@attrs.frozen
class IdMasking:
    """How an ID number is masked: the first and last characters kept, the middle hidden.

    ``hidden`` is how many mask characters stand for the middle (``None``: one per character).
    The birth date inside an ID number is hidden whatever the pattern says; ``check`` refuses a
    pattern that would show it (``check.mask-shows-birth-date``).
    """

    keep_first: int
    keep_last: int
    hidden: int | None = None

    #: GB 11643: an ID number has 18 characters; the 7th to the 14th are the birth date.
    LENGTH = 18
    BIRTH_DATE = range(6, 14)

    def birth_date_shown(self) -> tuple[int, ...]:
        """The positions (1-based) of birth-date characters this pattern would show."""
        shown = set(range(min(self.keep_first, self.LENGTH)))
        shown |= set(range(max(0, self.LENGTH - self.keep_last), self.LENGTH))
        return tuple(index + 1 for index in sorted(shown) if index in self.BIRTH_DATE)


@attrs.frozen
class Notice:
    """The public notice (公示) of the payment roster: READING's notice section as settings.

    ``amounts`` says per scheme whether the standard amount is shown (``"standard"``) or not
    (``"none"``); ``children`` under ``child_age`` are hidden in full (``"masked"``) or listed
    under their household head (``"under_head"``).
    """

    cite: str
    issuer: str
    period: str
    mask: str
    name: NameMasking
    id_number: IdMasking
    child_age: int
    children: str
    rows_per_page: int = 30
    sign_offs: tuple[str, ...] = ()
    amounts: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class WaitingPeriod:
    """Months before the fund pays for someone who paid outside the period or after a break
    (国办发〔2024〕38号, READING "When medical cover starts"): ``fixed_months``, plus
    ``variable_months_per_break_year`` for each consecutive year of break beyond
    ``break_years_free``, less ``back_payment_months_per_year`` per earlier year back-paid (from
    the variable months only), and never below ``floor_months`` in all after
    ``floor_after_break_years`` or more years of break."""

    fixed_months: int
    variable_months_per_break_year: int
    cite: str
    break_years_free: int = 1
    break_years_counted_from: int | None = None
    back_payment_months_per_year: int = 0
    floor_after_break_years: int | None = None
    floor_months: int = 0


@attrs.frozen
class ExemptGroup:
    """People who wait for nothing (退役军人, 低收入人口 whose break was not their doing...)."""

    id: str
    label: str
    when: Condition
    cite: str


@attrs.frozen
class SchemeCoverage:
    """When one scheme's cover starts: the period that covers the whole year, the waiting
    period, newborns (covered from birth if enrolled within ``newborn_days``), exempt groups."""

    scheme: str
    period: str
    waiting: WaitingPeriod
    cite: str
    newborn_days: int | None = None
    newborn_cite: str | None = None
    exempt: tuple[ExemptGroup, ...] = ()


@attrs.frozen
class CoverageRules:
    """The ``coverage`` section: cover rules per scheme (a scheme without any has no dates)."""

    schemes: Mapping[str, SchemeCoverage] = attrs.field(factory=dict)
    cite: str | None = None
