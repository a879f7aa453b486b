"""``proxy_payment`` (代缴): the government pays part of the individual part on the person's behalf.

A fixed ``amount`` or a ``share`` of a base (``of``: what the person owes, by default; or the
lowest amount offered, "the government pays half of the minimum"), never more than the person
still owes: a person who chose a higher tier pays the difference (READING 五（一）, Decision).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from contribpolicy.plugin import N_, BuildContext, Changes, Facts, Message, RuleEffect, SchemeState
from contribpolicy.rules._common import (
    COMPONENT,
    MONEY,
    OF,
    SHARE,
    base_columns,
    base_of,
    check_base,
)

_ONE_OF_AMOUNT_SHARE = N_("a proxy payment needs exactly one of amount or share")
_OF_WITHOUT_SHARE = N_("of names the base of a share; this payment has none")

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState

PARAMETERS: Mapping[str, Any] = {
    "properties": {
        "component": COMPONENT,
        "amount": {**MONEY, "description": "A fixed amount paid for the person."},
        "share": {**SHARE, "description": "A share of the base (of), 0.5 = half."},
        "of": OF,
    },
}


@attrs.frozen
class ProxyPayment:
    """A compiled ``proxy_payment`` rule: the government pays an amount or a share for them."""

    component: str
    amount: Decimal | None
    share: Decimal | None
    round: Callable[[Decimal], Decimal]
    of: str = "individual_part"
    unchanged = "nothing left to pay on the person's behalf"
    #: Pays part of what the person owes (read by sponsorship's order check).
    covers_individual_part = True

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        """Cover the amount, or the share of the individual part, of what is still owed."""
        amount = self.amount
        if amount is None:
            amount = self.round(base_of(state, self.of) * (self.share or 0))
        return ((self.component, state.cover(self.component, amount)),)

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None:
        """The same cover on the rows of ``where``."""
        if self.amount is None:
            amount = state.share_of(base_columns(state, self.of), self.share or Decimal(0))
            state.cover(self.component, amount, where)
        else:
            state.cover(self.component, state.units(self.amount), where)

    def check_scheme(self, effects: Sequence[RuleEffect], context: BuildContext) -> None:
        """Check that a rule before this one sets the base of its share."""
        check_base(self.of, self, effects, context)


class ProxyPaymentKind:
    """The ``proxy_payment`` kind: 代缴, the government paying for a group."""

    parameters = PARAMETERS
    # Several proxy payments add up, each covering what is still owed (代缴 of two groups).
    share_parameter = "share"
    built_in = True

    def build(self, params: Mapping[str, Any], context: BuildContext) -> ProxyPayment:
        """Compile the payment: exactly one of ``amount`` and ``share``."""
        if ("amount" in params) == ("share" in params):
            context.problem("", Message(_ONE_OF_AMOUNT_SHARE), "semantic.proxy-amount")
        amount = context.money(params["amount"], "/amount") if "amount" in params else None
        share = Decimal(params["share"]) if "share" in params else None
        if "of" in params and share is None:
            context.problem("/of", Message(_OF_WITHOUT_SHARE))
        return ProxyPayment(
            params.get("component", "proxy"),
            amount,
            share,
            context.rounding(),
            params.get("of", "individual_part"),
        )


KIND = ProxyPaymentKind()
