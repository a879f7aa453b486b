"""The status of each (person, scheme, year) from what was due and what each channel paid.

Vectorized over a block of rows; amounts are int64 fen. The order of the tests is the order of
the statuses' precedence: money for someone who died before the year (六（六）) or who may not
enrol (四) is refunded whole; then a part paid twice (六（二）6); then money an agent collected
for a part the government pays (五（三）3, READING "never from an agent"); then the plain
comparison of paid with due.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from contribpolicy.collection._ledger import AGENT, GOVERNMENT, SELF, SPONSOR

__all__ = ["STATUSES", "Classified", "Dues", "classify"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

STATUSES = (
    "paid",
    "underpaid",
    "overpaid",
    "unpaid",
    "duplicate",
    "not_on_roster",
    "deceased",
    "not_eligible",
    "government_via_agent",
)
(PAID, UNDERPAID, OVERPAID, UNPAID, DUPLICATE, NOT_ON_ROSTER, DECEASED, NOT_ELIGIBLE,
 GOVERNMENT_VIA_AGENT) = range(len(STATUSES))  # fmt: skip


@attrs.frozen(eq=False)
class Dues:
    """What each payer owes per row: the person (agent or self), the government, a sponsor;
    ``eligible`` false where the roster says the person may not enrol, ``dead`` where they
    died before the year began (then nothing is due)."""

    person: IntArray
    government: IntArray
    sponsor: IntArray
    eligible: BoolArray
    dead: BoolArray

    @property
    def total(self) -> IntArray:
        return self.person + self.government + self.sponsor


@attrs.frozen(eq=False)
class Classified:
    """Per row: status code, due, paid, refund per recipient (person, government, sponsor),
    and due per channel (the personal part on the channel that paid it, agent by default)."""

    status: npt.NDArray[np.int8]
    due: IntArray
    paid: IntArray
    refund: npt.NDArray[np.int64]  # shape (3, rows): person, government, sponsor
    due_by_channel: npt.NDArray[np.int64]  # shape (4, rows)

    @property
    def difference(self) -> IntArray:
        return self.paid - self.due


def classify(
    dues: Dues, by_channel: npt.NDArray[np.int64], count: npt.NDArray[np.int64]
) -> Classified:
    """Statuses and refunds; ``by_channel``/``count`` are (4, rows) amounts and payments."""
    live = dues.eligible & ~dues.dead
    due_person = np.where(live, dues.person, 0)
    due_government = np.where(live, dues.government, 0)
    due_sponsor = np.where(live, dues.sponsor, 0)
    due = due_person + due_government + due_sponsor
    personal = by_channel[AGENT] + by_channel[SELF]
    government = by_channel[GOVERNMENT]
    sponsor = by_channel[SPONSOR]
    paid = personal + government + sponsor
    repeated = (count[AGENT] + count[SELF] > 1) | (count[GOVERNMENT] > 1) | (count[SPONSOR] > 1)
    via_agent = (due_government > 0) & (personal > due_person) & (government < due_government)
    conditions = [
        dues.dead & (paid > 0),
        ~dues.eligible & (paid > 0),
        paid == 0,
        repeated,
        via_agent,
        paid < due,
        paid > due,
    ]
    choices = [DECEASED, NOT_ELIGIBLE, UNPAID, DUPLICATE, GOVERNMENT_VIA_AGENT, UNDERPAID, OVERPAID]
    status = np.select(conditions, choices, PAID).astype(np.int8)
    refund = np.zeros((3, paid.size), dtype=np.int64)
    whole = (status == DECEASED) | (status == NOT_ELIGIBLE)
    excess = (status == DUPLICATE) | (status == OVERPAID)
    refund[0] = np.where(whole, personal, np.where(excess, np.maximum(personal - due_person, 0), 0))
    refund[0] = np.where(status == GOVERNMENT_VIA_AGENT, personal - due_person, refund[0])
    refund[1] = np.where(
        whole, government, np.where(excess, np.maximum(government - due_government, 0), 0)
    )
    refund[2] = np.where(whole, sponsor, np.where(excess, np.maximum(sponsor - due_sponsor, 0), 0))
    due_by_channel = np.zeros((4, paid.size), dtype=np.int64)
    on_self = (by_channel[AGENT] == 0) & (by_channel[SELF] > 0)
    due_by_channel[AGENT] = np.where(on_self, 0, due_person)
    due_by_channel[SELF] = np.where(on_self, due_person, 0)
    due_by_channel[GOVERNMENT] = due_government
    due_by_channel[SPONSOR] = due_sponsor
    return Classified(status, due, paid, refund, due_by_channel)
