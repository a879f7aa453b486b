"""The totals of a reconciliation: per status, per village and per channel, and the balance.

钱表相符 (七（二）): the money collected must equal what the roster says was paid. Each table
adds up the terms of one equation, in fen:

    collected = dues of those who paid + overpaid - underpaid + matching nobody + not assessed

"Collected" of a channel and of the whole is summed from the payments file itself, the terms
from the reconciled rows, so the equation checks the reconciliation: a payment counted twice
or lost shows as a line saying the books do not balance.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from contribpolicy.collection.payments import CHANNELS
from contribpolicy.errors import InputError

__all__ = ["RECIPIENTS", "StatusTally", "Summary", "Terms"]

#: Who receives a refund: the person (their heirs if they died), the government, a sponsor.
RECIPIENTS = ("person", "government", "sponsor")


@attrs.define
class Terms:
    """The terms of the balance, in minor units (fen)."""

    collected: int = 0
    dues: int = 0
    over: int = 0
    under: int = 0
    unmatched: int = 0
    held: int = 0

    @property
    def terms(self) -> int:
        return self.dues + self.over - self.under + self.unmatched + self.held

    @property
    def balanced(self) -> bool:
        return self.collected == self.terms

    def add(self, other: Terms) -> None:
        for field in attrs.fields(Terms):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


@attrs.define
class StatusTally:
    """Rows of one status and their amounts (fen)."""

    rows: int = 0
    due: int = 0
    paid: int = 0
    refund: int = 0


@attrs.define
class Summary:
    """Everything a reconciliation adds up; amounts in fen, ``money`` turns them to Decimal.

    ``villages`` and ``channels`` each balance on their own, and ``total`` for the whole file;
    ``roster_problems`` and ``payment_problems`` are the rows that could not be read or
    assessed (line, field, reason), each counted in ``roster_rows`` / ``payment_rows``."""

    policy_id: str
    year: int
    places: int
    statuses: dict[str, StatusTally]
    villages: dict[str, Terms] = attrs.field(factory=dict)
    channels: dict[str, Terms] = attrs.field(factory=lambda: {name: Terms() for name in CHANNELS})
    total: Terms = attrs.field(factory=Terms)
    refunds: dict[str, int] = attrs.field(factory=lambda: dict.fromkeys(RECIPIENTS, 0))
    roster_rows: int = 0
    payment_rows: int = 0
    roster_problems: list[InputError] = attrs.field(factory=list)
    payment_problems: list[InputError] = attrs.field(factory=list)
    #: Rows whose status asks for action: every status but paid, and unpaid with money due.
    to_act_on: int = 0

    def money(self, fen: int) -> Decimal:
        """An amount in minor units as the Decimal the outputs show."""
        return Decimal(fen).scaleb(-self.places)

    @property
    def balanced(self) -> bool:
        return (
            self.total.balanced
            and all(terms.balanced for terms in self.villages.values())
            and all(terms.balanced for terms in self.channels.values())
        )

    @property
    def clean(self) -> bool:
        """Balanced, every row paid or legitimately unpaid, every input row readable."""
        return (
            self.balanced
            and not self.to_act_on
            and not self.roster_problems
            and not self.payment_problems
        )

    @property
    def exit_code(self) -> int:
        """0 when clean, 1 when there is anything to act on (the CLI's exit status)."""
        return 0 if self.clean else 1
