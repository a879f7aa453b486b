"""The progress report as a table: printed as text, or written as CSV or .xlsx (one table, the
same cells in each), villages sorted by how far behind their medical reference count they are."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from contribpolicy.reports._cells import csv_cell, text_cell
from contribpolicy.reports._extras import needs
from contribpolicy.reports._text import labels
from contribpolicy.reports.progress import Progress, Rate, VillageProgress
from contribpolicy.support.atomic import atomic_path, atomic_writer
from contribpolicy.support.tables import text_table
from contribpolicy.support.xlsx import fix_dates

__all__ = ["progress_table", "progress_text", "write_progress"]


def _percent(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def behind_first(villages: Sequence[VillageProgress]) -> list[VillageProgress]:
    """Villages, the furthest behind first: by people short of the first target (the medical
    count), then by the rate gap of each further target, then by name for a stable order."""
    return sorted(
        villages,
        key=lambda v: (
            tuple(-rate.short for rate in v.rates[:1]),
            tuple(-rate.gap for rate in v.rates[1:]),
            v.village,
        ),
    )


def _band(rate: Rate) -> str:
    return f"{rate.target.min_age or 0}-{rate.target.max_age or ''}"


def progress_table(progress: Progress, language: str = "zh") -> list[list[str]]:
    """Header, then one row per village (furthest behind first), then the subdistrict's."""
    words = labels(language)
    header = [words["village"]]
    for rate in progress.total.rates:
        if rate.target.measure == "coverage":
            header += [words["reference"], words["roster_count"], words["paid_count"]]
        else:
            header += [f"{words['eligible']} {_band(rate)}", f"{words['paid_count']} {_band(rate)}"]
        header += [
            words["rate_target"].format(target=_percent(rate.target.rate)),
            words["behind"],
        ]
    rows = [header]
    for village in [*behind_first(progress.villages), progress.total]:
        name = village.village or words["all_villages"]
        if not village.in_table:
            name += words["not_in_table"]
        row = [name]
        for rate in village.rates:
            if rate.target.measure == "coverage":
                row += [str(rate.due), str(village.medical_due), str(rate.paid)]
            else:
                row += [str(rate.due), str(rate.paid)]
            row += [_percent(rate.rate), str(rate.short)]
        rows.append(row)
    return rows


def _phases(progress: Progress, words: Mapping[str, str]) -> list[str]:
    if not progress.phases:
        return [words["phase_none"]]
    return [
        words["phase_line"].format(
            label=phase.period.label,
            start=phase.period.start,
            end=phase.period.end,
            days=phase.days_left,
        )
        for phase in progress.phases
    ]


def progress_text(progress: Progress, language: str = "zh") -> str:
    """The progress report as plain text, in ``language``."""
    words = labels(language)
    title = f"{words['progress']} {words['as_of'].format(date=progress.day)}"
    lines = [
        title,
        *_phases(progress, words),
        "",
        *text_table(progress_table(progress, language), left=(0,)),
    ]
    return "\n".join(lines) + "\n"


def write_progress(path: str | Path, progress: Progress, language: str = "zh") -> None:
    """``.csv`` (UTF-8 with a BOM, for Chinese Excel) or ``.xlsx``, written atomically."""
    table = progress_table(progress, language)
    if str(path).lower().endswith(".xlsx"):
        _write_xlsx(path, progress, table, language)
        return
    with atomic_writer(path, encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        for row in table:
            writer.writerow([csv_cell(cell) for cell in row])


def _write_xlsx(
    path: str | Path, progress: Progress, table: list[list[str]], language: str
) -> None:
    openpyxl = needs("openpyxl", "the progress report as .xlsx")
    words = labels(language)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = words["progress"]
    notes = [f"{words['progress']} {words['as_of'].format(date=progress.day)}"]
    notes += _phases(progress, words)
    for row_index, row in enumerate([*[[note] for note in notes], [], *table], start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=column)
            if value.isascii() and value.isdigit():
                cell.value = int(value)
            else:
                text_cell(cell, value)
    header_row = len(notes) + 2
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.column_dimensions["A"].width = 24
    with atomic_path(path) as temporary:
        book.save(temporary)
        fix_dates(temporary)  # the same bytes for the same inputs
