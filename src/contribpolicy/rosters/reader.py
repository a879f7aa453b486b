"""Reading rosters: a CSV of people, each row with its line number or the reason it is unreadable.

A collection roster (缴费清册) is what village agents work from and what is publicly posted
(五（二）, 七), so every input row must come out of a batch exactly once, in order: a malformed
row is carried on with its problem, never dropped. ``batch`` does the assessing.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

from contribpolicy.errors import InputError
from contribpolicy.i18n import N_
from contribpolicy.model.person import DROP_WHEN_BLANK
from contribpolicy.model.policy import Policy
from contribpolicy.rosters._cells import number_problem
from contribpolicy.rosters._columns import ColumnMap, map_header

_CELLS = N_("found {found}, the header has {width}")
_NO_HEADER = N_(
    "no header row: line {line} names none of the columns ({first}, ...); the first line must "
    "name them, such as {such_as} (or a column map names the sheet's own headers)"
)
_TWICE = N_("the column appears twice in the header")
_UNKNOWN = N_("unknown column; expected columns from: {known}")
_UNKNOWN_HINT = N_("unknown column; did you mean {hint!r}? expected columns from: {known}")
_MISSING = N_(
    "missing column; the header must name {column} (or a column map names one of the sheet's "
    "columns as {column})"
)

__all__ = [
    "MAX_BLANK_LINES",
    "MAX_LINE_CHARS",
    "CellRosterReader",
    "RosterReader",
    "RosterRow",
    "check_not_binary",
    "output_columns",
    "shown",
]

#: (line where the row starts, cells by column, why the row cannot be read or None).
RosterRow = tuple[int, dict[str, str], InputError | None]

#: A physical line longer than this is no roster line (a binary file, /dev/zero): reading one
#: is refused before it fills memory. The csv module's own field limit is 131,072 characters.
MAX_LINE_CHARS = 1 << 20
#: More blank lines than this in one roster is no roster (a file of line ends: reading 20 MB of
#: them took minutes and, on the columnar path, 1.5 GB); refused when the count is passed.
MAX_BLANK_LINES = 10_000
#: First bytes of files people hand in as "the roster" that are not CSV text.
_NOT_CSV = (
    (b"PK\x03\x04", "an Excel .xlsx workbook (a zip file)"),
    (b"\xd0\xcf\x11\xe0", "an Excel .xls workbook"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
    (b"%PDF", "a PDF document"),
)


def output_columns(policy: Policy) -> list[str]:
    """The columns ``batch`` writes for the policy: person_id, each scheme's, message."""
    parts = ("status", "individual", "government", "sponsor", "total")
    return [
        "person_id",
        *(f"{scheme}_{part}" for scheme in policy.schemes for part in parts),
        "message",
    ]


