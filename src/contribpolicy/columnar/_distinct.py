"""People with equal facts get equal results: each distinct set of facts is evaluated once.

``Policy.evaluate`` shares its results between people with equal facts, because rules are pure
functions of the facts (the plugin protocol requires it). This is the same idea for a block:
each row's facts are packed into one integer, the distinct integers are found by hashing
(Arrow's dictionary encoding: no sort), the rules run on one row per distinct set of facts,
and the results are spread back to every row. A roster of a million people has a few tens of
thousands of distinct facts, so the rules run on a few percent of the rows.
"""

# pyarrow and pandas ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from contribpolicy.columnar._facts import AmountColumn, ChoiceColumn, ColumnFacts
from contribpolicy.columnar._state import SchemeColumns
from contribpolicy.columnar._texts import Texts

__all__ = ["Spread", "distinct_facts", "take_facts"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
Rows = npt.NDArray[np.intp]
_LARGEST_KEY = 2**62
_Item = TypeVar("_Item", bound=np.generic)


def take_facts(columns: ColumnFacts, rows: Rows) -> ColumnFacts:
    """The facts of some rows, in the order of ``rows``."""
    return ColumnFacts(
        size=int(rows.size),
        places=columns.places,
        age=columns.age[rows],
        statuses=columns.statuses[rows],
        status_bits=columns.status_bits,
        residence=columns.residence[rows],
        residence_values=columns.residence_values,
        flags={name: flag[rows] for name, flag in columns.flags.items()},
        choices={
            name: ChoiceColumn(choice.values[rows], choice.present[rows])
            for name, choice in columns.choices.items()
        },
        amounts={
            name: AmountColumn(
                amount.units[rows], amount.present[rows], amount.codes[rows], amount.given
            )
            for name, amount in columns.amounts.items()
        },
        sex=None if columns.sex is None else columns.sex[rows],
    )


@attrs.frozen(eq=False)
class Spread:
    """How results for distinct facts go back to the rows of a block: row ``good[i]`` has
    the facts of distinct row ``inverse[i]`` (``None``: every row, or no sharing)."""

    size: int
    good: Rows | None
    inverse: npt.NDArray[np.int32] | None

    def apply(self, result: SchemeColumns) -> SchemeColumns:
        return SchemeColumns(
            self._spread(result.status, 0),
            self._spread(result.individual, 0),
            self._spread(result.government, 0),
            self._spread(result.sponsor, 0),
            Texts(self._spread(result.message.codes, -1), result.message.table),
        )

    def _spread(self, values: npt.NDArray[_Item], fill: int) -> npt.NDArray[_Item]:
        if self.inverse is not None:
            values = values[self.inverse]
        if self.good is None:
            return values
        full = np.full(self.size, fill, dtype=values.dtype)
        full[self.good] = values
        return full


def distinct_facts(columns: ColumnFacts, bad: BoolArray) -> tuple[ColumnFacts, Spread]:
    """The distinct facts of the rows not ``bad``, and how to spread their results back.

    Bad rows are left out: their facts are placeholders, and the per-person parser decides.
    """
    good = np.flatnonzero(~bad) if bad.any() else None
    facts = columns if good is None else take_facts(columns, good)
    inverse, count = _dense(fact_keys(facts))
    if count > facts.size // 2:  # little to share: spreading back would cost more
        return facts, Spread(columns.size, good, None)
    some_row = np.empty(count, dtype=np.intp)
    some_row[inverse] = np.arange(facts.size)
    return take_facts(facts, some_row), Spread(columns.size, good, inverse)


def fact_keys(columns: ColumnFacts) -> IntArray:
    """One integer per row, equal exactly where the rows' facts are equal."""
    keys = np.zeros(columns.size, dtype=np.int64)
    span = 1
    for values in _parts(columns):
        part, radix = values, int(values.max()) + 1 if values.size else 1
        if span * radix >= _LARGEST_KEY:  # renumber densely: at most one number per row
            dense, span = _dense(keys)
            keys = dense.astype(np.int64)
            if radix >= _LARGEST_KEY // max(span, 1):
                dense, radix = _dense(values)
                part = dense.astype(np.int64)
        keys = keys * radix + part
        span *= radix
    return keys


def _parts(columns: ColumnFacts) -> Iterator[IntArray]:
    """Each fact as non-negative integers."""
    yield columns.age.astype(np.int64)
    yield columns.statuses.astype(np.int64)
    yield columns.residence.astype(np.int64)
    for flag in columns.flags.values():
        yield flag.astype(np.int64)
    for choice in columns.choices.values():
        yield np.where(choice.present, choice.values + 1, 0)
    for amount in columns.amounts.values():
        yield amount.codes.astype(np.int64) + 1
    if columns.sex is not None:
        yield columns.sex


def _dense(values: IntArray) -> tuple[npt.NDArray[np.int32], int]:
    """Each value's number among the distinct values (found by hashing), and their count."""
    encoded = pc.dictionary_encode(pa.array(values))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    return codes, len(encoded.dictionary)
