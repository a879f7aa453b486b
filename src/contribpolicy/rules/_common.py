"""Schema fragments and helpers shared by the built-in rule kinds."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from contribpolicy.plugin import N_, BuildContext, Message, SchemeState

_NO_BASE = N_(
    "no rule before this one sets the base {of!r} (premium_split sets standard and premium; "
    "tier_choice sets minimum)"
)

if TYPE_CHECKING:
    from contribpolicy.plugin import ColumnState, IntArray

COMPONENT: dict[str, Any] = {
    "$ref": "#/$defs/identifier",
    "description": "The government component the amount is booked to.",
}
MONEY: dict[str, Any] = {"$ref": "#/$defs/money"}
SHARE: dict[str, Any] = {"$ref": "#/$defs/share"}
CONDITION: dict[str, Any] = {"$ref": "#/$defs/condition"}


def amounts_text(amounts: tuple[int, ...]) -> str:
    """Tiers as people write them: 100, 350, 500."""
    return ", ".join(str(amount) for amount in amounts)


#: What a share may be of: what the person owes now (the default), the premium's standard
#: individual part, the premium's total, or the lowest tier or range amount offered.
BASES = ("individual_part", "standard", "premium", "minimum")
OF: dict[str, Any] = {
    "enum": list(BASES),
    "description": "What the share is of: individual_part (what the person owes when the rule "
    "runs, the default), standard (the premium's individual part, whatever the person owes), "
    "premium (the premium's total), minimum (the lowest amount offered).",
}


def check_base(of: str, effect: object, effects: Sequence[object], context: BuildContext) -> None:
    """A share ``of`` a base needs a rule before it that sets that base."""
    if of == "individual_part":
        return
    before = effects[: next(i for i, other in enumerate(effects) if other is effect)]
    if not any(of in getattr(other, "bases_set", ()) for other in before):
        context.problem(
            "/of",
            Message(_NO_BASE, of=of),
            "semantic.no-base",
        )


def base_of(state: SchemeState, of: str) -> Decimal:
    """The amount a share is of, for one person."""
    if of == "individual_part":
        return state.individual_part
    return state.bases.get(of, Decimal(0))


def base_columns(state: ColumnState, of: str) -> IntArray:
    """The amount a share is of, per row, in minor units."""
    if of == "individual_part":
        return state.individual_part
    return state.base(of)