class RosterReader:
    """Reads a roster CSV; the header is checked when the reader is made, rows when iterated.

    Header problems (no ``person_id``, unknown or repeated columns) concern the whole file, so
    they raise ``InputError`` at row 1 at once. Row numbers are file lines with the header as
    line 1, the numbers a spreadsheet shows, so a collector finds the row to fix.
    """

    def __init__(
        self,
        stream: Iterable[str],
        known: Collection[str],
        *,
        column_map: ColumnMap | None = None,
        required: Sequence[str] = ("person_id",),
        bad_lines: Mapping[int, str] | None = None,
    ) -> None:
        #: Lines that are not text in the file's encoding (``_encoding.DecodedLines``), filled
        #: as the lines are read: the row holding one is an error row naming it.
        self._bad_lines = bad_lines if bad_lines is not None else {}
        # strict: a quote inside a quoted cell not doubled ("ab"c) is an error of that row,
        # where the lenient reader would silently make it abc.
        lines = _bounded_lines(stream) if isinstance(stream, io.TextIOBase) else iter(stream)
        self._encoding = getattr(stream, "encoding", None) or "utf-8"
        self._lines = _QuoteLines(lines)
        self._reader = csv.reader(self._lines, strict=True)
        first = self._next_cells()
        while first is not None and not "".join(first).strip():
            first = self._next_cells()  # blank lines before the header hold nothing
        if first is None:
            raise InputError("person_id", "the roster is empty; expected a header row", row=1)
        self.header_line = self._reader.line_num
        self.source_header = tuple(cell.strip().lstrip("\ufeff") for cell in first)
        self.header = read_header(self.source_header, known, column_map, self.header_line, required)
        self._translate = column_map.translate if column_map and column_map.values else None
        #: The cells of the row last yielded, as in the file, for ``--errors``.
        self.last_cells: list[str] = []

    def _next_cells(self) -> list[str] | None:
        try:
            return next(self._reader, None)
        except UnicodeDecodeError as err:
            # Text is decoded a block ahead of the rows, so the bad byte is only known to be
            # somewhere after the last row read; say so rather than name a wrong row.
            read = self._reader.line_num
            encoding = self._encoding.replace("utf-8-sig", "UTF-8")
            raise InputError(
                "encoding",
                f"not {encoding} text{f' after line {read}' if read else ''} ({err.reason}); "
                "name the file's encoding with --encoding (such as gb18030), or save it as "
                "'CSV UTF-8'",
            ) from None

    def __iter__(self) -> Iterator[RosterRow]:
        header = self.header
        width = len(header)
        reader = self._reader
        blank = 0
        while True:
            line = reader.line_num + 1
            try:
                cells = self._next_cells()
            except csv.Error as err:
                self.last_cells = []
                yield line, {}, self._unreadable_row(line, err)
                continue
            if cells is None:
                return
            if not cells:  # a blank line holds no person
                blank += 1
                if blank > MAX_BLANK_LINES:
                    raise too_many_blank_lines(reader.line_num)
                continue
            self.last_cells = cells
            if self._bad_lines:
                bad = self._encoding_problem(line, reader.line_num)
                if bad is not None:
                    yield line, {}, bad
                    continue
            row = roster_row(header, line, cells, width)
            if self._translate is not None:
                self._translate(row[1])
            yield row

    def _encoding_problem(self, first: int, last: int) -> InputError | None:
        """The problem of the row on lines ``first`` to ``last`` if one is not in the file's
        encoding (its cells would be garbled text)."""
        found = next((n for n in range(first, last + 1) if n in self._bad_lines), None)
        if found is None:
            return None
        return InputError("encoding", self._bad_lines[found], row=first)

    def _unreadable_row(self, line: int, err: csv.Error) -> InputError:
        """A row the CSV reader gave up on: its problem, or the file's if the rest is lost.

        The reader drops the rest of the line and goes on with the next, so a bad quote costs
        one row. A quote that is never closed swallows every line after it; those rows cannot
        be told apart any more, so the file as a whole is refused, naming where the quote is.
        """
        if "unexpected end of data" in str(err):
            opened = self._lines.opened or line
            raise InputError(
                "csv",
                f"a quoted cell opened on line {opened} is never closed: lines {opened} to "
                f"{self._reader.line_num} would be one cell",
                row=opened,
            ) from None
        if "field larger than field limit" in str(err):
            reason = f"a cell is longer than {csv.field_size_limit()} characters"
            if self._lines.inside:  # the rest of the quoted cell is no row: skip it whole
                end = self._lines.skip_cell()
                reason += f" (a quoted cell from line {line} to line {end})"
        else:
            reason = f"{err}: a quote in a cell must be doubled, or the cell quoted whole"
        return InputError("csv", reason, row=line)


class CellRosterReader:
    """A roster whose rows come as cells already split (a worksheet, a Parquet file).

    The same header checks and row records as ``RosterReader``; ``rows`` yields each row's
    number as the source shows it (a sheet's row number) with its cells as text. A row shorter
    than the header is padded (a worksheet does not store trailing empty cells) and empty
    cells beyond the header are dropped; other cells beyond it make the row an error row.
    """

    def __init__(
        self,
        rows: Iterable[tuple[int, list[str]]],
        known: Collection[str],
        *,
        column_map: ColumnMap | None = None,
        required: Sequence[str] = ("person_id",),
    ) -> None:
        self._rows = iter(rows)
        first = next(self._rows, None)
        while first is not None and not "".join(first[1]).strip():
            first = next(self._rows, None)
        if first is None:
            raise InputError("person_id", "the roster is empty; expected a header row", row=1)
        self.header_line, cells = first
        while cells and not cells[-1].strip():
            cells = cells[:-1]
        self.source_header = tuple(cell.strip() for cell in cells)
        self.header = read_header(self.source_header, known, column_map, self.header_line, required)
        self._translate = column_map.translate if column_map and column_map.values else None
        self.last_cells: list[str] = []

    def __iter__(self) -> Iterator[RosterRow]:
        header = self.header
        width = len(header)
        for line, given in self._rows:
            if not "".join(given).strip():
                continue
            cells = given + [""] * (width - len(given))
            while len(cells) > width and not cells[-1].strip():
                cells.pop()
            self.last_cells = cells
            row = roster_row(header, line, cells, width, numbers=True)
            if self._translate is not None:
                self._translate(row[1])
            yield row


