"""``tier_subsidy``: a government subsidy that depends on the tier chosen, by brackets.

A bracket covers the tiers from ``from`` to ``to`` (inclusive; no ``to`` means "and above";
amounts with places for a range in fen, ``to: 1999.99``) and
pays either a fixed ``amount`` or a ``share`` of the tier, optionally at most ``cap``, so a
locality that subsidizes by percentage, or by bands of a contribution range, writes YAML, not
code. Every offered tier must fall in exactly one bracket: checked against the scheme's tier
choice when the policy loads, over intervals (a range of 8001 amounts is a few points).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from contribpolicy.plugin import N_, BuildContext, Changes, Facts, Message, RuleEffect, SchemeState
from contribpolicy.rules._common import COMPONENT, MONEY, SHARE
from contribpolicy.rules._tiers import plain

_NO_TIERS_BEFORE = N_("no tier_choice rule before this one offers tiers for these brackets")
_IN_NO_BRACKET = N_(
    "offered tier {tier} falls in no bracket; every offered tier must be in exactly one"
)
_RUN_IN_NO_BRACKET = N_(
    "offered tiers from {low} to {high} fall in no bracket; every offered tier must be in "
    "exactly one"
)
_IN_BRACKETS = N_(
    "offered tier {tier} falls in brackets {brackets}; every offered tier must be in exactly one"
)
_ONE_OF_AMOUNT_SHARE = N_("a bracket needs exactly one of amount or share")
_CAP_WITHOUT_SHARE = N_("a cap limits a share; this bracket has none")
_BRACKET_ENDS_FIRST = N_("bracket ends at {end}, before it starts at {start}")

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState

PARAMETERS: Mapping[str, Any] = {
    "properties": {
        "component": COMPONENT,
        "brackets": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["from"],
                "additionalProperties": False,
                "properties": {
                    "from": {**MONEY, "description": "The lowest tier of the bracket."},
                    "to": {**MONEY, "description": "The highest tier (inclusive)."},
                    "amount": {**MONEY, "description": "A fixed subsidy."},
                    "share": {**SHARE, "description": "A share of the tier, 0.1 = 10%."},
                    "cap": {**MONEY, "description": "At most this much (with share)."},
                },
            },
        },
    },
    "required": ["brackets"],
}


@attrs.frozen
class Bracket:
    """Tiers from ``low`` up to ``high`` (no upper end when None)."""

    low: Decimal
    high: Decimal | None
    amount: Decimal | None
    share: Decimal | None
    cap: Decimal | None = None

    def holds(self, tier: int | Decimal) -> bool:
        """Whether ``tier`` falls in the bracket."""
        return self.low <= tier and (self.high is None or tier <= self.high)


@attrs.frozen
class TierSubsidy:
    """A compiled ``tier_subsidy`` rule: a government subsidy by the tier chosen."""

    component: str
    brackets: tuple[Bracket, ...]
    round: Callable[[Decimal], Decimal]

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        """Add the subsidy of the bracket the chosen tier falls in."""
        tier = state.tier
        if tier is None:
            return ()
        for bracket in self.brackets:
            if bracket.holds(tier):
                amount = bracket.amount
                if amount is None:
                    amount = self.round(Decimal(tier) * (bracket.share or 0))
                    if bracket.cap is not None:
                        amount = min(amount, bracket.cap)
                return ((self.component, state.add(self.component, amount)),)
        return ()

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None:
        """The same subsidy on the rows of ``where``."""
        import numpy as np

        tier = state.tier_units  # minor units: a tier may be an amount in fen
        pending = where & state.has_tier
        for bracket in self.brackets:
            inside = pending & (tier >= state.units(bracket.low))
            if bracket.high is not None:
                inside &= tier <= state.units(bracket.high)
            if not inside.any():
                continue
            if bracket.amount is None:
                amount = state.share_of(tier, bracket.share or Decimal(0))
                if bracket.cap is not None:
                    amount = np.minimum(amount, state.units(bracket.cap))
                state.add(self.component, amount, inside)
            else:
                state.add(self.component, state.units(bracket.amount), inside)
            pending &= ~inside

    def bracket_points(self) -> tuple[Decimal, ...]:
        """Tiers on both sides of every bracket bound (a whole unit away: a tier choice's
        ``nearest`` gives the offered tiers next to a bound of a range in fen)."""
        points: set[Decimal] = set()
        for bracket in self.brackets:
            points.update({bracket.low, max(bracket.low - 1, Decimal(0))})
            if bracket.high is not None:
                points.update({bracket.high, bracket.high + 1})
        return tuple(sorted(points))

    def check_scheme(self, effects: Sequence[RuleEffect], context: BuildContext) -> None:
        """Report offered tiers that fall in no bracket, or in more than one."""
        # Only a tier chosen before this rule can be subsidized by it: rules run in order.
        before = effects[: next(i for i, effect in enumerate(effects) if effect is self)]
        offered = sorted(
            {tier for effect in before for tier in _offered_points(effect, self.bracket_points())}
        )
        if not offered:
            context.problem(
                "/brackets",
                Message(_NO_TIERS_BEFORE),
                "semantic.no-tiers",
            )
        for message in self._cover_problems(offered):
            context.problem("/brackets", message, "semantic.bracket-cover")

    def _cover_problems(self, offered: Sequence[Any]) -> Iterator[Message]:
        """Offered tiers in several brackets, each; and those in none, a run at a time: the
        points stand for every tier between them, so consecutive points in no bracket are a
        gap from the first to the last (999.01 to 999.99 of a range in fen)."""
        gap: list[Any] = []
        for tier in (*offered, None):
            matching = [] if tier is None else self._matching(tier)
            if tier is not None and not matching:
                gap.append(tier)
                continue
            if gap:
                yield _no_bracket(gap)
                gap = []
            if len(matching) > 1:
                found = ", ".join(str(i) for i in matching)
                yield Message(_IN_BRACKETS, tier=plain(tier), brackets=found)

    def _matching(self, tier: Any) -> list[int]:
        return [i for i, bracket in enumerate(self.brackets) if bracket.holds(tier)]


def _no_bracket(gap: Sequence[Any]) -> Message:
    """The offered tiers of a gap between brackets, by its ends."""
    if len(gap) == 1:
        return Message(_IN_NO_BRACKET, tier=plain(gap[0]))
    return Message(_RUN_IN_NO_BRACKET, low=plain(gap[0]), high=plain(gap[-1]))


def _offered_points(effect: RuleEffect, bounds: Sequence[Decimal]) -> list[Any]:
    """The offered tiers of a tier choice that stand for all (``tier_points``) and those next
    to a bracket bound (``nearest``, or a whole unit away): between them every tier falls in
    the same brackets."""
    points = getattr(effect, "tier_points", None)
    offers = getattr(effect, "amount_of", None)
    if not callable(points) or not callable(offers):
        found: list[Any] = list(getattr(effect, "offered_tiers", ()))
        return found
    nearest = getattr(effect, "nearest", None)
    near = [tier for bound in bounds for tier in nearest(bound)] if callable(nearest) else []
    return [tier for tier in (*points(), *bounds, *near) if offers(tier) is not None]


class TierSubsidyKind:
    """The ``tier_subsidy`` kind: subsidy amounts by brackets of tiers."""

    parameters = PARAMETERS
    # Two subsidies for one person's tier pay it twice (check.overlap).
    combines = False
    subsidy_by_tier = True
    built_in = True

    def build(self, params: Mapping[str, Any], context: BuildContext) -> TierSubsidy:
        """Compile the brackets: each with one of amount or share, none ending before it starts."""
        brackets = []
        for index, item in enumerate(params["brackets"]):
            pointer = f"/brackets/{index}"
            if ("amount" in item) == ("share" in item):
                context.problem(
                    pointer,
                    Message(_ONE_OF_AMOUNT_SHARE),
                    "semantic.bracket-amount",
                )
            if "cap" in item and "share" not in item:
                context.problem(f"{pointer}/cap", Message(_CAP_WITHOUT_SHARE), "semantic.cap")
            low = context.money(item["from"], f"{pointer}/from")
            high = context.money(item["to"], f"{pointer}/to") if "to" in item else None
            if high is not None and high < low:
                context.problem(
                    f"{pointer}/to",
                    Message(_BRACKET_ENDS_FIRST, end=item["to"], start=item["from"]),
                    "semantic.empty-range",
                )
            amount = (
                context.money(item["amount"], f"{pointer}/amount") if "amount" in item else None
            )
            share = Decimal(item["share"]) if "share" in item else None
            cap = context.money(item["cap"], f"{pointer}/cap") if "cap" in item else None
            brackets.append(Bracket(low, high, amount, share, cap))
        return TierSubsidy(params.get("component", "subsidy"), tuple(brackets), context.rounding())


KIND = TierSubsidyKind()
