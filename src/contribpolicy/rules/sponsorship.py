"""``sponsorship`` (资助): an employer, collective or person pays some of the individual part.

The amount comes from a declared input; it covers what is left after government help and is
capped at it (READING 五（一）, Decision), so a generous sponsor never creates a refund.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from contribpolicy.plugin import N_, BuildContext, Changes, Facts, Message, RuleEffect, SchemeState

_AFTER_SPONSORSHIP = N_(
    "rules {rules} of the scheme pay part of the individual part after this sponsorship; a "
    "sponsorship covers what is left after government help, so it must come after every relief "
    "and proxy payment"
)

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState

PARAMETERS: Mapping[str, Any] = {
    "properties": {
        "amount_from": {
            "$ref": "#/$defs/identifier",
            "description": "The declared input (inputs.amounts) with the amount.",
        },
    },
    "required": ["amount_from"],
}


@attrs.frozen
class Sponsorship:
    """A compiled ``sponsorship`` rule: a sponsor (资助) pays what the record offers."""

    amount_from: str
    round: Callable[[Decimal], Decimal]
    unchanged = "no sponsorship given, or nothing left to pay"

    def check_scheme(self, effects: Sequence[RuleEffect], context: BuildContext) -> None:
        """The sponsor covers what is left after government help, so it must come after it."""
        position = next(i for i, effect in enumerate(effects) if effect is self)
        later = [
            str(number)
            for number, effect in enumerate(effects[position + 1 :], start=position + 2)
            if getattr(effect, "covers_individual_part", False)
        ]
        if later:
            context.problem(
                "",
                Message(_AFTER_SPONSORSHIP, rules=", ".join(later)),
                "semantic.rule-order",
            )

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        """Cover the amount offered, up to what is still owed."""
        offered = facts.values.get(self.amount_from)
        if not offered:
            return ()
        return (("sponsor", state.cover("sponsor", self.round(offered))),)

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None:
        """The same cover on the rows of ``where``."""
        # Amounts in a record have at most money.places places, so rounding them is a no-op.
        offered = columns.amount(self.amount_from)
        state.cover("sponsor", offered.units, where & offered.present)


class SponsorshipKind:
    """The ``sponsorship`` kind: an amount from a declared input, paid by a sponsor."""

    parameters = PARAMETERS
    built_in = True

    def build(self, params: Mapping[str, Any], context: BuildContext) -> Sponsorship:
        """Compile the rule, checking that ``amount_from`` is a declared amount input."""
        context.require_input(params["amount_from"], "amounts", "/amount_from")
        return Sponsorship(params["amount_from"], context.rounding())


KIND = SponsorshipKind()
