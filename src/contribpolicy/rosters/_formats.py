"""Roster files in the formats officials send: CSV (UTF-8 or GB18030), ``.xlsx``, Parquet.

The format is the file's suffix; every format comes out as the same rows (line number, record,
problem) so ``batch`` treats them alike. A CSV's encoding is detected when not given: Chinese
Excel saves "CSV (逗号分隔)" in GBK, which is never valid UTF-8 in practice, so a head that is not
UTF-8 but decodes as GB18030 (a superset of GBK) is read as GB18030. Worksheet and Parquet cells
become the text a CSV export of them would hold, so a roster reads the same in every format.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import codecs
import datetime
import os
from collections.abc import Collection, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import attrs

from contribpolicy.errors import InputError
from contribpolicy.rosters._cells import NumberCell
from contribpolicy.rosters._columns import ColumnMap
from contribpolicy.rosters._encoding import DecodedLines, detect_encoding
from contribpolicy.rosters._limits import check_parquet, check_workbook
from contribpolicy.rosters.reader import CellRosterReader, RosterReader, check_not_binary

__all__ = ["RosterSource", "detect_encoding", "format_of", "needs", "open_roster", "text_of"]

#: Bytes looked at to tell the encoding: a few thousand rows.
_HEAD_BYTES = 1 << 20
_EXTRAS = {"pyarrow": "columnar", "numpy": "columnar", "openpyxl": "excel", "tqdm": "progress"}


@attrs.frozen
class RosterSource:
    """An open roster: its reader, its format and encoding, and its rows if known in advance."""

    reader: RosterReader | CellRosterReader
    format: str
    encoding: str | None = None
    estimated_rows: int | None = None


def format_of(path: str) -> str:
    """``csv``, ``xlsx`` or ``parquet`` from the suffix (CSV for anything else, and stdin)."""
    suffix = Path(path).suffix.lower()
    return {".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet", ".pq": "parquet"}.get(
        suffix, "csv"
    )


def needs(module: str, what: str) -> Any:
    """``module`` imported, or an ImportError naming the extra that provides it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as err:
        package = module.partition(".")[0]
        raise ImportError(
            f"{what} needs {package}: pip install 'contribpolicy[{_EXTRAS[package]}]'"
        ) from err


@contextmanager
def open_roster(
    path: str,
    known: Collection[str],
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    column_map: ColumnMap | None = None,
    required: Sequence[str] = ("person_id",),
) -> Iterator[RosterSource]:
    """The roster at ``path``, open for reading rows; closed on leaving the block.

    Any table of rows read the roster's way (a payments file) opens here too: ``known`` are
    its columns and ``required`` those the header must have."""
    kind = format_of(path)
    with ExitStack() as stack:
        if kind == "xlsx":
            yield _open_xlsx(path, known, sheet, column_map, stack, required=required)
        elif kind == "parquet":
            yield _open_parquet(path, known, column_map, required=required)
        else:
            yield _open_csv(path, known, encoding, column_map, stack, required=required)


def _open_csv(
    path: str,
    known: Collection[str],
    encoding: str | None,
    column_map: ColumnMap | None,
    stack: ExitStack,
    *,
    required: Sequence[str] = ("person_id",),
) -> RosterSource:
    with open(path, "rb") as raw:
        head = raw.read(_HEAD_BYTES)
    check_not_binary(head[:8])
    chosen = encoding or detect_encoding(head)
    if chosen.replace("-", "").replace("_", "").lower() == "utf8":
        chosen = "utf-8-sig"  # a BOM is no cell, whichever way UTF-8 was named
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise InputError("encoding", f"unknown encoding {chosen!r}") from None
    raw = stack.enter_context(open(path, "rb"))  # noqa: SIM115
    decoded = DecodedLines(raw, chosen, checked=encoding is None)
    reader = RosterReader(
        iter(decoded), known, column_map=column_map, required=required, bad_lines=decoded.bad
    )
    size = os.path.getsize(path)
    lines = max(head.count(b"\n"), 1)
    estimate = size * lines // len(head) if head else 0
    return RosterSource(reader, "csv", chosen, estimate)


