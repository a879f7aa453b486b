"""Repeated persons (七) on the columnar path: found over the whole file in bounded memory.

``batch`` assesses the first row of each person_id and ID number; a later row with either is
an ``error`` row naming the first line. Row by row that is a dict of every identity; here each
block's identities become 64-bit hashes (``key_hashes``: eight bytes a row per field, however
long the text, no Python object per row), and at the end the hashes met more than once are the
suspects (``suspects``). A roster of unique persons has none, or a rare collision. Only with
suspects is the file read again, for the identities alone, keeping the text of the suspect rows
(``confirm``): that says exactly who repeats whom, as ``batch`` does, so a collision never makes
a repeat. When there are some, the run is made again knowing them (``Repeats``).
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from contribpolicy.columnar._arrow import string_buffers
from contribpolicy.columnar._cells import PY_WHITESPACE
from contribpolicy.engine.values import ascii_form
from contribpolicy.rosters.batch import Duplicate

__all__ = [
    "FIELDS",
    "Repeats",
    "RepeatsFound",
    "confirm",
    "identity_keys",
    "key_hashes",
    "suspects",
]

#: The identities a person may not repeat, in the order ``batch`` notes their repeats.
FIELDS = ("person_id", "id_number")

Hashes = npt.NDArray[np.uint64]
#: FNV-1a over the bytes, then splitmix64's finaliser so every bit depends on every byte.
_OFFSET = np.uint64(0xCBF29CE484222325)
_PRIME = np.uint64(0x100000001B3)
_MIX = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))
#: Bytes hashed by NumPy; the rest of a rare longer identity is hashed by Python, once a row.
_VECTOR_BYTES = 64


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


def key_hashes(keys: pa.Array) -> Hashes:
    """A 64-bit hash of each row's identity (a string column, ``identity_keys``), odd for
    every non-empty identity and 0 for an empty one, which is nobody's. Rows of one length
    are hashed together, a byte position at a time (identities of a roster have few lengths)."""
    offsets, data = string_buffers(keys)
    starts, lengths = offsets[:-1], np.diff(offsets)
    hashes = np.zeros(len(keys), dtype=np.uint64)
    for length in np.unique(lengths).tolist():
        rows = np.flatnonzero(lengths == length)
        matrix = data[starts[rows][:, None] + np.arange(min(length, _VECTOR_BYTES))]
        mixed = np.full(rows.size, _OFFSET, dtype=np.uint64)
        for position in range(matrix.shape[1]):
            mixed ^= matrix[:, position]
            mixed *= _PRIME
        if length > _VECTOR_BYTES:  # rare: the rest by Python, a row at a time
            for index, row in enumerate(rows.tolist()):
                rest = data[starts[row] + _VECTOR_BYTES : starts[row] + length].tobytes()
                mixed[index] ^= np.uint64(hash(rest) & 0xFFFFFFFFFFFFFFFF)
        hashes[rows] = mixed
    hashes ^= lengths.astype(np.uint64)
    for multiplier in _MIX:
        hashes = (hashes ^ (hashes >> np.uint64(31))) * multiplier
    return np.where(lengths > 0, hashes | np.uint64(1), np.uint64(0))


def suspects(hashes: Sequence[list[Hashes]]) -> tuple[Hashes, ...] | None:
    """Per field, the hashes met more than once (sorted), from each block's hashes, which are
    emptied out of the lists as they are joined (at ten million rows each field's hashes take
    80 MB: they are not held twice); None if there are none: then no identity repeats."""
    found = []
    for blocks in hashes:
        every = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.uint64)
        blocks.clear()
        every.sort()
        again = every[1:][(every[1:] == every[:-1]) & (every[1:] != 0)]
        del every
        found.append(np.unique(again))
    return tuple(found) if any(item.size for item in found) else None


def confirm(
    blocks: Iterable[tuple[int, Sequence[pa.Array | None]]], suspected: Sequence[Hashes]
) -> Repeats | None:
    """The repeats, exactly, from the identities read again (per block: its first line and its
    ``identity_keys`` per field), keeping the text of the rows whose hash is suspected; None if
    the suspects were only collisions."""
    found: list[tuple[int, int, Duplicate]] = []
    first: list[dict[str, int]] = [{} for _ in FIELDS]
    for line, keys in blocks:
        for order, (field, array, hashes) in enumerate(zip(FIELDS, keys, suspected, strict=True)):
            if array is None or not hashes.size:
                continue
            rows = np.flatnonzero(np.isin(key_hashes(array), hashes))
            for row, value in zip(rows.tolist(), array.take(rows).to_pylist(), strict=True):
                at = first[order].setdefault(value, line + row)
                if at != line + row:
                    found.append((line + row, order, Duplicate(field, value, at, line + row)))
    if not found:
        return None
    found.sort(key=lambda item: item[:2])
    errors: dict[int, Duplicate] = {}
    for _, _, duplicate in found:
        errors[duplicate.line] = duplicate  # the ID number's overrides: as in batch
    lines = tuple(sorted(errors))
    return Repeats(tuple(item[2] for item in found), lines, tuple(errors[n] for n in lines))
