"""What a ``tier_choice`` offers, as intervals: listed tiers and a contribution range.

A range is ``min`` to ``max`` in steps of ``step``: whole yuan (Beijing's 1000-9000), or money
with the policy's places (``step: 0.01``, any amount to the fen). Reasoning about an offer never
lists a range: membership is arithmetic, and the static checks see a range by its ends and the
amounts next to a bound (``nearest``), so 800,001 amounts in fen cost what 3 do.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from contribpolicy.plugin import N_, Message

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState, IntArray

__all__ = ["Amount", "Grid", "Offer", "Range", "plain", "run_points"]

#: A tier: a whole number (a choice) or an amount with places (a range in fen).
Amount = int | Decimal

#: A range in words, by its bounds (the ``{offered}`` of a tier choice's messages).
_RANGE_WORDS = {
    (True, False): N_("any whole amount from {low} to {high}"),
    (True, True): N_("any whole amount from {low} to {high} in steps of {step}"),
    (False, False): N_("any amount from {low} to {high}"),
    (False, True): N_("any amount from {low} to {high} in steps of {step}"),
}


def plain(amount: Amount) -> str:
    """An amount as a policy writes it: 1000, 0.01, 1000.5 (no exponent, no trailing zeros)."""
    if isinstance(amount, int):
        return str(amount)
    return format(amount.normalize(), "f")


def _whole(amount: Decimal) -> Amount:
    """An integral amount as an int (the tier of a whole-number choice), else the Decimal."""
    return int(amount) if amount == amount.to_integral_value() else amount


@attrs.frozen
class Range:
    """Amounts from ``low`` to ``high`` inclusive, every ``step`` (Decimals)."""

    low: Decimal
    high: Decimal
    step: Decimal

    @property
    def whole(self) -> bool:
        """Whether every amount of the range is a whole number (a choice can hold them)."""
        return all(value == value.to_integral_value() for value in (self.low, self.step))

    @property
    def count(self) -> int:
        """How many amounts the range offers."""
        return int((self.high - self.low) // self.step) + 1

    def __contains__(self, tier: object) -> bool:
        if isinstance(tier, bool) or not isinstance(tier, int | Decimal):
            return False
        return self.low <= tier <= self.high and (tier - self.low) % self.step == 0

    def describe(self) -> Message:
        """The range in words, by its bounds (a catalog message: read in the reader's language)."""
        words = _RANGE_WORDS[self.whole, self.step != 1]
        return Message(words, low=plain(self.low), high=plain(self.high), step=plain(self.step))

    def values(self) -> Iterable[Amount]:
        """Every amount of the range, ascending (thousands for a range in fen: reason with
        ``points`` and ``nearest`` instead)."""
        return (_whole(self.low + index * self.step) for index in range(self.count))

    def points(self) -> tuple[Amount, ...]:
        """Its first, second and last amount: between them every amount is alike."""
        second = min(self.low + self.step, self.high)
        return tuple(_whole(value) for value in (self.low, second, self.high))

    def nearest(self, value: Decimal) -> tuple[Amount, ...]:
        """The amounts of the range next to ``value``: the last below it, ``value`` itself if
        offered, the first above it (those that exist)."""
        if value < self.low:
            return (_whole(self.low),)
        if value > self.high:
            return (_whole(self.high),)
        index = int((value - self.low) // self.step)
        at = self.low + index * self.step
        indexes = {index, index + 1} if at < value else {index - 1, index, index + 1}
        return tuple(
            _whole(self.low + i * self.step) for i in sorted(indexes) if 0 <= i < self.count
        )


@attrs.frozen
class Offer:
    """Listed tiers and an optional range, tested as one set."""

    listed: frozenset[Amount]
    span: Range | None

    def __contains__(self, tier: object) -> bool:
        return tier in self.listed or (self.span is not None and tier in self.span)

    def nearest(self, value: Decimal) -> tuple[Amount, ...]:
        """The offered amounts next to ``value``: the last below it, ``value`` itself if
        offered, the first above it; of the listed tiers and of the range."""
        listed = sorted(self.listed)
        low, high = bisect.bisect_left(listed, value), bisect.bisect_right(listed, value)
        found = set(listed[max(low - 1, 0) : high + 1])
        if self.span is not None:
            found.update(self.span.nearest(value))
        return tuple(sorted(found))


def run_points(tiers: Sequence[Amount]) -> list[Amount]:
    """Each run of three or more evenly spaced tiers (8001 tiers 1000..9000 are one run) by
    its first, second and last tier; other tiers by themselves."""
    points: list[Amount] = []
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


@attrs.frozen
class Grid:
    """A tier choice's column in grid units: the tier where ``present``, and a key per row
    that spells the tier as the per-person message does (the tier itself for a whole choice;
    for an amount, the code of the amount as given, or a default's)."""

    tier: IntArray
    present: BoolArray
    keys: IntArray
    #: Minor units per grid unit.
    factor: int
    places: int
    given: tuple[Decimal | None, ...] | None
    defaults: tuple[Amount, ...]

    @classmethod
    def of(
        cls,
        choice: str,
        in_amounts: bool,
        defaults: tuple[Amount, ...],
        columns: ColumnFacts,
        state: ColumnState,
    ) -> Grid:
        """The column ``choice`` (an amount input when ``in_amounts``) of a block."""
        import numpy as np

        if not in_amounts:
            chosen = columns.choice(choice)
            values = chosen.values
            return cls(values, chosen.present, values.copy(), 10**state.places, 0, None, defaults)
        amount = columns.amount(choice)
        codes = amount.codes.astype(np.int64)
        return cls(amount.units, amount.present, codes, 1, state.places, amount.given, defaults)

    def to_grid(self, amount: Amount) -> int:
        """A policy amount in grid units (it has at most the policy's places: checked at load)."""
        return int(Decimal(amount).scaleb(self.places))

    def default_key(self, index: int, tier: IntArray) -> IntArray | int:
        """The key of rows that took default ``index``."""
        return tier if self.given is None else -2 - index

    def spell(self, key: int) -> str:
        """The tier of a key as the per-person message writes it."""
        if self.given is None:
            return str(key)
        return str(self.defaults[-2 - key] if key < -1 else self.given[key])
