"""Shares of amounts in integer minor units round exactly as Decimal.quantize does, every mode."""

from __future__ import annotations

import decimal
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from contribpolicy.columnar._money import ROUNDING_MODES, divide_rounded, round_share, to_units

SETTINGS = settings(max_examples=400, deadline=None)

shares = st.one_of(
    st.sampled_from([Decimal(0), Decimal(1), Decimal("0.5"), Decimal("0.15"), Decimal("0.6")]),
    st.decimals(min_value=0, max_value=1, places=6),
    st.decimals(min_value=0, max_value=1, allow_nan=False, allow_infinity=False),
)


def _by_decimal(units: int, share: Decimal, places: int, rounding: str) -> int:
    """The per-person computation: money.round(amount * share), back in minor units."""
    quantum = Decimal(1).scaleb(-places)
    amount = Decimal(units).scaleb(-places)
    return to_units((amount * share).quantize(quantum, rounding=rounding), places)


@SETTINGS
@given(
    units=st.integers(min_value=-(10**12), max_value=10**12),
    share=shares,
    places=st.integers(min_value=0, max_value=4),
    rounding=st.sampled_from(ROUNDING_MODES),
)
@example(units=401, share=Decimal("0.5"), places=0, rounding=decimal.ROUND_HALF_UP)
@example(units=401, share=Decimal("0.5"), places=0, rounding=decimal.ROUND_HALF_EVEN)
def test_share_of_an_amount_rounds_as_decimal(
    units: int, share: Decimal, places: int, rounding: str
) -> None:
    """Integer rounding of amount × share equals Decimal's quantize, for every mode."""
    got = round_share(np.array([units], dtype=np.int64), share, places, rounding)
    assert int(got[0]) == _by_decimal(units, share, places, rounding)


@pytest.mark.parametrize(
    ("rounding", "half_of_401", "half_of_minus_401"),
    [
        (decimal.ROUND_HALF_UP, 201, -201),
        (decimal.ROUND_HALF_EVEN, 200, -200),
        (decimal.ROUND_HALF_DOWN, 200, -200),
        (decimal.ROUND_UP, 201, -201),
        (decimal.ROUND_DOWN, 200, -200),
        (decimal.ROUND_CEILING, 201, -200),
        (decimal.ROUND_FLOOR, 200, -201),
    ],
)
def test_half_of_401_with_no_places(
    rounding: str, half_of_401: int, half_of_minus_401: int
) -> None:
    """policy-format.md, Rounding: with places 0, half of 401 is 201 half-up, 200 half-even."""
    got = divide_rounded(np.array([401, -401], dtype=np.int64), 2, rounding)
    assert got.tolist() == [half_of_401, half_of_minus_401]


def test_ties_round_to_even_both_ways() -> None:
    """ROUND_HALF_EVEN: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -1.5 -> -2 (in halves: 1, 3, 5, -3)."""
    got = divide_rounded(np.array([1, 3, 5, -3], dtype=np.int64), 2, decimal.ROUND_HALF_EVEN)
    assert got.tolist() == [0, 2, 2, -2]


@settings(max_examples=100, deadline=None)
@given(
    units=st.integers(min_value=10**15, max_value=10**17),
    share=st.decimals(min_value=0, max_value=1, places=9),
    rounding=st.sampled_from(ROUNDING_MODES),
)
def test_products_beyond_int64_use_decimal(units: int, share: Decimal, rounding: str) -> None:
    """Amounts whose product with the share would overflow int64 are computed by Decimal."""
    values = np.array([units, units + 1], dtype=np.int64)
    got = round_share(values, share, 2, rounding)
    assert got.tolist() == [_by_decimal(int(u), share, 2, rounding) for u in values.tolist()]


def test_product_past_the_decimal_precision_matches_decimal() -> None:
    """A share with 27 digits makes Decimal round the product itself; the result still agrees."""
    share = Decimal("0.333333333333333333333333333")
    values = np.array([800_000, 123_456_789], dtype=np.int64)
    for rounding in ROUNDING_MODES:
        got = round_share(values, share, 2, rounding)
        assert got.tolist() == [_by_decimal(int(u), share, 2, rounding) for u in values.tolist()]


def test_units_are_exact_or_refused() -> None:
    """An amount becomes minor units exactly; one with more places than money.places cannot."""
    assert to_units(Decimal("400.00"), 2) == 40_000
    assert to_units(Decimal("150.5"), 2) == 15_050
    assert to_units(1070, 0) == 1070
    with pytest.raises(ValueError, match="more than 2 decimal places"):
        to_units(Decimal("1.005"), 2)


def test_unknown_rounding_mode_is_refused() -> None:
    """Only the modes the policy format allows are known."""
    with pytest.raises(ValueError, match="ROUND_05UP"):
        divide_rounded(np.array([1], dtype=np.int64), 2, decimal.ROUND_05UP)
