"""Who paid for which scheme of the coverage year, and on which day: what the notice and the
progress report need of the payments (``contribpolicy.collection`` reads and reconciles them).

A person has paid for a scheme when the payments hold a payment of a positive amount for them,
that scheme and the policy's coverage year, through any channel: the notice says "paid" or "not
paid", never who paid (a government channel would reveal a status). A payment naming the person
by ID number is matched through the roster.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from contribpolicy.collection.payments import Payment

__all__ = ["Paid", "paid_from"]


@attrs.frozen
class Paid:
    """The first day each person paid for each scheme of the coverage year."""

    first_paid: Mapping[tuple[str, str], date | None]

    def has_paid(self, person_id: str, scheme: str) -> bool:
        """Whether the person has paid for the scheme in the coverage year."""
        return (person_id, scheme) in self.first_paid

    def dated(self) -> bool:
        """Whether every payment carries its date (a daily progress chart needs them)."""
        return bool(self.first_paid) and all(on is not None for on in self.first_paid.values())


def paid_from(
    payments: Iterable[Payment], coverage_year: int, by_id_number: Mapping[str, str] | None = None
) -> Paid:
    """Who paid for the coverage year (the earliest day kept); ``by_id_number`` maps an ID
    number to the roster's person_id for payments that name no person_id."""
    first: dict[tuple[str, str], date | None] = {}
    for payment in payments:
        person = payment.person_id or (by_id_number or {}).get(payment.id_number or "")
        if person is None or payment.year != coverage_year or payment.amount <= 0:
            continue
        key = (person, payment.scheme)
        known = first.get(key)
        if key not in first or known is None or payment.date < known:
            first[key] = payment.date
    return Paid(first)
