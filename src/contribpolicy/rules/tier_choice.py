"""``tier_choice``: the person chooses a contribution tier from an offered list.

Some tiers may be restricted to some people (the 100 tier is only for hardship groups, 五（一）),
and a default may apply when nobody chose (the government proxy-pays severely disabled people's
100). A choice the plan does not allow makes the scheme's status ``error``, not an exception:
the other schemes of the person are still assessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from contribpolicy.plugin import N_, BuildContext, Changes, Condition, Facts, Message, SchemeState
from contribpolicy.rules._common import CONDITION, amounts_text

_UNCHOSEN = N_("no {choice} chosen; offered tiers: {offered}")
_NOT_OFFERED = N_("{choice} {tier} is not offered; offered tiers: {offered}")
_ONLY_FOR = N_("{choice} {tier} is only for {reason}")

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState, IntArray

PARAMETERS: Mapping[str, Any] = {
    "properties": {
        "choice": {
            "$ref": "#/$defs/identifier",
            "description": "The declared input (inputs.choices) holding the tier.",
        },
        "tiers": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "integer", "minimum": 0},
            "description": "Offered tiers, ascending.",
        },
        "restricted": {
            "type": "array",
            "description": "Tiers only some people may choose.",
            "items": {
                "type": "object",
                "required": ["tiers", "to", "reason"],
                "additionalProperties": False,
                "properties": {
                    "tiers": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "integer", "minimum": 0},
                    },
                    "to": CONDITION,
                    "reason": {"type": "string", "minLength": 1},
                },
            },
        },
        "default": {
            "type": "array",
            "description": "The tier taken when no tier is chosen; the first that applies.",
            "items": {
                "type": "object",
                "required": ["when", "tier"],
                "additionalProperties": False,
                "properties": {"when": CONDITION, "tier": {"type": "integer", "minimum": 0}},
            },
        },
    },
    "required": ["choice", "tiers"],
}


@attrs.frozen
class Restriction:
    """Tiers only the people ``to`` holds for may choose, and why."""

    tiers: frozenset[int]
    to: Condition
    reason: str


@attrs.frozen
class TierChoice:
    """A compiled ``tier_choice`` rule: the tiers offered, who may choose which, the defaults."""

    choice: str
    amounts: Mapping[int, Decimal]
    restricted: tuple[Restriction, ...]
    defaults: tuple[tuple[Condition, int], ...]

    @property
    def offered_tiers(self) -> tuple[int, ...]:
        """Read by other kinds' scheme checks (e.g. tier_subsidy brackets)."""
        return tuple(self.amounts)

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        """Set the individual part to the chosen (or default) tier, or fail the scheme."""
        tier = facts.values.get(self.choice)
        if tier is None:
            tier = self._default(facts)
            if tier is None:
                offered = amounts_text(self.offered_tiers)
                state.fail(Message(_UNCHOSEN, choice=self.choice, offered=offered))
                return ()
        amount = self.amounts.get(tier)
        if amount is None:
            offered = amounts_text(self.offered_tiers)
            state.fail(Message(_NOT_OFFERED, choice=self.choice, tier=tier, offered=offered))
            return ()
        for restriction in self.restricted:
            if tier in restriction.tiers and restriction.to.failure(facts) is not None:
                state.fail(
                    Message(_ONLY_FOR, choice=self.choice, tier=tier, reason=restriction.reason)
                )
                return ()
        state.tier = tier
        state.individual_part = amount
        return (("individual", amount),)

    def _default(self, facts: Facts) -> int | None:
        for condition, tier in self.defaults:
            if condition.failure(facts) is None:
                return tier
        return None

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None:
        """The same choice on the rows of ``where``."""
        import numpy as np

        chosen = columns.choice(self.choice)
        tier, present = chosen.values.copy(), chosen.present & where
        unchosen = where & ~present
        for condition, default in self.defaults:
            taking = unchosen & columns.holds(condition)
            tier[taking] = default
            present |= taking
            unchosen &= ~taking
        offered = self.offered_tiers
        state.fail(unchosen, f"no {self.choice} chosen; offered tiers: {amounts_text(offered)}")
        allowed = present & np.isin(tier, offered)
        self._refuse(
            state,
            present & ~allowed,
            tier,
            "is not offered; offered tiers: " + amounts_text(offered),
        )
        for restriction in self.restricted:
            refused = allowed & np.isin(tier, list(restriction.tiers))
            refused &= ~columns.holds(restriction.to)
            self._refuse(state, refused, tier, f"is only for {restriction.reason}")
            allowed &= ~refused
        units = np.array([state.units(amount) for amount in self.amounts.values()])
        order = np.argsort(offered)
        index = order[np.searchsorted(np.array(offered)[order], tier[allowed])]
        state.individual_part[allowed] = units[index]
        state.tier[allowed] = tier[allowed]
        state.has_tier |= allowed

    def _refuse(self, state: ColumnState, refused: BoolArray, tier: IntArray, why: str) -> None:
        """Fail the refused rows with the per-person message, made once per tier."""
        if refused.any():
            from contribpolicy.plugin import Texts

            tiers = tier[refused]
            texts = Texts.by_key(tiers, lambda i: f"{self.choice} {tiers[i]} {why}")
            state.fail(refused, texts)


class TierChoiceKind:
    """The ``tier_choice`` kind: the person chooses a contribution tier from a list."""

    parameters = PARAMETERS
    # A second premium for one person overrides the first (check.overlap), as a premium split.
    combines = False
    overlap_group = "premium"
    sets_premium = True
    built_in = True

    def build(self, params: Mapping[str, Any], context: BuildContext) -> TierChoice:
        """Compile the tiers, restrictions and defaults, checking the choice input."""
        context.require_input(params["choice"], "choices", "/choice")
        tiers: list[int] = params["tiers"]
        for index in range(1, len(tiers)):
            if tiers[index] <= tiers[index - 1]:
                context.problem(
                    f"/tiers/{index}",
                    f"tiers must be ascending and distinct: "
                    f"{tiers[index]} follows {tiers[index - 1]}",
                    "semantic.tier-order",
                )
        offered = set(tiers)
        restricted = []
        for index, item in enumerate(params.get("restricted", [])):
            self._check_offered(item["tiers"], offered, f"/restricted/{index}/tiers", context)
            condition = context.condition(item["to"], f"/restricted/{index}/to")
            restricted.append(Restriction(frozenset(item["tiers"]), condition, item["reason"]))
        defaults = []
        for index, item in enumerate(params.get("default", [])):
            self._check_offered([item["tier"]], offered, f"/default/{index}/tier", context)
            defaults.append(
                (context.condition(item["when"], f"/default/{index}/when"), item["tier"])
            )
        amounts = {tier: context.money(tier) for tier in tiers}
        return TierChoice(params["choice"], amounts, tuple(restricted), tuple(defaults))

    @staticmethod
    def _check_offered(
        tiers: list[int], offered: set[int], pointer: str, context: BuildContext
    ) -> None:
        for tier in tiers:
            if tier not in offered:
                context.problem(
                    pointer,
                    f"tier {tier} is not among the offered tiers",
                    "semantic.tier-not-offered",
                )


KIND = TierChoiceKind()
