"""A payment: a value the collection tools read from files and the cover rules read.

It lives below the engine so that ``Policy.coverage`` (when cover starts) and the collection
tools (reading payment files, reconciliation) share it; ``contribpolicy.collection`` reads them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

__all__ = ["Payment"]


@attrs.frozen
class Payment:
    """One payment: for whom (``person_id`` or ``id_number``), what, how much, when, how.

    ``line`` is where it is in its file (0 for a payment made in code)."""

    scheme: str
    year: int
    amount: Decimal
    date: date
    channel: str
    kind: str = "regular"
    person_id: str | None = None
    id_number: str | None = None
    line: int = 0

    @property
    def key(self) -> str:
        """Whom it is for: the person_id, or ``id:`` and the ID number when only that is given."""
        return self.person_id if self.person_id else f"id:{self.id_number}"
