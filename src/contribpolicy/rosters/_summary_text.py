"""The batch summary as plain-text tables, for the person who ran the batch to check by eye."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from contribpolicy.rosters.batch import Amounts, BatchSummary
from contribpolicy.rosters.reader import shown

__all__ = ["render_summary"]

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
        name = shown(village.village) or "(none)"
        table.append([name, str(village.rows), str(village.malformed), *money])
    totals = [cell for name in names for cell in _money(summary.schemes[name].amounts)[:3]]
    table.append(["total", str(summary.rows), str(summary.malformed), *totals])
    body = _table(table)
    groups = {3 + len(parts) * index: name for index, name in enumerate(names)}
    lines.append(_group_line(table, groups))
    lines += body
    if summary.duplicates:
        lines += ["", f"repeated identities: {len(summary.duplicates)} (pay each person once, 七)"]
        lines += [
            f"  {d.field} {shown(d.value)}: lines {d.first_line} and {d.line} (line {d.line} "
            "not assessed)"
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
