"""``tier_choice``: the person chooses a contribution tier from an offered list, or a range.

Tiers are a list (``tiers``), a range (``range: {min, max, step}``: any whole amount from min
to max in steps, Beijing's 1000-9000 yuan; or, with a ``step`` such as 0.01, any amount to the
fen, read from a declared amount input), or both. Some tiers may be restricted to some people
(the 100 tier is only for hardship groups, 五（一）), and a default may apply when nobody chose
(the government proxy-pays severely disabled people's 100). A choice the plan does not allow
makes the scheme's status ``error``, not an exception: the other schemes of the person are still
assessed. No choice at all is ``error`` too, unless ``unchosen: not_paying`` says the scheme is
voluntary: then the person is ``not_paying`` this year (READING 四, Decision). Messages name a
range by its bounds, never by listing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from contribpolicy.plugin import N_, BuildContext, Changes, Condition, Facts, Message, SchemeState
from contribpolicy.rules._common import CONDITION, MONEY, amounts_text
from contribpolicy.rules._tiers import Amount, Grid, Offer, Range, plain, run_points

_NO_TIERS = N_("a tier choice needs tiers, a range, or both")
_TIER_ORDER = N_("tiers must be ascending and distinct: {tier} follows {previous}")
_TIER_NOT_OFFERED = N_("tier {tier} is not among the offered tiers")
_RANGE_ENDS_FIRST = N_("range ends at {high}, before it starts at {low}")
_RANGE_STEP = N_("max {high} is not min {low} plus a whole number of steps of {step}")

_UNCHOSEN = N_("no {choice} chosen; offered tiers: {offered}")
_NOT_OFFERED = N_("{choice} {tier} is not offered; offered tiers: {offered}")
_ONLY_FOR = N_("{choice} {tier} is only for {reason}")
_TIERS_AND_RANGE = N_("{tiers}; {range}")

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState, IntArray

PARAMETERS: Mapping[str, Any] = {
    "properties": {
        "choice": {
            "$ref": "#/$defs/identifier",
            "description": "The declared input holding the tier: inputs.choices (whole amounts), "
            "or inputs.amounts for a range in fen.",
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
            "description": "Any amount from min to max (inclusive) in steps of step: whole "
            "yuan, or with places (step: 0.01 is to the fen; the choice is then an amount input).",
            "properties": {
                "min": MONEY,
                "max": MONEY,
                "step": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "description": "1 unless given; 0.01 for any amount to the fen.",
                },
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
                    "tiers": {"type": "array", "minItems": 1, "items": MONEY},
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
                "properties": {"when": CONDITION, "tier": MONEY},
            },
        },
    },
    "required": ["choice"],
}


@attrs.frozen
class Restriction:
    """Tiers only the people ``to`` holds for may choose, and why."""

    tiers: frozenset[Amount]
    to: Condition
    reason: str


@attrs.frozen
class TierChoice:
    """A compiled ``tier_choice`` rule: the tiers offered, who may choose which, the defaults."""

    choice: str
    amounts: Mapping[int, Decimal]
    restricted: tuple[Restriction, ...]
    defaults: tuple[tuple[Condition, Amount], ...]
    range: Range | None = None
    not_paying: bool = False
    #: The choice is an amount input (a range in fen), not a whole number.
    in_amounts: bool = False
    #: The base a share may be declared of (``of: minimum``) that this rule sets.
    bases_set = ("minimum",)

    @property
    def offer(self) -> Offer:
        """The listed tiers and the range, as one set."""
        return Offer(frozenset(self.amounts), self.range)

    @property
    def offered_tiers(self) -> tuple[Amount, ...]:
        """Every offered tier, ascending (read by other kinds' scheme checks). A whole range is
        expanded; a range in fen stands by its ends (``tier_points``, ``nearest``)."""
        if self.range is None:
            return tuple(self.amounts)
        spanned = self.range.values() if self.range.whole else self.range.points()
        return tuple(sorted(set(self.amounts) | set(spanned)))

    @property
    def minimum(self) -> Amount:
        """The lowest amount offered: the base of ``of: minimum`` shares."""
        lows: list[Amount] = [min(self.amounts)] if self.amounts else []
        if self.range is not None:
            lows.append(self.range.points()[0])
        return min(lows)

    @property
    def offered_text(self) -> str:
        """The offer in words: the listed tiers, and the range by its bounds (a message, so a
        Chinese reader reads the range in Chinese)."""
        listed = amounts_text(tuple(self.amounts))
        if self.range is None:
            return listed
        if not self.amounts:
            return self.range.describe()
        return Message(_TIERS_AND_RANGE, tiers=listed, range=self.range.describe())

    def tier_points(self) -> tuple[Amount, ...]:
        """Tiers that stand for every offered tier (static checks): each run of evenly spaced
        listed tiers and each range by its ends and a tier inside, and every tier a restriction
        or default names. Not-offered tiers all fail alike: the checks add one of them."""
        points: set[Amount] = set(run_points(sorted(self.amounts)))
        if self.range is not None:
            points.update(self.range.points())
        for restriction in self.restricted:
            points.update(restriction.tiers)
        points.update(tier for _, tier in self.defaults)
        return tuple(sorted(points))

    def nearest(self, value: Decimal) -> tuple[Amount, ...]:
        """The offered tiers next to ``value`` (a bracket bound): the last below, ``value`` if
        offered, the first above. Between two of them every tier is in the same brackets."""
        return self.offer.nearest(value)

    def amount_of(self, tier: Amount) -> Decimal | None:
        """The amount of an offered tier, or None if it is not offered."""
        amount = self.amounts.get(tier)  # type: ignore[arg-type]
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

    def _default(self, facts: Facts) -> Amount | None:
        for condition, tier in self.defaults:
            if condition.failure(facts) is None:
                return tier
        return None

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None:
        """The same choice on the rows of ``where``, in grid units: whole units for a choice,
        minor units for an amount (a range in fen)."""
        import numpy as np

        defaults = tuple(tier for _, tier in self.defaults)
        grid = Grid.of(self.choice, self.in_amounts, defaults, columns, state)
        tier, present, keys = grid.tier.copy(), grid.present & where, grid.keys.copy()
        unchosen = where & ~present
        for index, (condition, default) in enumerate(self.defaults):
            taking = unchosen & columns.holds(condition)
            tier[taking] = grid.to_grid(default)
            keys[taking] = grid.default_key(index, tier[taking])
            present |= taking
            unchosen &= ~taking
        offered_text = self.offered_text
        message = f"no {self.choice} chosen; offered tiers: {offered_text}"
        if self.not_paying:
            state.skip(unchosen, message)
        else:
            state.fail(unchosen, message)
        allowed = present & np.isin(tier, [grid.to_grid(listed) for listed in self.amounts])
        if self.range is not None:
            low, high = grid.to_grid(self.range.low), grid.to_grid(self.range.high)
            step = grid.to_grid(self.range.step)
            allowed |= present & (tier >= low) & (tier <= high) & ((tier - low) % step == 0)
        why = "is not offered; offered tiers: " + offered_text
        self._refuse(state, present & ~allowed, keys, grid.spell, why)
        for restriction in self.restricted:
            refused = allowed & np.isin(tier, [grid.to_grid(t) for t in restriction.tiers])
            refused &= ~columns.holds(restriction.to)
            self._refuse(state, refused, keys, grid.spell, f"is only for {restriction.reason}")
            allowed &= ~refused
        # A tier's amount is the tier itself (context.money of a whole number; an amount in fen
        # as given); offered tiers are the policy's amounts, so minor units fit.
        units = tier[allowed] * grid.factor
        state.individual_part[allowed] = units
        state.tier[allowed] = units // 10**state.places
        state.tier_units[allowed] = units
        state.has_tier |= allowed
        state.set_base("minimum", state.units(self.minimum), allowed)

    def _refuse(
        self,
        state: ColumnState,
        refused: BoolArray,
        keys: IntArray,
        spell: Callable[[int], str],
        why: str,
    ) -> None:
        """Fail the refused rows with the per-person message, made once per tier."""
        if refused.any():
            from contribpolicy.plugin import Texts

            found = keys[refused]
            texts = Texts.by_key(found, lambda i: f"{self.choice} {spell(int(found[i]))} {why}")
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
        """Compile the tiers, restrictions and defaults, checking the choice input: a whole
        number (inputs.choices), or an amount (inputs.amounts) for a range in fen."""
        tiers: list[int] = params.get("tiers", [])
        span = _range_of(params.get("range"), context)
        in_amounts = span is not None and not span.whole
        context.require_input(params["choice"], "amounts" if in_amounts else "choices", "/choice")
        if not tiers and span is None:
            context.problem("", Message(_NO_TIERS), "semantic.no-tiers")
        for index in range(1, len(tiers)):
            if tiers[index] <= tiers[index - 1]:
                context.problem(
                    f"/tiers/{index}",
                    Message(_TIER_ORDER, tier=tiers[index], previous=tiers[index - 1]),
                    "semantic.tier-order",
                )
        offered = Offer(frozenset(tiers), span)
        restricted = []
        for index, item in enumerate(params.get("restricted", [])):
            pointer = f"/restricted/{index}/tiers"
            named = _tiers_of(item["tiers"], pointer, context)
            self._check_offered(named, offered, pointer, context)
            condition = context.condition(item["to"], f"/restricted/{index}/to")
            restricted.append(Restriction(frozenset(named), condition, item["reason"]))
        defaults = []
        for index, item in enumerate(params.get("default", [])):
            pointer = f"/default/{index}/tier"
            (tier,) = _tiers_of([item["tier"]], pointer, context)
            self._check_offered([tier], offered, pointer, context)
            defaults.append((context.condition(item["when"], f"/default/{index}/when"), tier))
        amounts = {tier: context.money(tier) for tier in tiers}
        return TierChoice(
            params["choice"],
            amounts,
            tuple(restricted),
            tuple(defaults),
            span,
            params.get("unchosen") == "not_paying",
            in_amounts,
        )

    @staticmethod
    def _check_offered(
        tiers: list[Amount], offered: Offer, pointer: str, context: BuildContext
    ) -> None:
        for tier in tiers:
            if tier not in offered:
                context.problem(
                    pointer,
                    Message(_TIER_NOT_OFFERED, tier=plain(tier)),
                    "semantic.tier-not-offered",
                )


KIND = TierChoiceKind()


def _amount(value: int | Decimal, pointer: str, context: BuildContext) -> Amount:
    """An amount of the policy (places checked), as an int when it is whole."""
    amount = context.money(value, pointer)
    return int(amount) if amount == amount.to_integral_value() else amount


def _tiers_of(values: list[Any], pointer: str, context: BuildContext) -> list[Amount]:
    return [_amount(value, f"{pointer}/{index}", context) for index, value in enumerate(values)]


def _range_of(data: Mapping[str, Any] | None, context: BuildContext) -> Range | None:
    if data is None:
        return None
    low = Decimal(_amount(data["min"], "/range/min", context))
    high = Decimal(_amount(data["max"], "/range/max", context))
    step = Decimal(_amount(data.get("step", 1), "/range/step", context))
    if step <= 0:  # a step finer than money.places, reported above
        step = Decimal(1)
    if high < low:
        context.problem(
            "/range/max",
            Message(_RANGE_ENDS_FIRST, high=plain(high), low=plain(low)),
            "semantic.empty-range",
        )
    elif (high - low) % step:
        context.problem(
            "/range/max",
            Message(_RANGE_STEP, high=plain(high), low=plain(low), step=plain(step)),
            "semantic.range-step",
        )
    return Range(low, high, step)
