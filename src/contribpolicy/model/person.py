"""A person as the policy sees them: the ``Person`` value, the record fields, and record limits.

Reading a record (a mapping, a CSV row) into facts is the engine's job
(``contribpolicy.engine.records``); this module holds only the values, so the model needs nothing
above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

__all__ = [
    "CORE_FIELDS",
    "DEFAULT_RECORD_LIMITS",
    "DROP_WHEN_BLANK",
    "EARLIEST_BIRTH_YEAR",
    "Person",
    "RecordLimits",
]

#: The fields every roster and record may carry, before the policy's declared inputs.
CORE_FIELDS = ("person_id", "id_number", "name", "village", "birth_date", "residence", "statuses")
#: The earliest birth year a record may give: the record parsers (per person and columnar)
#: refuse earlier ones, and the static checks need consider no older person.
EARLIEST_BIRTH_YEAR = 1900
#: Fields a roster drops when their cell is blank or only whitespace (common in spreadsheet
#: exports), so that they read as absent; other fields treat only "" as absent.
DROP_WHEN_BLANK = ("id_number", "birth_date")


@attrs.frozen
class RecordLimits:
    """Bounds on the values of a record beyond their type; raise them by passing your own.

    ``max_amount`` bounds every declared amount input (``medical_sponsor`` in 2025). No
    sponsorship above what a person owes can be used (it is capped at what is left, 五（一）),
    and the most a resident owes in a year under the 2025 plan is the top pension tier, 8,000;
    an amount over 10,000 is a typing error (40000 for 400.00) that the cap would otherwise hide.
    A policy whose amount inputs are larger by nature (an income) needs a higher bound.
    """

    max_amount: Decimal = Decimal(10_000)


DEFAULT_RECORD_LIMITS = RecordLimits()


def _names(names: Iterable[str]) -> frozenset[str]:
    return frozenset(names)


@attrs.frozen
class Person:
    """A person as the policy sees them; ``flags`` holds the flags that are set."""

    person_id: str
    birth_date: date | None = None
    residence: str = ""
    statuses: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    flags: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    choices: Mapping[str, int | None] = attrs.field(factory=dict)
    amounts: Mapping[str, Decimal | None] = attrs.field(factory=dict)
    #: Whole numbers known about the person (inputs.numbers), e.g. pension_years_paid.
    numbers: Mapping[str, int | None] = attrs.field(factory=dict)
    id_number: str | None = None
    name: str = ""
    village: str = ""
    #: ``male`` or ``female``, for a policy that declares inputs.sex and a person without an
    #: 18-digit ID number (which says it).
    sex: str | None = None

    def to_record(self) -> dict[str, Any]:
        """The flat mapping form ``Policy.evaluate`` also accepts."""
        record: dict[str, Any] = {
            "person_id": self.person_id,
            "id_number": self.id_number,
            "name": self.name,
            "village": self.village,
            "birth_date": self.birth_date,
            "residence": self.residence,
            "statuses": sorted(self.statuses),
        }
        if self.sex is not None:
            record["sex"] = self.sex
        record.update(dict.fromkeys(self.flags, True))
        record.update(self.choices)
        record.update(self.amounts)
        record.update(self.numbers)
        return record
