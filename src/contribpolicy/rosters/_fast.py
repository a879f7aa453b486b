"""``batch`` on a plain UTF-8 CSV with the columnar evaluator: the same bytes, many times faster.

The per-row path (``batch.run_batch`` over ``RosterReader``) defines the answer; this one reads
only a file both take the same way (``rosters._plain``), and gives what the per-row path gives:
every row once, in order; a repeated person_id or ID number an ``error`` row naming the first
line (七); the same totals; person ids a spreadsheet would run as formulas behind a ``'``; cells
quoted as ``csv.writer`` quotes them (QUOTE_MINIMAL, ``\\r\\n`` line ends). Tests hold the two
paths to the same bytes.

Blocks are read by Arrow (in its own thread) and evaluated, turned into text and tallied on a
thread per processor; the main thread only adds up and writes. Memory stays bounded whatever
the roster's length: a few blocks are in flight, and each row leaves behind only the hashes of
its identities. Repeated persons are found from those at the end (``rosters._repeats``); a roster
with some is assessed again knowing where they are.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator, Sequence
from typing import IO

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from contribpolicy.columnar import _in_order, _processors, compile_policy
from contribpolicy.columnar._cells import PY_WHITESPACE
from contribpolicy.columnar._evaluator import ColumnarEvaluator
from contribpolicy.errors import InputError
from contribpolicy.model.policy import Policy
from contribpolicy.rosters._columns import ColumnMap
from contribpolicy.rosters._limits import check_parquet
from contribpolicy.rosters._plain import NotPlain, check_block
from contribpolicy.rosters._repeats import (
    FIELDS,
    Hashes,
    Repeats,
    RepeatsFound,
    confirm,
    identity_keys,
    key_hashes,
    suspects,
)
from contribpolicy.rosters._tally import Part, output_text, part_of
from contribpolicy.rosters.batch import BatchSummary
from contribpolicy.rosters.batch import _repeat_error as repeat_error
from contribpolicy.rosters.batch import _Tally as Tally
from contribpolicy.rosters.reader import (
    MAX_BLANK_LINES,
    check_not_binary,
    read_header,
    too_many_blank_lines,
)

#: An identity as Excel shows a number (3.70102E+17): ``_idnumber.stored_as_number``.
_SCIENTIFIC = "^[0-9](\\.[0-9]+)?[eE]\\+[0-9]{2,}$"

__all__ = [
    "FastRoster",
    "NotPlain",
    "RepeatsFound",
    "open_fast_parquet",
    "open_fast_roster",
    "run_fast_batch",
]

OnError = Callable[[int, InputError, list[str]], object]
#: Arrow's block: about 100,000 rows of a typical roster.
_BLOCK_BYTES = 1 << 23
#: A Parquet block, in rows.
_PARQUET_ROWS = 1 << 17


@attrs.frozen
class FastRoster:
    """A CSV (or Parquet) roster's header, checked by the per-row reader's rules, ready to be
    read by Arrow."""

    path: str
    header: tuple[str, ...]
    source_header: tuple[str, ...]
    estimated_rows: int | None = None
    parquet: bool = False


@attrs.frozen(eq=False)
class _Block:
    """A block read and done: its first line, cells as in the file, and what came of it."""

    line: int
    cells: pa.RecordBatch
    roster: pa.RecordBatch
    errors: dict[int, InputError]
    output: pa.RecordBatch | None
    keys: tuple[Hashes | None, ...]
    text: bytes
    part: Part


def open_fast_roster(
    path: str, known: Sequence[str], column_map: ColumnMap | None
) -> FastRoster | None:
    """The roster at ``path`` with its header checked, or None if the header line is not plain
    (empty, quoted), or the column map translates values: the per-row reader reads those."""
    if column_map is not None and column_map.values:
        return None
    with open(path, "rb") as raw:
        head = raw.read(1 << 20)
    check_not_binary(head[:8])  # as the per-row reader does, first
    first = head.split(b"\n", 1)[0].removeprefix(b"\xef\xbb\xbf").rstrip(b"\r")
    if not first.strip() or any(byte < 0x20 or byte in b'"\x7f' for byte in first):
        return None
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _blank_lines(path) > MAX_BLANK_LINES:
        return None  # the per-row reader refuses it, at once and in little memory
    source = tuple(cell.strip().lstrip("\ufeff") for cell in next(csv.reader([text])))
    estimate = os.path.getsize(path) * max(head.count(b"\n"), 1) // max(len(head), 1)
    return FastRoster(path, read_header(source, known, column_map, 1), source, estimate)


def open_fast_parquet(
    path: str, known: Sequence[str], column_map: ColumnMap | None
) -> FastRoster | None:
    """A Parquet roster whose every column is text, with its header checked as the per-row
    reader (``CellRosterReader``) checks it; None for any other (typed columns are read row by
    row, which turns each cell into the text a CSV export would hold)."""
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except (OSError, pa.ArrowException):
        return None  # the per-row reader says what is wrong with it
    try:
        check_parquet(source.metadata)
    except InputError:
        return None  # the per-row reader refuses it, with the same message, before any row
    schema = source.schema_arrow
    if not all(pa.types.is_string(kind) or pa.types.is_large_string(kind) for kind in schema.types):
        return None
    names = tuple(name.strip() for name in schema.names)
    if not names or not all(names):
        return None
    header = read_header(names, known, column_map, 1)
    return FastRoster(path, header, names, source.metadata.num_rows, parquet=True)


def run_fast_batch(
    policy: Policy,
    roster: FastRoster,
    out: IO[str],
    *,
    on_error: OnError | None = None,
    progress: Callable[[int], object] | None = None,
    repeats: Repeats | None = None,
) -> BatchSummary:
    """Assess the roster into ``out`` (its header already written) and return the summary.

    Raises ``NotPlain`` if a block turns out not to be plain, and ``RepeatsFound`` if the
    roster repeats persons and ``repeats`` was not given them: the caller starts again."""
    evaluator = compile_policy(policy)
    tally = Tally(tuple(policy.schemes), policy.money.round(0))
    keys: tuple[list[Hashes], ...] = tuple([] for _ in FIELDS)

    def work(item: tuple[int, pa.RecordBatch, pa.RecordBatch]) -> _Block:
        return _prepare(evaluator, *item, first_pass=repeats is None)

    for block in _in_order(work, _read(roster), _processors()):
        text, part, errors = block.text, block.part, block.errors
        mine = repeats.within(block.line, block.roster.num_rows) if repeats else {}
        if mine and block.output is not None:
            errors = {**errors, **{row: repeat_error(dup) for row, dup in mine.items()}}
            text = output_text(block.output, errors, mine)
            part = part_of(block.roster, block.output, sorted(errors), policy.money.places)
        for kept, array in zip(keys, block.keys, strict=True):
            if array is not None:
                kept.append(array)
        if on_error is not None and errors:
            _report(on_error, block, errors)
        part.add_to(tally)
        _write(out, text)
        if progress is not None:
            progress(block.cells.num_rows)
    if repeats is None:
        suspected = suspects(keys)
        found = None if suspected is None else confirm(_identities(roster), suspected)
        if found is not None:
            raise RepeatsFound(found)
    else:
        tally.duplicates.extend(repeats.duplicates)
    return tally.summary()


def _read(roster: FastRoster) -> Iterator[tuple[int, pa.RecordBatch, pa.RecordBatch]]:
    """Each block's first line, its cells as in the file, and its columns named by field."""
    names = [f"c{index}" for index in range(len(roster.header))]
    kept = [(name, field) for name, field in zip(names, roster.header, strict=True) if field]
    if roster.parquet:
        yield from _read_parquet(roster, names, kept)
        return
    try:
        reader = pacsv.open_csv(
            roster.path,
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, block_size=_BLOCK_BYTES
            ),
            parse_options=pacsv.ParseOptions(quote_char=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
        line, blank = 2, 0
        for cells in reader:
            blank += _blank_rows(cells)
            if blank > MAX_BLANK_LINES:  # as the per-row reader, before holding them all
                raise too_many_blank_lines(line + cells.num_rows - 1)
            if cells.num_rows:
                arrays = [cells.column(name) for name, _ in kept]
                fields = [field for _, field in kept]
                yield line, cells, pa.RecordBatch.from_arrays(arrays, names=fields)
                line += cells.num_rows
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
        raise NotPlain(str(err)) from err  # a ragged row, bad UTF-8: the per-row reader says


def _blank_lines(path: str) -> int:
    """The blank lines of the file, counted in C a few MB at a time (about 30 ms per 100 MB
    read): a block of millions of them would cost pyarrow a GB before any check could run."""
    count, last = 0, b""
    with open(path, "rb") as raw:
        while chunk := raw.read(1 << 23):
            text = last + chunk
            count += text.count(b"\n\n") + text.count(b"\n\r\n")
            if count > MAX_BLANK_LINES:
                break
            last = text[-2:]
            count -= last.count(b"\n\n") + last.count(b"\n\r\n")  # counted again next time
    return count


def _blank_rows(cells: pa.RecordBatch) -> int:
    """How many rows of the block are blank lines (every cell empty); one comparison per
    column of the block, and none past the first column when no person_id is empty."""
    blank = pc.equal(cells.column(0), "")
    if not pc.any(blank).as_py():
        return 0
    for column in cells.columns[1:]:
        blank = pc.and_(blank, pc.equal(column, ""))
    return int(pc.sum(blank).as_py() or 0)


def _read_parquet(
    roster: FastRoster, names: list[str], kept: list[tuple[str, str]]
) -> Iterator[tuple[int, pa.RecordBatch, pa.RecordBatch]]:
    """Parquet blocks as the CSV reader gives them: text cells, empty ones "" (as the per-row
    reader's ``text_of_arrow`` makes a null), lines numbered as in a CSV export of the table.
    A row of blank cells, which the per-row reader skips, is ``NotPlain``."""
    import pyarrow.parquet as pq

    line = 2
    for batch in pq.ParquetFile(roster.path).iter_batches(batch_size=_PARQUET_ROWS):
        columns = [pc.fill_null(column.cast(pa.string()), "") for column in batch.columns]
        cells = pa.RecordBatch.from_arrays(columns, names=names)
        filled = np.zeros(cells.num_rows, dtype=np.bool_)
        for column in columns:
            trimmed = pc.utf8_trim(column, characters=PY_WHITESPACE)
            filled |= pc.greater(pc.binary_length(trimmed), 0).to_numpy(zero_copy_only=False)
        if not filled.all():
            raise NotPlain("a row of blank cells")
        arrays = [cells.column(name) for name, _ in kept]
        yield line, cells, pa.RecordBatch.from_arrays(arrays, names=[field for _, field in kept])
        line += cells.num_rows


def _identities(roster: FastRoster) -> Iterator[tuple[int, list[pa.Array | None]]]:
    """Each block's first line and its identities, read again."""
    for line, _cells, columns in _read(roster):
        yield line, [identity_keys(columns, field) for field in FIELDS]


def _hashes(roster: pa.RecordBatch, field: str) -> Hashes | None:
    keys = identity_keys(roster, field)
    return None if keys is None else key_hashes(keys)


def _prepare(
    evaluator: ColumnarEvaluator,
    line: int,
    cells: pa.RecordBatch,
    roster: pa.RecordBatch,
    *,
    first_pass: bool,
) -> _Block:
    """A block evaluated, written as text and tallied, as if none of its rows repeated. The
    first pass keeps the identities' hashes, not the output; a pass knowing the repeats keeps
    the output, to write its repeat rows as errors, and no hashes: memory stays bounded."""
    check_block(cells)
    _check_person_ids(roster)
    evaluated = evaluator.evaluate(roster, lines=range(line, line + roster.num_rows))
    errors = dict(evaluated.errors)
    output = evaluated.batch
    keys = tuple(_hashes(roster, field) if first_pass else None for field in FIELDS)
    text = output_text(output, errors, {})
    part = part_of(roster, output, sorted(errors), evaluator.places)
    return _Block(line, cells, roster, errors, None if first_pass else output, keys, text, part)


def _check_person_ids(roster: pa.RecordBatch) -> None:
    """``NotPlain`` for a person_id starting = + @ (``Policy.evaluate`` refuses it, the columnar
    parser does not yet), or holding a comma (a Parquet cell may; the output writes it without
    quotes), or an identity in scientific notation (an ID stored as a number, which the row
    reader refuses and keeps out of the output): the per-row path says so."""
    names = roster.schema.names
    for field in ("person_id", "id_number"):
        if field not in names:
            continue
        column = pc.utf8_trim(roster.column(names.index(field)), PY_WHITESPACE)
        if field == "person_id" and pc.any(pc.match_substring_regex(column, "^[=+@]|,")).as_py():
            raise NotPlain("a person_id a spreadsheet would run as a formula, or with a comma")
        if pc.any(pc.match_substring_regex(column, _SCIENTIFIC)).as_py():
            raise NotPlain("an identity stored as a number (scientific notation)")


def _report(on_error: OnError, block: _Block, errors: dict[int, InputError]) -> None:
    """``on_error`` for each malformed row, in order, with its cells as in the file."""
    rows = sorted(errors)
    taken = block.cells.take(pa.array(rows)).to_pylist()
    for row, record in zip(rows, taken, strict=True):
        on_error(block.line + row, errors[row], list(record.values()))


def _write(out: IO[str], text: bytes) -> None:
    """UTF-8 bytes to a text stream: to its byte buffer when it has one, which is faster."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None and (getattr(out, "encoding", "") or "").lower() in ("utf-8", "utf8"):
        out.flush()
        buffer.write(text)
    else:
        out.write(text.decode("utf-8"))
