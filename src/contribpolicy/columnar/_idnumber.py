"""Resident ID numbers (GB 11643) checked for a whole column at once, by digit arithmetic.

The common case, 18 ASCII characters with a valid check digit, birth date and region code, is
checked here on the raw bytes of the Arrow string column; everything else (other lengths,
surrounding spaces, a wrong check digit) is left to the per-person parser, which gives the
message. Region codes are accepted if they appear in stdnum's table at any time, for the reason
given in ``_idnumber``; ``known_regions`` unrolls that table into a lookup of all 10^6 codes.
"""

# pyarrow and pandas ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from stdnum import numdb

from contribpolicy.columnar._arrow import to_numpy
from contribpolicy.columnar._dates import Digits, Keys, digit_columns, number, valid_dates

__all__ = ["id_birth_keys", "known_regions"]

BoolArray = npt.NDArray[np.bool_]

_LENGTH = 18
#: Weight of each of the first 17 digits: 2^(17-i) mod 11 (GB 11643, ISO 7064 MOD 11-2).
_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)


@functools.cache
def known_regions() -> BoolArray:
    """For each code 000000..999999: does stdnum's table name a county for it, at any time."""
    known = np.zeros(10**6, dtype=np.bool_)
    _mark(numdb.get("cn/loc").prefixes, "", inherited=False, known=known)
    known.flags.writeable = False
    return known


def _mark(nodes: Sequence[Any], prefix: str, *, inherited: bool, known: BoolArray) -> None:
    """Mark the codes under ``prefix`` that a node (or an enclosing one) names a county for."""
    for length, low, high, props, children in nodes:
        county = inherited or "county" in props
        if len(prefix) + length >= 6:  # whole codes: a range of them at once
            if county:
                known[int((prefix + low)[:6]) : int((prefix + high)[:6]) + 1] = True
            continue
        for value in range(int(low), int(high) + 1):
            code = prefix + str(value).zfill(length)
            if county:  # every code under this prefix is a known county
                width = 10 ** (6 - len(code))
                known[int(code) * width : (int(code) + 1) * width] = True
            _mark(children, code, inherited=county, known=known)


def id_birth_keys(array: pa.Array) -> tuple[Keys, BoolArray]:
    """For a string column of ID numbers: the birth date as ``yyyymmdd`` where the number is
    valid (-1 elsewhere), and where a non-blank value needs the per-person parser."""
    keys = np.full(len(array), -1, dtype=np.int32)
    lengths = to_numpy(pc.fill_null(pc.binary_length(array), 0), np.int64)
    rows = np.flatnonzero(lengths == _LENGTH)
    if rows.size:
        digits = digit_columns(array, rows, _LENGTH)
        checked = _checked(digits)
        rows, digits = rows[checked], [column[checked] for column in digits]
        year, month, day = (number(digits[start:end]) for start, end in _BIRTH)
        accepted = valid_dates(year, month, day) & known_regions()[number(digits[:6])]
        keys[rows[accepted]] = (year * 10_000 + month * 100 + day)[accepted]
    return keys, (lengths != 0) & (keys < 0)


_BIRTH = ((6, 10), (10, 12), (12, 14))


def _checked(digits: Sequence[Digits]) -> BoolArray:
    """Seventeen decimal digits, then the check digit they call for ('X' or 'x' for 10)."""
    total = np.zeros(digits[0].size, dtype=np.int64)
    accepted = np.ones(digits[0].size, dtype=np.bool_)
    for digit, weight in zip(digits[:17], _WEIGHTS.tolist(), strict=True):
        accepted &= digit <= 9
        total += digit * weight
    last = digits[17]
    check = np.where(last <= 9, last, np.where((last == _UPPER_X) | (last == _LOWER_X), 10, -1))
    return accepted & np.equal(check, (12 - total % 11) % 11)


_UPPER_X = ord("X") - ord("0")
_LOWER_X = ord("x") - ord("0")
