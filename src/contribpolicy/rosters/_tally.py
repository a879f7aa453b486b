"""A block of columnar output as ``batch`` writes and counts it: CSV text and totals.

Each function does for a whole block what ``batch`` does row by row (``_assessment_row``,
``_error_row``, ``_Tally``), so the fast path's files are the per-row path's, byte for byte.
Money is summed in int64 minor units (exact) and becomes ``Decimal`` once per village.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from contribpolicy.columnar._cells import PY_WHITESPACE
from contribpolicy.errors import InputError
from contribpolicy.model.results import ELIGIBLE, ERROR, Status
from contribpolicy.rosters.batch import _Tally
from contribpolicy.support.cells import FORMULA_START, spreadsheet_text

__all__ = ["Part", "output_text", "part_of"]

IntArray = npt.NDArray[np.int64]
#: A person_id ``spreadsheet_text`` would change: a formula's first character, or a character
#: that is not printable (controls, format characters, separators other than the space).
_RISKY = "^[" + "".join("\\" + c for c in sorted(FORMULA_START)) + "]|\\pC|\\p{Zl}|\\p{Zp}"
_PARTS = 5  # status, individual, government, sponsor, total
_LARGEST_KEY = 1 << 62


def output_text(
    output: pa.RecordBatch, errors: Mapping[int, InputError], repeats: Mapping[int, object]
) -> bytes:
    """The block's output rows as ``csv.writer`` writes them; a repeat row as an error row.

    All but the person_id repeat from row to row (statuses, amounts, messages), so that part
    is written by ``csv.writer`` itself once per distinct combination; the person_id of a plain
    roster holds no comma, quote or line end, so it needs no quotes.
    """
    columns = list(output.columns[1:])
    if repeats:
        columns = _as_error_rows(columns, sorted(repeats), errors)
    joined = pc.binary_join_element_wise(_guarded(output.column(0)), _tails(columns), ",")
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int32)
    start, end = offsets[joined.offset], offsets[joined.offset + len(joined)]
    return joined.buffers()[2].to_pybytes()[start:end] if len(joined) else b""


def _tails(columns: Sequence[pa.Array]) -> pa.Array:
    """Each row's cells after the person_id as one CSV text (with its line end), made by
    ``csv.writer`` for the first row of each distinct combination and copied to the rest."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    radix = 1  # the number of keys possible so far
    for column in columns:
        encoded = pc.dictionary_encode(column, null_encoding="encode")
        width = len(encoded.dictionary)
        if radix * width >= _LARGEST_KEY:  # renumber the keys so far, densely
            key = _codes(key)[0]
            radix = int(key.max()) + 1 if key.size else 1
        key = key * width + encoded.indices.to_numpy(zero_copy_only=False)
        radix *= width
    codes, first = _codes(key)
    picked = pa.array(first)
    rows = zip(*(_cells(column.take(picked)) for column in columns), strict=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    tails = []
    for row in rows:
        writer.writerow([spreadsheet_text(cell) for cell in row])
        tails.append(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
    return pa.array(tails, pa.string()).take(pa.array(codes))


def _codes(key: IntArray) -> tuple[IntArray, IntArray]:
    """A code per distinct key, numbered by first appearance, and each code's first row."""
    encoded = pc.dictionary_encode(pa.array(key))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    first = np.empty(len(encoded.dictionary), dtype=np.int64)
    first[codes[::-1]] = np.arange(codes.size - 1, -1, -1)
    return codes, first


def _cells(column: pa.Array) -> list[str]:
    """Cells as ``batch`` writes them: amounts as their exact text, empty when null."""
    text = column if pa.types.is_string(column.type) else column.cast(pa.string())
    cells: list[str] = text.fill_null("").to_pylist()
    return cells


def _guarded(person_id: pa.Array) -> pa.Array:
    """Each person_id as ``spreadsheet_text`` writes it (the rule of every CSV cell); the few
    that change are found by one regex over the column, so the rest cost nothing."""
    risky = pc.match_substring_regex(person_id, _RISKY)
    if not pc.any(risky).as_py():
        return person_id
    rows = np.flatnonzero(risky.to_numpy(zero_copy_only=False))
    cells = person_id.to_pylist()
    for row in rows:
        cells[row] = spreadsheet_text(cells[row])
    return pa.array(cells, pa.string())


def _as_error_rows(
    columns: list[pa.Array], rows: list[int], errors: Mapping[int, InputError]
) -> list[pa.Array]:
    """Rows that repeat a person: ``error``, no amounts, the reason (``batch._error_row``);
    ``columns`` are those after the person_id."""
    mask = np.zeros(len(columns[0]), dtype=np.bool_)
    mask[rows] = True
    where = pa.array(mask)
    changed = []
    for index, column in enumerate(columns[:-1]):
        fill = ERROR.value if index % _PARTS == 0 else ""
        text = _cells(column)  # the amounts as text, so "" fits the column
        changed.append(pc.if_else(where, pa.scalar(fill, pa.string()), pa.array(text)))
    texts = columns[-1].to_pylist()
    for row in rows:
        texts[row] = str(errors[row])
    return [*changed, pa.array(texts, pa.string())]


@attrs.frozen(eq=False)
class Part:
    """A block's share of the tally: rows and money per village (in order of appearance)."""

    villages: list[str]
    rows: IntArray
    malformed: IntArray
    counts: list[dict[Status, int]]  # per scheme, of the well-formed rows
    money: list[IntArray]  # per scheme and amount (individual, government, sponsor): by village
    places: int

    def add_to(self, tally: _Tally) -> None:
        """Add this part to the batch's tally."""
        rows, money, zero = tally.village_rows, tally.village_money, tally.zero
        tally.rows += int(self.rows.sum())
        tally.malformed += int(self.malformed.sum())
        for code, village in enumerate(self.villages):
            if village not in rows:
                rows[village] = [0, 0]
                money[village] = [zero] * len(self.money)
            rows[village][0] += int(self.rows[code])
            rows[village][1] += int(self.malformed[code])
            for index, sums in enumerate(self.money):
                if sums[code]:
                    money[village][index] += Decimal(int(sums[code])).scaleb(-self.places)
        for counts, mine in zip(tally.counts, self.counts, strict=True):
            for status, count in mine.items():
                counts[status] += count


def part_of(
    roster: pa.RecordBatch, output: pa.RecordBatch, malformed: Sequence[int], places: int
) -> Part:
    """The tally of a block whose ``malformed`` rows are left out of the scheme counts."""
    size = roster.num_rows
    names = roster.schema.names
    if "village" in names:
        village = pc.utf8_trim(roster.column(names.index("village")), characters=PY_WHITESPACE)
    else:
        village = pa.array([""] * size, pa.string())
    encoded = village.dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp)
    width = len(encoded.dictionary)
    good = np.ones(size, dtype=np.bool_)
    good[list(malformed)] = False
    counts: list[dict[Status, int]] = []
    money: list[IntArray] = []
    for base in range(1, output.num_columns - 1, _PARTS):
        status = output.column(base)
        kept = status.filter(pa.array(good))
        counts.append(
            {Status(item["values"]): item["counts"] for item in pc.value_counts(kept).to_pylist()}
        )
        eligible = good & pc.equal(status, ELIGIBLE.value).to_numpy(zero_copy_only=False)
        for part in range(1, 4):
            units = _units(output.column(base + part))
            money.append(np.zeros(width, dtype=np.int64))
            np.add.at(money[-1], codes[eligible], units[eligible])
    return Part(
        encoded.dictionary.to_pylist(),
        np.bincount(codes, minlength=width).astype(np.int64),
        np.bincount(codes[~good], minlength=width).astype(np.int64),
        counts,
        money,
        places,
    )


def _units(column: pa.Array) -> IntArray:
    """decimal128 amounts as int64 minor units, nulls as 0: the low word of the 16-byte two's
    complement is the amount itself, which ``_columnar_output`` made from int64."""
    data = np.frombuffer(column.buffers()[1], dtype=np.int64)
    low = data[2 * column.offset : 2 * (column.offset + len(column)) : 2].copy()
    if column.null_count:
        low[~column.is_valid().to_numpy(zero_copy_only=False)] = 0
    return low
