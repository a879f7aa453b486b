"""Money in integer minor units (fen when ``money.places`` is 2), rounded exactly as Decimal does.

The columnar evaluator holds amounts as int64 counts of the policy's smallest unit, so sums and
comparisons are exact and fast. The one operation that needs care is a share of an amount
(``relief``, ``proxy_payment`` and ``tier_subsidy`` shares): per person it is
``(amount * share).quantize(quantum, rounding)``; here it is the integer division of
``units * numerator`` by the share's denominator, rounded by the same mode. That equals Decimal's
result whenever Decimal's own product is exact (it has at most the context's precision in
digits) and the integer product fits int64; for anything larger the Decimal code itself is run,
once per distinct amount, so the two paths can never disagree.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import numpy.typing as npt

__all__ = ["ROUNDING_MODES", "divide_rounded", "round_share", "to_units"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: The rounding modes the policy format allows (``money.rounding``).
ROUNDING_MODES = (
    decimal.ROUND_HALF_UP,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_HALF_DOWN,
    decimal.ROUND_UP,
    decimal.ROUND_DOWN,
    decimal.ROUND_CEILING,
    decimal.ROUND_FLOOR,
)
_INT64_SAFE = 2**62


def to_units(amount: Decimal | int, places: int) -> int:
    """An amount as a whole number of minor units; ValueError if it has more places."""
    scaled = Decimal(amount).scaleb(places)
    whole = int(scaled)
    if whole != scaled:
        raise ValueError(f"{amount} has more than {places} decimal places")
    return whole


def divide_rounded(numerator: IntArray, denominator: int, rounding: str) -> IntArray:
    """``numerator / denominator`` (denominator > 0) rounded to a whole number by ``rounding``."""
    floor, rest = np.divmod(numerator, denominator)
    return floor + _rounds_up(numerator, floor, rest, denominator, rounding)


def _rounds_up(
    numerator: IntArray, floor: IntArray, rest: IntArray, denominator: int, rounding: str
) -> BoolArray:
    """Whether each quotient goes from its floor to the next integer (``0 <= rest < den``)."""
    rule = _ROUND_UP_WHEN.get(rounding)
    if rule is None:
        raise ValueError(f"unsupported rounding mode {rounding!r}")
    return rule(_Quotient(numerator < 0, rest, denominator, floor))


class _Quotient:
    """What the rounding rules look at, computed only when a rule asks."""

    def __init__(self, negative: BoolArray, rest: IntArray, denominator: int, floor: IntArray):
        self.negative = negative
        self.rest = rest
        self.denominator = denominator
        self.floor = floor

    @property
    def inexact(self) -> BoolArray:
        return np.not_equal(self.rest, 0)

    @property
    def above_half(self) -> BoolArray:
        return 2 * self.rest > self.denominator

    @property
    def half(self) -> BoolArray:
        return np.equal(2 * self.rest, self.denominator)


_ROUND_UP_WHEN: dict[str, Callable[[_Quotient], BoolArray]] = {
    decimal.ROUND_FLOOR: lambda q: np.zeros(q.rest.shape, dtype=np.bool_),
    decimal.ROUND_CEILING: lambda q: q.inexact,
    decimal.ROUND_DOWN: lambda q: q.inexact & q.negative,  # toward zero
    decimal.ROUND_UP: lambda q: q.inexact & ~q.negative,  # away from zero
    decimal.ROUND_HALF_UP: lambda q: q.above_half | (q.half & ~q.negative),  # ties away from 0
    decimal.ROUND_HALF_DOWN: lambda q: q.above_half | (q.half & q.negative),  # ties toward 0
    decimal.ROUND_HALF_EVEN: lambda q: q.above_half | (q.half & (q.floor % 2 == 1)),
}


def round_share(units: IntArray, share: Decimal, places: int, rounding: str) -> IntArray:
    """``money.round(amount * share)`` for each amount given in minor units, in minor units."""
    numerator, denominator = share.as_integer_ratio()
    largest = int(np.abs(units).max()) if units.size else 0
    fits = largest * abs(numerator) < _INT64_SAFE and denominator < _INT64_SAFE
    if fits and _product_is_exact(largest, share, places):
        return divide_rounded(units * numerator, denominator, rounding)
    return _round_share_by_decimal(units, share, places, rounding)


def _product_is_exact(largest: int, share: Decimal, places: int) -> bool:
    """Decimal multiplies exactly when the product's digits fit the context's precision."""
    coefficient = int("".join(map(str, share.as_tuple().digits)) or "0")
    return len(str(largest * coefficient)) <= decimal.getcontext().prec


def _round_share_by_decimal(
    units: IntArray, share: Decimal, places: int, rounding: str
) -> IntArray:
    """The per-person Decimal computation, run once per distinct amount."""
    quantum = Decimal(1).scaleb(-places)
    distinct, positions = np.unique(units, return_inverse=True)
    results = [
        to_units((Decimal(int(value)).scaleb(-places) * share).quantize(quantum, rounding), places)
        for value in distinct
    ]
    return np.array(results, dtype=np.int64)[positions.reshape(units.shape)]
