"""The rows a reconciliation writes: one per person, scheme and year, or per stray payment."""

from __future__ import annotations

from decimal import Decimal

import attrs

from contribpolicy.collection._summary import Summary

__all__ = ["Reconciliation", "ReconciliationRow", "reconciliation_columns"]


@attrs.frozen
class ReconciliationRow:
    """One person, scheme and year (or one payment matching nobody), reconciled.

    ``due``, ``paid``, ``difference`` (paid - due) and ``refund`` are Decimal; ``channel``
    names the channels that paid (``;``-separated); ``refund_to`` the recipients of the refund
    (``person``, ``heirs``, ``government``, ``sponsor``); ``line`` is the roster line (the
    payment's line for ``not_on_roster``)."""

    person_id: str
    village: str
    scheme: str
    year: int
    due: Decimal
    paid: Decimal
    difference: Decimal
    channel: str
    status: str
    refund: Decimal
    refund_to: str
    message: str
    line: int
    name: str = ""
    id_number: str = ""

    def cells(self) -> list[str]:
        """The row as the output's text cells, in ``reconciliation_columns()`` order."""
        return [
            self.person_id,
            self.id_number,
            self.name,
            self.village,
            self.scheme,
            str(self.year),
            str(self.due),
            str(self.paid),
            str(self.difference),
            self.channel,
            self.status,
            str(self.refund),
            self.refund_to,
            self.message,
            str(self.line),
        ]


def reconciliation_columns() -> tuple[str, ...]:
    """The output's columns, identity first."""
    return (
        "person_id",
        "id_number",
        "name",
        "village",
        "scheme",
        "year",
        "due",
        "paid",
        "difference",
        "channel",
        "status",
        "refund",
        "refund_to",
        "message",
        "line",
    )


@attrs.frozen(eq=False)
class Reconciliation:
    """Every reconciled row, in roster order then the payments that matched nobody, and the
    totals (``summary.balanced``, ``summary.exit_code``)."""

    rows: tuple[ReconciliationRow, ...]
    summary: Summary
