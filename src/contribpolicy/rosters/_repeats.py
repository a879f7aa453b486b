"""Repeated persons (七) on the columnar path: found once, over the whole file, by Arrow.

``batch`` assesses the first row of each person_id and ID number; a later row with either is
an ``error`` row naming the first line. Row by row that is a dict of every identity; here each
block's identities are kept as compact Arrow arrays and counted once at the end (``find``),
with no Python object per row. Repeats are rare: when there are some, the run is made again
knowing them (``Repeats``), at the cost of a second pass only for such a roster.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import bisect
from collections.abc import Sequence

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from contribpolicy.columnar._cells import PY_WHITESPACE
from contribpolicy.engine.records import ascii_form
from contribpolicy.rosters.batch import Duplicate

__all__ = ["FIELDS", "Repeats", "RepeatsFound", "find", "identity_keys"]

#: The identities a person may not repeat, in the order ``batch`` notes their repeats.
FIELDS = ("person_id", "id_number")


@attrs.frozen
class Repeats:
    """Every repeat, in the order ``batch`` notes them, and the one each repeating row's error
    names (the ID number's when both repeat), by line."""

    duplicates: tuple[Duplicate, ...]
    lines: tuple[int, ...]  # sorted
    errors: tuple[Duplicate, ...]  # by ``lines``

    def within(self, first: int, size: int) -> dict[int, Duplicate]:
        """The repeats among the lines ``first`` to ``first + size - 1``, by position."""
        start = bisect.bisect_left(self.lines, first)
        end = bisect.bisect_left(self.lines, first + size)
        return {self.lines[i] - first: self.errors[i] for i in range(start, end)}


class RepeatsFound(Exception):
    """The roster repeats persons: the run is made again, knowing where."""

    def __init__(self, repeats: Repeats) -> None:
        super().__init__(f"{len(repeats.duplicates)} repeated identities")
        self.repeats = repeats


def identity_keys(roster: pa.RecordBatch, field: str) -> pa.Array | None:
    """Each row's person_id (stripped) or ID number (ASCII form, upper case), as ``batch``
    compares them; None without the column."""
    names = roster.schema.names
    if field not in names:
        return None
    column = roster.column(names.index(field))
    if field == "id_number":
        if not pc.all(pc.string_is_ascii(column)).as_py():
            return pa.array([ascii_form(value).upper() for value in column.to_pylist()])
        column = pc.utf8_upper(column)
    return pc.utf8_trim(column, characters=PY_WHITESPACE)


def find(keys: Sequence[Sequence[pa.Array]], first_line: int) -> Repeats | None:
    """The repeats among ``keys`` (per field, the blocks' arrays in order; row 0 is on
    ``first_line``), or None if no identity appears twice."""
    found: list[tuple[int, int, Duplicate]] = []
    for order, (field, blocks) in enumerate(zip(FIELDS, keys, strict=True)):
        if not blocks:
            continue
        values = pa.chunked_array(blocks, pa.string())
        counts = pc.value_counts(values)
        again = counts.field("values").filter(
            pc.and_(pc.greater(counts.field("counts"), 1), pc.not_equal(counts.field("values"), ""))
        )
        if len(again) == 0:
            continue
        rows = np.flatnonzero(pc.is_in(values, value_set=again).to_numpy(zero_copy_only=False))
        first: dict[str, int] = {}
        for row, value in zip(rows.tolist(), values.take(rows).to_pylist(), strict=True):
            at = first.setdefault(value, first_line + row)
            if at != first_line + row:
                found.append((row, order, Duplicate(field, value, at, first_line + row)))
    if not found:
        return None
    found.sort(key=lambda item: item[:2])
    errors: dict[int, Duplicate] = {}
    for _, _, duplicate in found:
        errors[duplicate.line] = duplicate  # the ID number's overrides: as in batch
    lines = tuple(sorted(errors))
    return Repeats(tuple(item[2] for item in found), lines, tuple(errors[n] for n in lines))
