"""Schema fragments and helpers shared by the built-in rule kinds."""

from __future__ import annotations

from typing import Any

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