def read_header(
    source: Sequence[str],
    known: Collection[str],
    column_map: ColumnMap | None,
    line: int,
    required: Sequence[str] = ("person_id",),
) -> tuple[str, ...]:
    """The roster field of each column ("" for one the column map ignores), checked; the
    columns of ``required`` must be there (a payments file checks its own identity columns)."""
    header = map_header(source, column_map, known, line)
    _check_header([column for column in header if column], known, line, required)
    return header


def roster_row(
    header: Sequence[str], line: int, cells: Sequence[str], width: int, *, numbers: bool = False
) -> RosterRow:
    """The record of one row's cells, with its problem if the cells do not fit the header, an
    ID was stored as a number, or (``numbers``: a worksheet's) a number cell cannot be read
    exactly (``_roster_cells``)."""
    record = {name: cell for name, cell in zip(header, cells, strict=False) if name}
    problem = None
    if len(cells) != width:
        problem = InputError.of("cells", _CELLS, row=line, found=len(cells), width=width)
    found = number_problem(record, line, cells=numbers)
    problem = problem or found
    for name in DROP_WHEN_BLANK:
        if name in record and not record[name].strip():
            del record[name]
    return line, record, problem


class _QuoteLines:
    """The physical lines of a CSV, knowing whether each ends inside a quoted cell.

    In CSV every quote character opens or closes a quoted cell (a doubled quote inside one
    does both), so the parity of the quotes so far says whether a line ends inside a cell. The
    csv module, on a cell over its field limit, gives up and starts a new row at the next line,
    which is then the middle of the cell: its lines came out as rows and its closing quote
    opened a cell that swallowed the next people. Knowing the parity, the reader skips to the
    line where the cell ends, and names the line where an unclosed quote opened.
    """

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.number = 0
        self.inside = False
        self.opened = 0  # the line where the open quoted cell started

    def __iter__(self) -> _QuoteLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.number += 1
        if '"' in line:
            self._quotes(line)
        return line

    def _quotes(self, line: str) -> None:
        """Follow the quotes of a line: outside a cell one opens it, inside one closes it
        unless doubled (an escaped quote)."""
        at = line.find('"')
        while at >= 0:
            if not self.inside:
                self.inside, self.opened = True, self.number
            elif line.startswith('""', at):
                at += 1  # an escaped quote: the cell goes on
            else:
                self.inside = False
            at = line.find('"', at + 1)

    def skip_cell(self) -> int:
        """Read to the line that closes the open quoted cell (or the end); its number."""
        while self.inside:
            try:
                next(self)
            except StopIteration:
                break
        return self.number


def too_many_blank_lines(line: int) -> InputError:
    """The file-level error of a roster with more than ``MAX_BLANK_LINES`` blank lines."""
    return InputError(
        "csv",
        f"more than {MAX_BLANK_LINES} blank lines (the last read at line {line}): this is no "
        "roster; remove the blank lines",
        row=line,
    )


def _bounded_lines(stream: io.TextIOBase) -> Iterator[str]:
    """The lines of ``stream``, refusing one longer than ``MAX_LINE_CHARS`` as it is read."""
    number = 0
    while line := stream.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise InputError(
                "csv", f"line {number} is longer than {MAX_LINE_CHARS} characters", row=number
            )
        yield line


def check_not_binary(head: bytes) -> None:
    """Refuse a file whose first bytes say it is not CSV text, naming what it is instead."""
    for magic, what in _NOT_CSV:
        if head.startswith(magic):
            raise InputError(
                "encoding", f"this is {what}, not CSV text: save the roster as 'CSV UTF-8'"
            )


def _check_header(
    header: Sequence[str], known: Collection[str], line: int, required: Sequence[str]
) -> None:
    if not any(column in known for column in header):
        raise InputError.of(
            "person_id",
            _NO_HEADER,
            row=line,
            line=line,
            first=shown(header[0]),
            such_as=", ".join(list(known)[:3]),
        )
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise InputError.of(shown(column), _TWICE, row=line)
        seen.add(column)
        if column not in known:
            close = difflib.get_close_matches(column, list(known), n=1)
            field = shown(column) or "(unnamed)"
            expected = ", ".join(known)
            if close:
                raise InputError.of(field, _UNKNOWN_HINT, row=line, hint=close[0], known=expected)
            raise InputError.of(field, _UNKNOWN, row=line, known=expected)
    for column in required:
        if column not in seen:
            raise InputError.of(column, _MISSING, row=line, column=column)


def shown(text: str) -> str:
    """Text as it may be printed to a terminal: a cell of binary garbage or escape codes is
    shown escaped, never sent to the terminal as it is."""
    return text if text.isprintable() else ascii(text)
