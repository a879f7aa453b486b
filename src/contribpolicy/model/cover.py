"""When cover starts: what ``Policy.coverage`` gives (五（二）, 国办发〔2024〕38号)."""

from __future__ import annotations

import datetime
from typing import Any

import attrs

__all__ = ["Cover", "CoverReason"]


@attrs.frozen
class CoverReason:
    """One step of deciding when cover starts: a code, words for people, and the cite."""

    code: str
    text: str
    cite: str

    def to_dict(self) -> dict[str, str]:
        """The JSON form."""
        return {"code": self.code, "text": self.text, "cite": self.cite}


@attrs.frozen
class Cover:
    """When a person's cover under a scheme starts and ends in the coverage year.

    ``start`` is None when the fund pays nothing this year (not eligible, not paid in full, or a
    waiting period that ends after the year). ``waiting_months == fixed_months +
    variable_months``; ``break_years`` are the consecutive years without insurance before the
    year, ``back_paid_years`` those of them back-paid; ``history_known`` is false when the
    roster gave no enrolment history (the person is then taken as continuously enrolled).
    """

    scheme: str
    year: int
    start: datetime.date | None
    end: datetime.date | None
    fixed_months: int = 0
    variable_months: int = 0
    break_years: int = 0
    back_paid_years: int = 0
    paid_on: datetime.date | None = None
    history_known: bool = False
    reasons: tuple[CoverReason, ...] = ()

    @property
    def covered(self) -> bool:
        """Whether the fund pays for anything this year."""
        return self.start is not None

    @property
    def waiting_months(self) -> int:
        """The waiting period in all: fixed and variable months."""
        return self.fixed_months + self.variable_months

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: dates as ISO text, the reasons with their cites."""

        def day(value: datetime.date | None) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "scheme": self.scheme,
            "year": self.year,
            "covered": self.covered,
            "start": day(self.start),
            "end": day(self.end),
            "waiting_months": self.waiting_months,
            "fixed_months": self.fixed_months,
            "variable_months": self.variable_months,
            "break_years": self.break_years,
            "back_paid_years": self.back_paid_years,
            "paid_on": day(self.paid_on),
            "history_known": self.history_known,
            "reasons": [reason.to_dict() for reason in self.reasons],
        }
