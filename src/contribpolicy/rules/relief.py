"""``relief``: the government bears a share of the individual part.

Reliefs declare how they combine with the reliefs before them: ``most_favourable`` (the
largest applicable relief, not their sum: READING 五（一）, Decision) or ``add`` (summed, never
past what the person owes). Both are independent of rule order among reliefs of the same component.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from contribpolicy.plugin import BuildContext, Changes, Facts, SchemeState
from contribpolicy.rules._common import COMPONENT, SHARE

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState

PARAMETERS: Mapping[str, Any] = {
    "properties": {
        "component": COMPONENT,
        "share": {**SHARE, "description": "Share of the individual part, 1 = all of it."},
        "combine": {
            "enum": ["most_favourable", "add"],
            "description": "How it combines with reliefs already applied.",
        },
    },
    "required": ["share", "combine"],
}


@attrs.frozen
class Relief:
    """A compiled ``relief`` rule: the government bears a share of the individual part."""

    component: str
    share: Decimal
    most_favourable: bool
    round: Callable[[Decimal], Decimal]
    unchanged = "nothing more to relieve: a relief at least as large applies, or nothing is left"
    #: Pays part of what the person owes (read by sponsorship's order check).
    covers_individual_part = True

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        """Cover the share (only what passes the reliefs already applied, when most favourable)."""
        amount = self.round(state.individual_part * self.share)
        if self.most_favourable:
            amount -= state.government.get(self.component, Decimal(0))
            if amount <= 0:
                return ()
        return ((self.component, state.cover(self.component, amount)),)

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None:
        """The same cover on the rows of ``where``."""
        # A cover of nothing or less changes nothing, as the early return above.
        amount = state.share_of(state.individual_part, self.share)
        if self.most_favourable:
            amount = amount - state.component(self.component)
        state.cover(self.component, amount, where)


class ReliefKind:
    """The ``relief`` kind: a share of the individual part borne by the government."""

    parameters = PARAMETERS
    # Reliefs combine as their ``combine`` says; their shares must not pass 100%.
    share_parameter = "share"
    combine_parameter = "combine"
    built_in = True

    def build(self, params: Mapping[str, Any], context: BuildContext) -> Relief:
        """Compile the share, its component and how it combines."""
        return Relief(
            params.get("component", "relief"),
            Decimal(params["share"]),
            params["combine"] == "most_favourable",
            context.rounding(),
        )


KIND = ReliefKind()
