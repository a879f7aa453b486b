"""When ``batch`` may read a CSV with Arrow: a "plain" file, which both readers split alike.

The csv module (``RosterReader``) defines how a roster reads. Arrow, told there are no quotes,
splits on commas and line ends alone; the two agree on every file that is UTF-8, holds no
quote character and no control character but line ends, no blank line, and has the header's
number of fields on every line, none longer than the csv module's field limit. Rows are then
lines (header line 1, data from line 2), as the per-row reader numbers them.

Blocks are checked as they are read (``check_block``, and Arrow itself refuses a ragged row or
bad UTF-8); a block that is not plain starts the run again row by row (``NotPlain``). Nothing
is lost: ``-o`` and ``--errors`` are atomic files, and stdout gets the rows only when all are
done.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import csv

import numpy as np
import pyarrow as pa

__all__ = ["NotPlain", "check_block"]

#: Bytes a plain cell never holds: controls (line ends split rows, never reach a cell), DEL and
#: the quote, which the csv module reads as quoting and Arrow (told so) as a character.
_REFUSED = np.zeros(256, dtype=np.bool_)
_REFUSED[list(range(0x20))] = True
_REFUSED[[0x22, 0x7F]] = True
#: The csv module refuses a longer cell; Arrow would read it.
LONGEST_CELL = csv.field_size_limit()


class NotPlain(Exception):
    """A block both readers might not read alike: the batch starts again, row by row."""


def check_block(cells: pa.RecordBatch) -> None:
    """Raise ``NotPlain`` unless every cell of the block is plain and no line is blank (Arrow
    reads a blank line as a row of empty cells, the csv module skips it)."""
    longest = 0
    filled = np.zeros(cells.num_rows, dtype=np.int64)
    for column in cells.columns:
        offsets = np.frombuffer(column.buffers()[1], dtype=np.int32)
        start, end = int(offsets[column.offset]), int(offsets[column.offset + len(column)])
        data = column.buffers()[2]
        if end > start and _REFUSED[np.frombuffer(data, dtype=np.uint8)[start:end]].any():
            raise NotPlain("a quote or control character")
        if len(column):
            lengths = np.diff(offsets[column.offset : column.offset + len(column) + 1])
            longest += int(lengths.max())
            filled += lengths
    if not filled.all():
        raise NotPlain("a blank line, or one of commas alone")
    if longest > LONGEST_CELL:
        raise NotPlain("a line longer than the csv module's field limit")
