"""``tier_choice``: the person chooses a contribution tier from an offered list, or a range.

Tiers are a list (``tiers``), a range (``range: {min, max, step}``: any whole amount from min
to max in steps, Beijing's 1000-9000 yuan), or both. Some tiers may be restricted to some people
(the 100 tier is only for hardship groups, 五（一）), and a default may apply when nobody chose
(the government proxy-pays severely disabled people's 100). A choice the plan does not allow
makes the scheme's status ``error``, not an exception: the other schemes of the person are still
assessed. No choice at all is ``error`` too, unless ``unchosen: not_paying`` says the scheme is
voluntary: then the person is ``not_paying`` this year (READING 四, Decision). Messages name a
range by its bounds, never by listing it.
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
        "range": {
            "type": "object",
            "required": ["min", "max"],
            "additionalProperties": False,
            "description": "Any whole amount from min to max (inclusive) in steps of step.",
            "properties": {
                "min": {"type": "integer", "minimum": 0},
                "max": {"type": "integer", "minimum": 0},
                "step": {"type": "integer", "minimum": 1, "description": "1 unless given."},
            },
        },
        "unchosen": {
            "enum": ["error", "not_paying"],
            "description": "No tier chosen and no default: an error (the default), or "
            "not paying this year (a voluntary scheme).",
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
    "required": ["choice"],
}


@attrs.frozen
class Range:
    """Whole amounts from ``low`` to ``high`` inclusive, every ``step``."""

    low: int
    high: int
    step: int

    def __contains__(self, tier: object) -> bool:
        return (
            isinstance(tier, int)
            and self.low <= tier <= self.high
            and (tier - self.low) % self.step == 0
        )

    def describe(self) -> str:
        """What the condition requires, in words."""
        steps = "" if self.step == 1 else f" in steps of {self.step}"
        return f"any whole amount from {self.low} to {self.high}{steps}"

    def values(self) -> range:
        """Values."""
        return range(self.low, self.high + 1, self.step)


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
    range: Range | None = None
    not_paying: bool = False
    #: The base a share may be declared of (``of: minimum``) that this rule sets.
    bases_set = ("minimum",)

    @property
    def offered_tiers(self) -> tuple[int, ...]:
        """Every offered tier, ascending (read by other kinds' scheme checks, e.g. tier_subsidy
        brackets). A range is expanded: use ``tier_points`` to reason about it."""
        if self.range is None:
            return tuple(self.amounts)
        return tuple(sorted(set(self.amounts) | set(self.range.values())))

    @property
    def minimum(self) -> int:
        """The lowest amount offered: the base of ``of: minimum`` shares."""
        listed = min(self.amounts) if self.amounts else None
        low = self.range.low if self.range is not None else None
        return min(value for value in (listed, low) if value is not None)

    @property
    def offered_text(self) -> str:
        """The offer in words: the listed tiers, and the range by its bounds."""
        parts = []
        if self.amounts:
            parts.append(amounts_text(tuple(self.amounts)))
        if self.range is not None:
            parts.append(self.range.describe())
        return "; ".join(parts)

    def tier_points(self) -> tuple[int, ...]:
        """Tiers that stand for every offered tier (static checks): each run of evenly spaced
        listed tiers and each range by its ends and a tier inside, and every tier a restriction
        or default names. Not-offered tiers all fail alike: the checks add one of them."""
        points: set[int] = set(_run_points(sorted(self.amounts)))
        if self.range is not None:
            low, high, step = self.range.low, self.range.high, self.range.step
            points.update({low, min(low + step, high), high})
        for restriction in self.restricted:
            points.update(restriction.tiers)
        points.update(tier for _, tier in self.defaults)
        return tuple(sorted(points))

    def amount_of(self, tier: int) -> Decimal | None:
        """The amount of an offered tier, or None if it is not offered."""
        amount = self.amounts.get(tier)
        if amount is None and self.range is not None and tier in self.range:
            return Decimal(tier)
        return amount

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        """Set the individual part to the chosen (or default) tier, or fail the scheme."""
        tier = facts.values.get(self.choice)
        if tier is None:
            tier = self._default(facts)
            if tier is None:
                message = Message(_UNCHOSEN, choice=self.choice, offered=self.offered_text)
                if self.not_paying:
                    state.skip(message)
                else:
                    state.fail(message)
                return ()
        amount = self.amount_of(tier)
        if amount is None:
            offered = self.offered_text
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
        state.bases["minimum"] = Decimal(self.minimum)
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
        offered_text = self.offered_text
        message = f"no {self.choice} chosen; offered tiers: {offered_text}"
        if self.not_paying:
            state.skip(unchosen, message)
        else:
            state.fail(unchosen, message)
        listed = present & np.isin(tier, list(self.amounts))
        allowed = listed.copy()
        if self.range is not None:
            low, high, step = self.range.low, self.range.high, self.range.step
            allowed |= present & (tier >= low) & (tier <= high) & ((tier - low) % step == 0)
        self._refuse(
            state, present & ~allowed, tier, "is not offered; offered tiers: " + offered_text
        )
        for restriction in self.restricted:
            refused = allowed & np.isin(tier, list(restriction.tiers))
            refused &= ~columns.holds(restriction.to)
            self._refuse(state, refused, tier, f"is only for {restriction.reason}")
            allowed &= ~refused
            listed &= ~refused
        # A tier's amount is the tier itself in whole units (context.money of a whole number).
        state.individual_part[allowed] = tier[allowed] * 10**state.places
        state.tier[allowed] = tier[allowed]
        state.has_tier |= allowed
        state.set_base("minimum", state.units(self.minimum), allowed)

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
        tiers: list[int] = params.get("tiers", [])
        span = _range_of(params.get("range"), context)
        if not tiers and span is None:
            context.problem("", "a tier choice needs tiers, a range, or both", "semantic.no-tiers")
        for index in range(1, len(tiers)):
            if tiers[index] <= tiers[index - 1]:
                context.problem(
                    f"/tiers/{index}",
                    f"tiers must be ascending and distinct: "
                    f"{tiers[index]} follows {tiers[index - 1]}",
                    "semantic.tier-order",
                )
        offered: set[int] | _Offered = set(tiers) if span is None else _Offered(set(tiers), span)
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
        return TierChoice(
            params["choice"],
            amounts,
            tuple(restricted),
            tuple(defaults),
            span,
            params.get("unchosen") == "not_paying",
        )

    @staticmethod
    def _check_offered(
        tiers: list[int], offered: set[int] | _Offered, pointer: str, context: BuildContext
    ) -> None:
        for tier in tiers:
            if tier not in offered:
                context.problem(
                    pointer,
                    f"tier {tier} is not among the offered tiers",
                    "semantic.tier-not-offered",
                )


KIND = TierChoiceKind()


@attrs.frozen
class _Offered:
    """Listed tiers and a range, tested as one set while building."""

    listed: set[int]
    span: Range

    def __contains__(self, tier: object) -> bool:
        return tier in self.listed or tier in self.span


def _range_of(data: Mapping[str, int] | None, context: BuildContext) -> Range | None:
    if data is None:
        return None
    low, high, step = data["min"], data["max"], data.get("step", 1)
    if high < low:
        context.problem(
            "/range/max", f"range ends at {high}, before it starts at {low}", "semantic.empty-range"
        )
    elif (high - low) % step:
        context.problem(
            "/range/max",
            f"max {high} is not min {low} plus a whole number of steps of {step}",
            "semantic.range-step",
        )
    return Range(low, high, step)


def _run_points(tiers: list[int]) -> list[int]:
    """Each run of three or more evenly spaced tiers (8001 tiers 1000..9000 are one run) by
    its first, second and last tier; other tiers by themselves."""
    points: list[int] = []
    start = 0
    while start < len(tiers):
        end = start + 1
        if end + 1 < len(tiers):
            gap = tiers[end] - tiers[start]
            while end + 1 < len(tiers) and tiers[end + 1] - tiers[end] == gap:
                end += 1
        if end - start >= 2:
            points.extend((tiers[start], tiers[start + 1], tiers[end]))
            start = end + 1
        else:
            points.append(tiers[start])
            start += 1
    return points
