"""Reconciliation written out: rows as CSV or ``.xlsx``, the summary as text, problems as CSV.

Every file appears complete or not at all (``_atomic``). Text cells that a spreadsheet would
run as a formula (starting ``= + - @``) are written behind a ``'`` in CSV, and as text cells in
a workbook, whose amounts are numbers a collector can sum. The workbook has a sheet per status
with its rows, and a summary sheet: counts and amounts per status, the balance per village and
per channel, and the refunds.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

from contribpolicy.collection._classify import STATUSES
from contribpolicy.collection._messages import label, status_word
from contribpolicy.collection._summary import RECIPIENTS, Summary, Terms
from contribpolicy.collection.rows import ReconciliationRow, reconciliation_columns
from contribpolicy.errors import InputError
from contribpolicy.i18n import translator
from contribpolicy.rosters._formats import format_of, needs
from contribpolicy.support.atomic import atomic_path, atomic_writer
from contribpolicy.support.cells import spreadsheet_text
from contribpolicy.support.xlsx import fix_dates

__all__ = ["open_rows_output", "render_summary", "summary_rows", "write_problems"]

_AMOUNTS = frozenset({"due", "paid", "difference", "refund"})
_TEXT = frozenset({"person_id", "id_number", "name", "village", "message", "refund_to"})

Write = Callable[[Sequence[ReconciliationRow]], None]


def _safe(cell: str) -> str:
    """A text cell as a spreadsheet shows it, never run (the one rule: ``support.cells``)."""
    return spreadsheet_text(cell)


def _cells(row: ReconciliationRow, columns: Sequence[str]) -> list[str]:
    return [
        _safe(cell) if column in _TEXT else cell
        for cell, column in zip(row.cells(), columns, strict=True)
    ]


@contextmanager
def open_rows_output(path: str, summary: Callable[[], Summary], lang: str) -> Iterator[Write]:
    """A ``write(rows)`` for ``path`` (CSV, or ``.xlsx`` with sheets per status and the
    summary, which ``summary()`` gives once every row is written); complete on exit."""
    columns = reconciliation_columns()
    if format_of(path) == "xlsx":
        with _xlsx(path, columns, summary, lang) as write:
            yield write
        return
    with atomic_writer(path, encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)

        def write_csv(rows: Sequence[ReconciliationRow]) -> None:
            writer.writerows(_cells(row, columns) for row in rows)

        yield write_csv


@contextmanager
def _xlsx(
    path: str, columns: Sequence[str], summary: Callable[[], Summary], lang: str
) -> Iterator[Write]:
    openpyxl = needs("openpyxl", "writing an .xlsx output")
    book = openpyxl.Workbook(write_only=True)
    overview = book.create_sheet("summary")
    sheets = {}
    for status in STATUSES:
        sheet = book.create_sheet(status)
        sheet.append(list(columns))
        sheets[status] = sheet
    amount = [column in _AMOUNTS for column in columns]

    def write(rows: Sequence[ReconciliationRow]) -> None:
        from decimal import Decimal

        for row in rows:
            cells = _cells(row, columns)
            sheets[row.status].append(
                [Decimal(c) if is_amount else c for c, is_amount in zip(cells, amount, strict=True)]
            )

    with atomic_path(path) as temporary:
        yield write
        for line in summary_rows(summary(), lang):
            overview.append(line)
        book.save(temporary)
        fix_dates(temporary)  # the same bytes for the same inputs, as every output


def _money(summary: Summary, fen: int) -> Any:
    return summary.money(fen)


def summary_rows(summary: Summary, lang: str) -> list[list[Any]]:
    """The summary as table rows: statuses, villages, channels, refunds, the balance."""
    t = _words(lang)
    money = summary.money
    rows: list[list[Any]] = [[t("status"), "", t("rows"), t("due"), t("paid"), t("refund")]]
    for status, tally in summary.statuses.items():
        word = status_word(lang, status) if lang == "zh" else ""
        rows.append(
            [status, word, tally.rows, money(tally.due), money(tally.paid), money(tally.refund)]
        )
    heading = ["collected", "dues", "over", "under", "unmatched", "held", "balanced"]
    for title, table in ((t("village"), summary.villages), (t("channel"), summary.channels)):
        rows.append([])
        rows.append([title, *heading])
        for name, terms in sorted(table.items()):
            rows.append([name, *_terms(summary, terms)])
    rows.append([])
    rows.append([t("total"), *_terms(summary, summary.total)])
    rows.append([])
    rows.append([t("refunds due"), *RECIPIENTS])
    rows.append(["", *(money(summary.refunds[who]) for who in RECIPIENTS)])
    return rows


def _terms(summary: Summary, terms: Terms) -> list[Any]:
    money = summary.money
    values = (terms.collected, terms.dues, terms.over, terms.under, terms.unmatched, terms.held)
    return [*(money(value) for value in values), "yes" if terms.balanced else "NO"]


def _words(lang: str) -> Callable[[str], str]:
    return lambda name: label(lang, name)


def _equation(summary: Summary, terms: Terms, lang: str) -> str:
    money = summary.money
    return translator(lang).gettext(
        "collected {collected} = dues of those who paid {dues} + overpaid {over} - underpaid "
        "{under} + matching nobody {unmatched} + rows not assessed {held}",
        collected=money(terms.collected),
        dues=money(terms.dues),
        over=money(terms.over),
        under=money(terms.under),
        unmatched=money(terms.unmatched),
        held=money(terms.held),
    )


def _imbalance(summary: Summary, terms: Terms, lang: str) -> str:
    money = summary.money
    return translator(lang).gettext(
        "DOES NOT BALANCE: collected {collected}, the terms add up to {terms} (difference {gap})",
        collected=money(terms.collected),
        terms=money(terms.terms),
        gap=money(terms.collected - terms.terms),
    )


def render_summary(
    summary: Summary, lang: str = "en", *, names: tuple[str, str, str] = ("", "", "")
) -> str:
    """The text summary: inputs read, statuses, the balance of the whole, of each channel and
    of each village (each equation with its terms), refunds, what is to act on."""
    policy, roster, payments = names
    t = translator(lang)
    lines = []
    if any(names):
        lines.append(
            t.gettext(
                "Reconciliation of {payments} against {roster} under {policy}",
                payments=payments,
                roster=roster,
                policy=policy,
            )
        )
    lines.append(
        t.gettext(
            "roster rows: {rows}, not assessed: {bad}",
            rows=summary.roster_rows,
            bad=len(summary.roster_problems),
        )
    )
    lines.append(
        t.gettext(
            "payment rows: {rows}, unreadable: {bad}",
            rows=summary.payment_rows,
            bad=len(summary.payment_problems),
        )
    )
    lines.append("")
    width = max(len(status) for status in STATUSES)
    for status, tally in summary.statuses.items():
        word = f" {status_word(lang, status)}" if lang == "zh" else ""
        lines.append(
            f"  {status:<{width}} {tally.rows:>9}  {label(lang, 'due')} {summary.money(tally.due)}"
            f"  {label(lang, 'paid')} {summary.money(tally.paid)}"
            f"  {label(lang, 'refund')} {summary.money(tally.refund)}{word}"
        )
    lines.append("")
    lines.extend(_balance_lines(summary, label(lang, "total"), summary.total, lang))
    for name, terms in summary.channels.items():
        lines.extend(_balance_lines(summary, f"{label(lang, 'channel')} {name}", terms, lang))
    for name, terms in sorted(summary.villages.items()):
        lines.extend(_balance_lines(summary, f"{label(lang, 'village')} {name}", terms, lang))
    lines.append("")
    refunds = ", ".join(
        f"{label(lang, who)} {summary.money(summary.refunds[who])}" for who in RECIPIENTS
    )
    lines.append(f"{label(lang, 'refunds due')}: {refunds}")
    lines.append(t.gettext("to act on: {count} rows", count=summary.to_act_on))
    if summary.balanced:
        lines.append(t.gettext("Everything balances."))
    return "\n".join(lines) + "\n"


def _balance_lines(summary: Summary, title: str, terms: Terms, lang: str) -> list[str]:
    lines = [f"{title}: {_equation(summary, terms, lang)}"]
    if terms.balanced:
        lines[0] += f"  [{label(lang, 'balanced')}]"
    else:
        lines.append(f"{title}: {_imbalance(summary, terms, lang)}")
    return lines


def write_problems(path: str, summary: Summary) -> None:
    """The roster's and the payments file's bad rows: file, line, field, reason."""
    with atomic_writer(path, encoding="utf-8-sig") as out:
        _problem_rows(out, summary)


def _problem_rows(out: IO[str], summary: Summary) -> None:
    writer = csv.writer(out)
    writer.writerow(["file", "line", "field", "reason"])
    for which, problems in (
        ("roster", summary.roster_problems),
        ("payments", summary.payment_problems),
    ):
        for problem in problems:
            writer.writerow(
                [which, problem.row or "", _safe(problem.field), _safe(_reason(problem))]
            )


def _reason(problem: InputError) -> str:
    return problem.reason
