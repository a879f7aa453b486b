"""``relief``: the government bears part of the individual part: a share, or a fixed sum.

A relief relieves a ``share`` of a base (``of``: what the person owes, the premium's standard
individual part, its total, or the lowest amount offered), or a fixed ``amount`` (a county
relieves 280 yuan of a 低保 member's medical part). Reliefs declare how they combine with the
reliefs before them, by the amount they relieve: ``most_favourable`` (the largest applicable
relief, not their sum: READING 五（一）, Decision) or ``add`` (summed, never past what the person
owes). Both are independent of rule order among reliefs of the same component.
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

_ONE_OF_SHARE_AMOUNT = N_("a relief needs exactly one of share (of a base) or amount (a fixed sum)")
_OF_WITHOUT_SHARE = N_("of names the base of a share; this relief has none")

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState, IntArray

PARAMETERS: Mapping[str, Any] = {
    "properties": {
        "component": COMPONENT,
        "share": {**SHARE, "description": "Share of the base (of), 1 = all of it."},
        "of": OF,
        "amount": {**MONEY, "description": "A fixed sum relieved (instead of a share)."},
        "combine": {
            "enum": ["most_favourable", "add"],
            "description": "How it combines with reliefs already applied, by amount relieved.",
        },
    },
    "required": ["combine"],
}


@attrs.frozen
class Relief:
    """A compiled ``relief`` rule: the government bears a share of the individual part."""

    component: str
    share: Decimal | None
    most_favourable: bool
    round: Callable[[Decimal], Decimal]
    amount: Decimal | None = None
    of: str = "individual_part"
    unchanged = "nothing more to relieve: a relief at least as large applies, or nothing is left"
    #: Pays part of what the person owes (read by sponsorship's order check).
    covers_individual_part = True

    def relieved(self, state: SchemeState) -> Decimal:
        """What this relief alone relieves, before what is left caps it."""
        if self.amount is not None:
            return self.amount
        return self.round(base_of(state, self.of) * (self.share or 0))

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        """Cover the share (only what passes the reliefs already applied, when most favourable)."""
        amount = self.relieved(state)
        if self.most_favourable:
            amount -= state.government.get(self.component, Decimal(0))
            if amount <= 0:
                return ()
        return ((self.component, state.cover(self.component, amount)),)

    def relieved_columns(self, state: ColumnState) -> IntArray | int:
        """What this relief alone relieves, per row, in minor units."""
        if self.amount is not None:
            return state.units(self.amount)
        return state.share_of(base_columns(state, self.of), self.share or Decimal(0))

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None:
        """The same cover on the rows of ``where``."""
        # A cover of nothing or less changes nothing, as the early return above.
        amount = self.relieved_columns(state)
        if self.most_favourable:
            amount = amount - state.component(self.component)
        state.cover(self.component, amount, where)

    def check_scheme(self, effects: Sequence[RuleEffect], context: BuildContext) -> None:
        """Check that a rule before this one sets the base of its share."""
        check_base(self.of, self, effects, context)


class ReliefKind:
    """The ``relief`` kind: a share of the individual part borne by the government."""

    parameters = PARAMETERS
    # Reliefs combine as their ``combine`` says; their shares must not pass 100%.
    share_parameter = "share"
    combine_parameter = "combine"
    built_in = True

    def build(self, params: Mapping[str, Any], context: BuildContext) -> Relief:
        """Compile the share, its component and how it combines."""
        if ("amount" in params) == ("share" in params):
            context.problem(
                "",
                Message(_ONE_OF_SHARE_AMOUNT),
                "semantic.relief-amount",
            )
        if "of" in params and "share" not in params:
            context.problem("/of", Message(_OF_WITHOUT_SHARE))
        amount = context.money(params["amount"], "/amount") if "amount" in params else None
        return Relief(
            params.get("component", "relief"),
            Decimal(params["share"]) if "share" in params else None,
            params["combine"] == "most_favourable",
            context.rounding(),
            amount,
            params.get("of", "individual_part"),
        )


KIND = ReliefKind()
