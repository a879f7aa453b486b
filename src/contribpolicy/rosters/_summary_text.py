"""The batch summary as plain-text tables, for the person who ran the batch to check by eye."""

from __future__ import annotations

from contribpolicy.model.results import ELIGIBLE, ERROR, INELIGIBLE, NOT_PAYING, REFERRED, Amounts
from contribpolicy.rosters.batch import BatchSummary
from contribpolicy.rosters.reader import shown
from contribpolicy.support.tables import group_line, text_table

__all__ = ["render_summary"]

_SHOWN_DUPLICATES = 5


def render_summary(summary: BatchSummary) -> str:
    """The summary as plain-text tables, for the person who ran the batch to check by eye."""
    lines = [f"rows: {summary.rows}, malformed: {summary.malformed}"]
    if summary.malformed:
        lines.append("  (a malformed row is 'error' in every scheme; its message names the field)")
    lines.append("")
    header = ["scheme", ELIGIBLE.value, INELIGIBLE.value, ERROR.value]
    header += [NOT_PAYING.value, REFERRED.value, "malformed"]
    header += ["individual", "government", "sponsor", "total"]
    table = [header]
    for name, scheme in summary.schemes.items():
        counts = (
            scheme.eligible,
            scheme.ineligible,
            scheme.error,
            scheme.not_paying,
            scheme.referred,
            summary.malformed,
        )
        table.append([name, *map(str, counts), *_money(scheme.amounts)])
    lines += text_table(table, left=(0,))
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
    body = text_table(table, left=(0,))
    groups = {3 + len(parts) * index: name for index, name in enumerate(names)}
    lines.append(group_line(table, groups))
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
