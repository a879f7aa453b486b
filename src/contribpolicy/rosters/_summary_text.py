"""The batch summary as plain-text tables, for the person who ran the batch to check by eye."""

from __future__ import annotations

from collections.abc import Mapping

from contribpolicy.i18n import DEFAULT_LANGUAGE, N_, translator
from contribpolicy.model.results import Amounts
from contribpolicy.rosters.batch import BatchSummary
from contribpolicy.rosters.reader import shown
from contribpolicy.support.tables import group_line, text_table

__all__ = ["render_summary"]

_SHOWN_DUPLICATES = 5


_ROWS = N_("rows: {rows}, malformed: {malformed}")
_MALFORMED_NOTE = N_("  (a malformed row is 'error' in every scheme; its message names the field)")
_LEGEND = (
    N_(
        "Each scheme's eligible + ineligible + error + not paying + referred + malformed"
        " is the number of rows:"
    ),
    N_("  eligible: assessed, with the amounts of the columns to the right"),
    N_("  ineligible: not covered by the scheme; the row's message says why"),
    N_("  error: read, but the scheme could not assess it; the row's message says why"),
    N_("  not paying: chose no tier this year and nobody pays for them; not an error"),
    N_("  referred: referred for determination (核定); the row's message says why"),
    N_("  malformed: the row could not be read; it is 'error' in every scheme"),
)
_REPEATS = N_("repeated identities: {count} (pay each person once, 七)")
_REPEAT = N_("  {field} {value}: lines {first} and {line} (line {line} not assessed)")
_MORE = N_("  ... and {count} more")
#: Column headings.
_WORDS = (
    N_("scheme"), N_("eligible"), N_("ineligible"), N_("error"), N_("not paying"),
    N_("referred"), N_("malformed"),
    N_("individual"), N_("government"), N_("sponsor"), N_("total"), N_("village"), N_("rows"),
    N_("(none)"),
)  # fmt: skip


def render_summary(
    summary: BatchSummary, lang: str = DEFAULT_LANGUAGE, labels: Mapping[str, str] | None = None
) -> str:
    """The summary as plain-text tables, for the person who ran the batch to check by eye, in
    ``lang``; ``labels`` names the schemes (a policy's labels) instead of their codes."""
    t = translator(lang)
    word = {text: t.gettext(text) for text in _WORDS}
    names = {name: (labels or {}).get(name, name) for name in summary.schemes}
    lines = [t.gettext(_ROWS, rows=summary.rows, malformed=summary.malformed)]
    if summary.malformed:
        lines.append(t.gettext(_MALFORMED_NOTE))
    lines.append("")
    header = [word[text] for text in ("scheme", "eligible", "ineligible", "error")]
    header += [word[text] for text in ("not paying", "referred", "malformed")]
    header += [word[text] for text in ("individual", "government", "sponsor", "total")]
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
        table.append([names[name], *map(str, counts), *_money(scheme.amounts)])
    lines += text_table(table, left=(0,))
    lines += [t.gettext(line) for line in _LEGEND]
    lines.append("")
    lines += _villages(summary, word, names)
    if summary.duplicates:
        lines += ["", t.gettext(_REPEATS, count=len(summary.duplicates))]
        lines += [
            t.gettext(_REPEAT, field=d.field, value=shown(d.value), first=d.first_line, line=d.line)
            for d in summary.duplicates[:_SHOWN_DUPLICATES]
        ]
        if len(summary.duplicates) > _SHOWN_DUPLICATES:
            lines.append(t.gettext(_MORE, count=len(summary.duplicates) - _SHOWN_DUPLICATES))
    return "\n".join(lines) + "\n"


def _villages(
    summary: BatchSummary, word: Mapping[str, str], names: Mapping[str, str]
) -> list[str]:
    """The table by village, its scheme names above each scheme's columns."""
    schemes = list(summary.schemes)
    parts = [word["individual"], word["government"], word["sponsor"]]
    table = [[word["village"], word["rows"], word["malformed"], *(parts * len(schemes))]]
    for village in summary.villages:
        money = [cell for name in schemes for cell in _money(village.amounts[name])[:3]]
        name = shown(village.village) or word["(none)"]
        table.append([name, str(village.rows), str(village.malformed), *money])
    totals = [cell for name in schemes for cell in _money(summary.schemes[name].amounts)[:3]]
    table.append([word["total"], str(summary.rows), str(summary.malformed), *totals])
    body = text_table(table, left=(0,))
    groups = {3 + len(parts) * index: names[name] for index, name in enumerate(schemes)}
    return [group_line(table, groups), *body]


def _money(amounts: Amounts) -> list[str]:
    return [
        str(amounts.individual),
        str(amounts.government),
        str(amounts.sponsor),
        str(amounts.total),
    ]
