"""Rosters: a CSV of people in, one row of amounts per person out, and the totals that check it.

A collection roster (缴费清册) is what village agents work from and what is publicly posted
(五（二）, 七), so every input row must come out exactly once, in order: a malformed row is an
``error`` row naming its field and line, never a crash nor a silent gap. The totals per village
exist for "钱表相符" (七): money collected must match the roster, village by village.
"""

from __future__ import annotations

import csv
import difflib
import os
import tempfile
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import attrs

from .errors import InputError
from .evaluation import ELIGIBLE, ERROR, INELIGIBLE, Assessment
from .model import Policy
from .person import CORE_FIELDS

__all__ = [
    "Amounts",
    "BatchSummary",
    "Duplicate",
    "RosterReader",
    "RosterRow",
    "SchemeSummary",
    "VillageSummary",
    "atomic_writer",
    "output_columns",
    "render_summary",
    "roster_columns",
    "run_batch",
]

#: (line where the row starts, cells by column, why the row cannot be read or None).
RosterRow = tuple[int, dict[str, str], InputError | None]

# The parser treats "" as absent for most fields; these two are dropped when blank so that
# whitespace-only cells (common in spreadsheet exports) read as absent too.
_DROP_WHEN_BLANK = ("id_number", "birth_date")
_STATUSES = (ELIGIBLE, INELIGIBLE, ERROR)


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
            raise InputError(
                "encoding",
                f"not UTF-8 text ({err.reason}); save the roster as 'CSV UTF-8'",
                row=self._reader.line_num + 1,
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


@attrs.frozen
class Amounts:
    """Money of one scheme summed over some people."""

    individual: Decimal
    government: Decimal
    sponsor: Decimal

    @property
    def total(self) -> Decimal:
        return self.individual + self.government + self.sponsor

    def to_dict(self) -> dict[str, str]:
        return {
            "individual": str(self.individual),
            "government": str(self.government),
            "sponsor": str(self.sponsor),
            "total": str(self.total),
        }


@attrs.frozen
class SchemeSummary:
    """Status counts of one scheme; ``malformed`` rows are counted apart, in the batch."""

    eligible: int
    ineligible: int
    error: int
    amounts: Amounts


@attrs.frozen
class VillageSummary:
    """One village's rows and its money per scheme, for checking collections against it."""

    village: str
    rows: int
    malformed: int
    amounts: Mapping[str, Amounts]


@attrs.frozen
class Duplicate:
    """A person_id or id_number met again: the plan warns against paying twice (七)."""

    field: str
    value: str
    first_line: int
    line: int


@attrs.frozen
class BatchSummary:
    """What a batch run produced; ``eligible + ineligible + error + malformed == rows``."""

    rows: int
    malformed: int
    schemes: Mapping[str, SchemeSummary]
    villages: tuple[VillageSummary, ...]
    duplicates: tuple[Duplicate, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, amounts as exact strings."""
        return {
            "rows": self.rows,
            "malformed": self.malformed,
            "schemes": {
                name: {
                    "eligible": scheme.eligible,
                    "ineligible": scheme.ineligible,
                    "error": scheme.error,
                    "malformed": self.malformed,
                    **scheme.amounts.to_dict(),
                }
                for name, scheme in self.schemes.items()
            },
            "villages": [
                {
                    "village": village.village,
                    "rows": village.rows,
                    "malformed": village.malformed,
                    "schemes": {name: a.to_dict() for name, a in village.amounts.items()},
                }
                for village in self.villages
            ],
            "duplicates": [attrs.asdict(duplicate) for duplicate in self.duplicates],
        }


class _Tally:
    """The mutable counters behind a ``BatchSummary``, kept lean: this runs for every row.

    Money is summed per village only (three amounts per scheme, in scheme order); the scheme
    totals are the sums of the village totals, made once at the end.
    """

    def __init__(self, schemes: Sequence[str], zero: Decimal) -> None:
        self.schemes = tuple(schemes)
        self.zero = zero
        self.rows = 0
        self.malformed = 0
        self.counts: list[dict[str, int]] = [dict.fromkeys(_STATUSES, 0) for _ in schemes]
        self.village_rows: dict[str, list[int]] = {}  # rows, malformed
        self.village_money: dict[str, list[Decimal]] = {}
        self.first_person: dict[str, int] = {}
        self.first_id: dict[str, int] = {}
        self.duplicates: list[Duplicate] = []

    def row(self, line: int, record: Mapping[str, str]) -> str:
        """Count a row in its village and note repeated identities; returns the village."""
        self.rows += 1
        village = record.get("village", "").strip()
        counts = self.village_rows.get(village)
        if counts is None:
            counts = self.village_rows[village] = [0, 0]
            self.village_money[village] = [self.zero] * (3 * len(self.schemes))
        counts[0] += 1
        person_id = record.get("person_id", "").strip()
        if person_id and self.first_person.setdefault(person_id, line) != line:
            self._repeated("person_id", person_id, self.first_person, line)
        id_number = record.get("id_number", "").strip().upper()
        if id_number and self.first_id.setdefault(id_number, line) != line:
            self._repeated("id_number", id_number, self.first_id, line)
        return village

    def _repeated(self, field: str, value: str, first: Mapping[str, int], line: int) -> None:
        self.duplicates.append(Duplicate(field, value, first[value], line))

    def malformed_row(self, village: str) -> None:
        self.malformed += 1
        self.village_rows[village][1] += 1

    def assessed(self, village: str, assessment: Assessment) -> None:
        money = self.village_money[village]
        results = assessment.schemes
        base = 0
        for name, counts in zip(self.schemes, self.counts, strict=True):
            result = results[name]
            status = result.status
            counts[status] += 1
            if status == ELIGIBLE:
                money[base] += result.individual
                money[base + 1] += result.government
                money[base + 2] += result.sponsor
            base += 3

    def summary(self) -> BatchSummary:
        zero = self.zero
        per_village = {
            village: {
                name: Amounts(*values[3 * index : 3 * index + 3])
                for index, name in enumerate(self.schemes)
            }
            for village, values in self.village_money.items()
        }
        schemes = {}
        for name, counts in zip(self.schemes, self.counts, strict=True):
            amounts = [village[name] for village in per_village.values()]
            total = Amounts(
                sum((a.individual for a in amounts), zero),
                sum((a.government for a in amounts), zero),
                sum((a.sponsor for a in amounts), zero),
            )
            schemes[name] = SchemeSummary(
                counts[ELIGIBLE], counts[INELIGIBLE], counts[ERROR], total
            )
        villages = tuple(
            VillageSummary(village, rows, malformed, per_village[village])
            for village, (rows, malformed) in self.village_rows.items()
        )
        return BatchSummary(self.rows, self.malformed, schemes, villages, tuple(self.duplicates))


def run_batch(
    policy: Policy, rows: Iterable[RosterRow], write: Callable[[list[str]], object]
) -> BatchSummary:
    """Assess every row and ``write`` one output row for each, in input order.

    Traces are never built here (they are produced only when read), and only the output row
    and the counters are made per person: this loop is what large rosters spend their time in.
    """
    schemes = tuple(policy.schemes)
    tally = _Tally(schemes, policy.money.round(0))
    evaluate = policy.evaluate
    for line, record, problem in rows:
        village = tally.row(line, record)
        error = problem
        if error is None:
            try:
                assessment = evaluate(record)
            except InputError as err:
                error = err.at_row(line)
        if error is not None:
            tally.malformed_row(village)
            write(_error_row(record.get("person_id", "").strip(), len(schemes), str(error)))
            continue
        tally.assessed(village, assessment)
        write(_assessment_row(assessment, schemes))
    return tally.summary()


def _error_row(person_id: str, schemes: int, message: str) -> list[str]:
    return [person_id, *(("error", "", "", "", "") * schemes), message]


def _assessment_row(assessment: Assessment, schemes: Sequence[str]) -> list[str]:
    row = [assessment.person_id]
    messages = []
    results = assessment.schemes
    for name in schemes:
        result = results[name]
        row += (
            result.status,
            str(result.individual),
            str(result.government),
            str(result.sponsor),
            str(result.total),
        )
        if result.message:
            messages.append(f"{name}: {result.message}")
    row.append("; ".join(messages))
    return row


@contextmanager
def atomic_writer(path: str | Path, *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file that appears at ``path`` complete or not at all.

    A roster output is handed on to collectors; a run that fails half-way must not leave a
    truncated file that looks finished, so the text goes to a temporary file beside the target
    and replaces it only once everything is written.
    """
    target = Path(path)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, on every path
        "w",
        encoding=encoding,
        newline="",
        dir=target.parent,
        prefix=f".{target.name}.",
        suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            yield handle
        # mkstemp makes the file 0600; give it the mode an ordinary open() would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


_SHOWN_DUPLICATES = 5


def render_summary(summary: BatchSummary) -> str:
    """The summary as plain-text tables, for the person who ran the batch to check by eye."""
    lines = [f"rows: {summary.rows}, malformed: {summary.malformed}"]
    if summary.malformed:
        lines.append("  (a malformed row is 'error' in every scheme; its message names the field)")
    lines.append("")
    header = ["scheme", "eligible", "ineligible", "error", "malformed"]
    header += ["individual", "government", "sponsor", "total"]
    table = [header]
    for name, scheme in summary.schemes.items():
        counts = (scheme.eligible, scheme.ineligible, scheme.error, summary.malformed)
        table.append([name, *map(str, counts), *_money(scheme.amounts)])
    lines += _table(table)
    lines.append("")
    names = list(summary.schemes)
    parts = ["individual", "government", "sponsor"]
    table = [["village", "rows", "malformed", *(parts * len(names))]]
    for village in summary.villages:
        money = [cell for name in names for cell in _money(village.amounts[name])[:3]]
        table.append(
            [village.village or "(none)", str(village.rows), str(village.malformed), *money]
        )
    totals = [cell for name in names for cell in _money(summary.schemes[name].amounts)[:3]]
    table.append(["total", str(summary.rows), str(summary.malformed), *totals])
    body = _table(table)
    groups = {3 + len(parts) * index: name for index, name in enumerate(names)}
    lines.append(_group_line(table, groups))
    lines += body
    if summary.duplicates:
        lines += ["", f"repeated identities: {len(summary.duplicates)} (pay each person once, 七)"]
        lines += [
            f"  {d.field} {d.value}: lines {d.first_line} and {d.line}"
            for d in summary.duplicates[:_SHOWN_DUPLICATES]
        ]
        if len(summary.duplicates) > _SHOWN_DUPLICATES:
            lines.append(f"  ... and {len(summary.duplicates) - _SHOWN_DUPLICATES} more")
    return "\n".join(lines) + "\n"


def _money(amounts: Amounts) -> list[str]:
    return [
        str(amounts.individual),
        str(amounts.government),
        str(amounts.sponsor),
        str(amounts.total),
    ]


def _width(text: str) -> int:
    """Columns a terminal gives the text: village names are wide (CJK) characters."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _widths(table: Sequence[Sequence[str]]) -> list[int]:
    return [max(_width(row[column]) for row in table) for column in range(len(table[0]))]


def _table(table: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned first column, right-aligned numbers, two spaces between columns."""
    widths = _widths(table)
    lines = []
    for row in table:
        cells = [row[0] + " " * (widths[0] - _width(row[0]))]
        cells += [
            " " * (width - _width(cell)) + cell
            for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _group_line(table: Sequence[Sequence[str]], groups: Mapping[int, str]) -> str:
    """A line naming each group of columns above its first column."""
    widths = _widths(table)
    line = ""
    for column, name in groups.items():
        start = sum(widths[:column]) + 2 * column
        line += " " * max(start - _width(line), 1) + name
    return line
