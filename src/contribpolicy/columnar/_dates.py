"""Dates for a whole column at once: ``YYYY-MM-DD`` text and Arrow dates to ``yyyymmdd`` keys.

Keys are int32 (``yyyymmdd``, -1 for none): comparing two keys compares the dates, and the
whole ten-thousands between two keys are the completed years between them. int32 also keeps
the arithmetic fast: NumPy divides int32 several times faster than int64.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from contribpolicy.columnar._arrow import string_buffers, to_numpy

__all__ = [
    "civil_from_days",
    "date32_keys",
    "digit_columns",
    "iso_date_keys",
    "number",
    "valid_dates",
]

BoolArray = npt.NDArray[np.bool_]
Keys = npt.NDArray[np.int32]
Digits = npt.NDArray[np.uint8]
_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)
_ISO = ((0, 4), (5, 7), (8, 10))
_DASH = (ord("-") - ord("0")) % 256


def valid_dates(year: Keys, month: Keys, day: Keys) -> BoolArray:
    """Where (year, month, day) is a date ``datetime.date`` accepts."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = _DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
    within: BoolArray = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= days)
    return within


def iso_date_keys(array: pa.Array) -> tuple[Keys, BoolArray]:
    """For a string column of dates: the key where the value is exactly a valid
    ``YYYY-MM-DD`` (-1 elsewhere), and where a value is anything else but empty."""
    keys = np.full(len(array), -1, dtype=np.int32)
    lengths = to_numpy(pc.fill_null(pc.binary_length(array), 0), np.int64)
    rows = np.flatnonzero(lengths == 10)
    if rows.size:
        digits = digit_columns(array, rows, 10)
        shaped = (digits[4] == _DASH) & (digits[7] == _DASH)
        for position in (0, 1, 2, 3, 5, 6, 8, 9):
            shaped &= digits[position] <= 9
        year, month, day = (number(digits[start:end]) for start, end in _ISO)
        accepted = shaped & valid_dates(year, month, day)
        keys[rows[accepted]] = (year * 10_000 + month * 100 + day)[accepted]
    return keys, (lengths != 0) & (keys < 0)


def date32_keys(array: pa.Array) -> Keys:
    """A date column as keys, -1 for null."""
    days = to_numpy(pc.fill_null(array.cast(pa.int32()), 0), np.int32)
    year, month, day = civil_from_days(days)
    keys = year * 10_000 + month * 100 + day
    valid = to_numpy(array.is_valid(), np.bool_)
    return np.where(valid, keys, np.int32(-1)).astype(np.int32)


def civil_from_days(days: Keys) -> tuple[Keys, Keys, Keys]:
    """(year, month, day) of days since 1970-01-01 in the proleptic Gregorian calendar, by
    integer arithmetic (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms")."""
    shifted = days + 719_468
    era = shifted // 146_097
    day_of_era = shifted - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = np.where(shifted_month < 10, shifted_month + 3, shifted_month - 9).astype(np.int32)
    year = year_of_era + era * 400 + (month <= 2)
    return year.astype(np.int32), month, day.astype(np.int32)


def digit_columns(array: pa.Array, rows: npt.NDArray[np.intp], width: int) -> list[Digits]:
    """Byte ``k`` of each of ``rows`` minus '0', for k < ``width``: a digit where it is at
    most 9 (other bytes wrap around to larger numbers)."""
    offsets, data = string_buffers(array)
    starts = offsets[rows]
    return [data[starts + position] - np.uint8(ord("0")) for position in range(width)]


def number(digits: Sequence[Digits]) -> Keys:
    """The decimal number the digit columns spell, per row."""
    result = np.zeros(digits[0].size, dtype=np.int32)
    for digit in digits:
        result = result * 10 + digit
    return result
