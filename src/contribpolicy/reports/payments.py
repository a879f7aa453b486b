"""Who paid for which scheme of the coverage year, and on which day: what the notice and the
progress report need of the payments (``contribpolicy.collection`` reads and reconciles them).

A person has paid for a scheme when the payments for them, that scheme and the policy's
coverage year, through any channel, add up to what the collection channels together bring in for
them (``SchemeAssessment.contribution``: their own part, the sponsor's and the government's on
their behalf); the day they have paid is the day the sum reached it. Less than that is *short*
(未缴足): a notice must not show an underpaid person as paid. Without the dues (a caller that
has no assessment), any positive payment counts as paid. The notice says "paid", "short" or
"not paid", never who paid (a government channel would reveal a status). A payment naming the
person by ID number is matched through the roster.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

import attrs

from contribpolicy.collection.payments import Payment

__all__ = ["Paid", "paid_from"]


Key = tuple[str, str]


@attrs.frozen
class Paid:
    """For each person and scheme of the coverage year: the day the payments reached what is
    due (None when a payment carries no date), and the sum paid by those still short of it."""

    first_paid: Mapping[Key, date | None]
    short: Mapping[Key, Decimal] = attrs.field(factory=dict)

    def has_paid(self, person_id: str, scheme: str) -> bool:
        """Whether the person has paid for the scheme in full in the coverage year."""
        return (person_id, scheme) in self.first_paid

    def is_short(self, person_id: str, scheme: str) -> bool:
        """Whether the person has paid something for the scheme, but less than is due."""
        return (person_id, scheme) in self.short

    def dated(self) -> bool:
        """Whether every payment carries its date (a daily progress chart needs them)."""
        return bool(self.first_paid) and all(on is not None for on in self.first_paid.values())


def paid_from(
    payments: Iterable[Payment],
    coverage_year: int,
    by_id_number: Mapping[str, str] | None = None,
    dues: Mapping[Key, Decimal] | None = None,
) -> Paid:
    """Who paid for the coverage year, and since when; ``by_id_number`` maps an ID number to
    the roster's person_id for payments that name no person_id; ``dues`` is what each person
    and scheme must bring in (without it, any positive payment is paid)."""
    found: dict[Key, list[Payment]] = {}
    for payment in payments:
        person = payment.person_id or (by_id_number or {}).get(payment.id_number or "")
        if person is None or payment.year != coverage_year or payment.amount <= 0:
            continue
        found.setdefault((person, payment.scheme), []).append(payment)
    first: dict[Key, date | None] = {}
    short: dict[Key, Decimal] = {}
    for key, made in found.items():
        made.sort(key=lambda payment: payment.date)
        reached = _day_reached(made, (dues or {}).get(key))
        if reached is None:
            short[key] = sum((payment.amount for payment in made), Decimal(0))
        else:
            first[key] = reached
    return Paid(first, short)


def _day_reached(payments: list[Payment], due: Decimal | None) -> date | None:
    """The day the running sum of ``payments`` (in date order) reached ``due`` (the first
    payment's without a due), or None when it never did."""
    if due is None:
        return payments[0].date
    total = Decimal(0)
    for payment in payments:
        total += payment.amount
        if total >= due:
            return payment.date
    return None
