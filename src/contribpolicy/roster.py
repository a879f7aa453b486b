"""Reading rosters: a CSV of people, each row with its line number or the reason it is unreadable.

A collection roster (缴费清册) is what village agents work from and what is publicly posted
(五（二）, 七), so every input row must come out of a batch exactly once, in order: a malformed
row is carried on with its problem, never dropped. ``batch`` does the assessing.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Collection, Iterable, Iterator, Sequence

from .errors import InputError
from .model import Policy
from .person import CORE_FIELDS

__all__ = ["RosterReader", "RosterRow", "output_columns", "roster_columns"]

#: (line where the row starts, cells by column, why the row cannot be read or None).
RosterRow = tuple[int, dict[str, str], InputError | None]

# The parser treats "" as absent for most fields; these two are dropped when blank so that
# whitespace-only cells (common in spreadsheet exports) read as absent too.
_DROP_WHEN_BLANK = ("id_number", "birth_date")


def roster_columns(policy: Policy) -> tuple[str, ...]:
    """The columns a roster may have: the core fields, then the policy's declared inputs."""
    vocabulary = policy.vocabulary
    return (*CORE_FIELDS, *vocabulary.flags, *vocabulary.choices, *vocabulary.amounts)


def output_columns(policy: Policy) -> list[str]:
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

    def __init__(self, stream: Iterable[str], known: Collection[str]) -> None:
        self._reader = csv.reader(stream)
        first = self._next_cells()
        if first is None:
            raise InputError("person_id", "the roster is empty; expected a header row", row=1)
        self.header = tuple(cell.strip().lstrip("\ufeff") for cell in first)
        _check_header(self.header, known)

    def _next_cells(self) -> list[str] | None:
        try:
            return next(self._reader, None)
        except UnicodeDecodeError as err:
            # Text is decoded a block ahead of the rows, so the bad byte is only known to be
            # somewhere after the last row read; say so rather than name a wrong row.
            read = self._reader.line_num
            raise InputError(
                "encoding",
                f"not UTF-8 text{f' after line {read}' if read else ''} ({err.reason}); "
                "a roster saved by Excel as GBK must be saved as 'CSV UTF-8'",
            ) from None
        except csv.Error as err:
            raise InputError("csv", str(err), row=self._reader.line_num) from None

    def __iter__(self) -> Iterator[RosterRow]:
        header = self.header
        width = len(header)
        reader = self._reader
        while True:
            line = reader.line_num + 1
            cells = self._next_cells()
            if cells is None:
                return
            if not cells:  # a blank line holds no person
                continue
            record = dict(zip(header, cells, strict=False))
            problem = None
            if len(cells) != width:
                problem = InputError(
                    "cells", f"found {len(cells)}, the header has {width}", row=line
                )
            for name in _DROP_WHEN_BLANK:
                if name in record and not record[name].strip():
                    del record[name]
            yield line, record, problem


def _check_header(header: Sequence[str], known: Collection[str]) -> None:
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise InputError(column, "the column appears twice in the header", row=1)
        seen.add(column)
        if column not in known:
            close = difflib.get_close_matches(column, list(known), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InputError(
                column or "(unnamed)",
                f"unknown column; {hint}expected columns from: {', '.join(known)}",
                row=1,
            )
    if "person_id" not in seen:
        raise InputError("person_id", "missing column; the header must name person_id", row=1)
