"""Per-person texts for many people, made once per distinct text.

Messages ("age 65 is outside age 16 to 59") repeat across a roster; building one Python string
per person would cost more than all the arithmetic. ``Texts`` holds, for some rows, a code per
row into a table of distinct texts. The texts themselves are produced by the per-person code,
once for each distinct value they depend on, so a message is word for word the one
``Policy.evaluate`` gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["Texts", "distinct"]

Codes = npt.NDArray[np.int32]
Rows = npt.NDArray[np.intp]
Keys = npt.NDArray[np.int64]
#: Keys below this are tabled directly instead of sorted: ages, codes, small bitmasks.
_DENSE_KEYS = 1 << 16


def distinct(keys: Keys) -> tuple[Codes, Rows]:
    """A code per row numbering the distinct keys, and for each code one row that has it."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.intp)
    low, high = int(keys.min()), int(keys.max())
    if low >= 0 and high < _DENSE_KEYS:
        present = np.flatnonzero(np.bincount(keys, minlength=high + 1))
        some_row = np.empty(high + 1, dtype=np.intp)
        some_row[keys] = np.arange(keys.size)
        lookup = np.zeros(high + 1, dtype=np.int32)
        lookup[present] = np.arange(present.size, dtype=np.int32)
        return lookup[keys], some_row[present]
    _values, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return inverse.reshape(keys.shape).astype(np.int32), first.astype(np.intp)


@attrs.frozen(eq=False)
class Texts:
    """A text for each of some rows: ``table[codes[i]]`` is the text of the i-th row."""

    codes: Codes
    table: tuple[str, ...]

    @classmethod
    def constant(cls, size: int, text: str) -> Texts:
        """The same text for ``size`` rows."""
        return cls(np.zeros(size, dtype=np.int32), (text,))

    @classmethod
    def by_key(cls, keys: Keys, render: Callable[[int], str]) -> Texts:
        """Texts that depend only on an integer key per row: ``render(i)`` is called once per
        distinct key, with the position ``i`` of a row that has it."""
        codes, rows = distinct(keys)
        return cls(codes, tuple(render(int(row)) for row in rows))

    def __len__(self) -> int:
        return int(self.codes.size)

    def map(self, change: Callable[[str], str]) -> Texts:
        """Each text changed the same way (``otherwise (reason)``), once per distinct text."""
        return Texts(self.codes, tuple(change(text) for text in self.table))

    def take(self, positions: Rows) -> Texts:
        """The texts of some of the rows, in the order of ``positions``."""
        return Texts(self.codes[positions], self.table)

    def to_list(self) -> list[str]:
        """Every row's text (for tests and small results)."""
        table = self.table
        return [table[code] for code in self.codes.tolist()]

    @staticmethod
    def join(parts: Sequence[Texts], combine: Callable[[Sequence[str]], str]) -> Texts:
        """One text per row made from the texts of several ``Texts`` of the same rows, once per
        distinct combination (``parts`` is not empty)."""
        keys = np.zeros(len(parts[0]), dtype=np.int64)
        for part in parts:
            dense, _rows = distinct(keys * max(len(part.table), 1) + part.codes)
            keys = dense.astype(np.int64)
        codes, rows = distinct(keys)
        table = tuple(combine([part.table[int(part.codes[row])] for part in parts]) for row in rows)
        return Texts(codes, table)

    @staticmethod
    def scatter(size: int, parts: Sequence[tuple[Rows, Texts]]) -> Texts:
        """One ``Texts`` for ``size`` rows from texts of disjoint subsets at ``positions``."""
        codes = np.zeros(size, dtype=np.int32)
        table: list[str] = []
        for positions, texts in parts:
            codes[positions] = texts.codes + len(table)
            table.extend(texts.table)
        return Texts(codes, tuple(table))