def _open_xlsx(
    path: str,
    known: Collection[str],
    sheet: str | None,
    column_map: ColumnMap | None,
    stack: ExitStack,
    *,
    required: Sequence[str] = ("person_id",),
) -> RosterSource:
    openpyxl = needs("openpyxl", "reading an .xlsx roster")
    check_workbook(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (KeyError, ValueError, OSError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise InputError("xlsx", f"not a readable .xlsx workbook: {err}") from None
    except Exception as err:  # zipfile.BadZipFile and openpyxl's own errors
        raise InputError("xlsx", f"not a readable .xlsx workbook: {err}") from None
    stack.callback(book.close)
    if sheet is not None and sheet not in book.sheetnames:
        raise InputError("sheet", f"no sheet {sheet!r}; the workbook has {book.sheetnames}")
    worksheet = book[sheet] if sheet is not None else book.worksheets[0]
    # Day 0 of the workbook's date serials: 1899-12-30 (Excel's 1900 system, which counts a
    # made-up 1900-02-29) or 1904-01-01 (the 1904 system of old Mac workbooks).
    epoch = book.epoch.date()
    declared = worksheet.max_row
    # Read-only openpyxl stops at the sheet's <dimension>, which the file itself declares: a
    # sheet of 10 people declaring A1 read as no rows, A1:C11 as three columns. It is only a
    # hint (the progress bar's total); the rows are read to the end of the sheet.
    worksheet.reset_dimensions()
    reader = CellRosterReader(
        _sheet_rows(worksheet, epoch), known, column_map=column_map, required=required
    )
    return RosterSource(reader, "xlsx", None, declared)


def _sheet_rows(worksheet: Any, epoch: datetime.date) -> Iterator[tuple[int, list[str]]]:
    """Each row's sheet number and cells as text; the rows a sheet skips are empty."""
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        yield number, [text_of(value, epoch) for value in values]


def text_of(value: object, epoch: datetime.date | None = None) -> str:
    """A cell as a CSV export shows it: dates as YYYY-MM-DD, whole numbers without ``.0``; a
    number is a ``NumberCell``, read by its column (``_roster_cells``: IDs refused, date
    serials from ``epoch`` read as dates)."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, datetime.datetime):
        text = value.date().isoformat()
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    elif isinstance(value, int | float):
        text = NumberCell(value, epoch)
    else:
        text = str(value)  # text, Decimal
    return text


def _open_parquet(
    path: str,
    known: Collection[str],
    column_map: ColumnMap | None,
    *,
    required: Sequence[str] = ("person_id",),
) -> RosterSource:
    parquet = needs("pyarrow.parquet", "reading a Parquet roster")
    try:
        source = parquet.ParquetFile(path)
    except OSError as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise InputError("parquet", f"not a readable Parquet file: {err}") from None
    check_parquet(source.metadata)
    rows = _parquet_rows(source)
    reader = CellRosterReader(rows, known, column_map=column_map, required=required)
    return RosterSource(reader, "parquet", None, source.metadata.num_rows)


def _parquet_rows(source: Any) -> Iterator[tuple[int, list[str]]]:
    """The header (line 1), then each row numbered as in a CSV export of the table."""
    yield 1, list(source.schema_arrow.names)
    line = 1
    for batch in source.iter_batches(batch_size=1 << 16):
        columns = [[text_of_arrow(value) for value in column.to_pylist()] for column in batch]
        for cells in zip(*columns, strict=True):
            line += 1
            yield line, list(cells)


def text_of_arrow(value: object) -> str:
    """A Parquet cell as text; a list (of status codes) joined by ``;`` as in a CSV roster."""
    if isinstance(value, list):
        return ";".join(text_of(item) for item in value)
    return text_of(value)
