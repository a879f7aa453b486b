"""The notice as an .xlsx workbook: the same lines, subtotals, total and sign-offs as the HTML,
with A4 print settings (portrait, fit to width, the header row repeated, a break per page)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from contribpolicy.reports._cells import text_cell
from contribpolicy.reports._extras import needs
from contribpolicy.reports._text import labels
from contribpolicy.reports.notice import Tally, VillageNotice
from contribpolicy.support.atomic import atomic_path
from contribpolicy.support.xlsx import fix_dates

__all__ = ["write_notice_xlsx"]

_WIDTHS = (6, 16, 22, 22, 12, 10)
_MONEY = "#,##0.00"


def write_notice_xlsx(
    path: str | Path, notices: Sequence[VillageNotice], language: str = "zh"
) -> None:
    """One sheet per village, written atomically."""
    openpyxl = needs("openpyxl", "the notice as .xlsx")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for notice in notices:
        _sheet(openpyxl, book.create_sheet(_sheet_title(notice.village)), notice, language)
    with atomic_path(path) as temporary:
        book.save(temporary)
        fix_dates(temporary)  # the same bytes for the same inputs


def _sheet_title(village: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if char in "[]:*?/\\" else char for char in village)
    return cleaned[:31] or "_"


def _sheet(openpyxl: Any, sheet: Any, notice: VillageNotice, language: str) -> None:
    words = labels(language)
    bold = openpyxl.styles.Font(bold=True)
    _row(sheet, 1, [f"{notice.title} {notice.village}{words['notice']}"], bold)
    period = words["period"].format(start=notice.period.start, end=notice.period.end)
    _row(sheet, 2, [period, "", "", words["issuer"].format(issuer=notice.issuer)])
    header = ["number", "name", "id_number", "scheme", "standard", "paid_column"]
    _row(sheet, 3, [words[key] for key in header], bold)
    row = 4
    for page in notice.pages:
        for line in page.lines:
            name = line.name + (words["under"].format(line=line.under) if line.under else "")
            standard = line.standard if line.standard is not None else words["no_amount"]
            paid = words["paid" if line.paid else "short" if line.short else "unpaid"]
            _row(sheet, row, [line.number, name, line.id_number, line.scheme, standard, paid])
            row += 1
        _row(sheet, row, [words["subtotal_line"].format(tally=_tally(words, page.subtotal))])
        sheet.row_breaks.append(openpyxl.worksheet.pagebreak.Break(id=row))
        row += 1
    sheet.row_breaks.brk.pop()
    _row(sheet, row, [words["total_line"].format(tally=_tally(words, notice.total))], bold)
    notes = [
        words["basis"].format(title=notice.title, cite=notice.cite),
        words[f"children_{notice.children_note}"].format(age=notice.child_age),
        words["contact"],
        *(
            f"{who}  {words['signature']}________  {words['date_line']}________"
            for who in notice.sign_offs
        ),
        notice.issuer,
    ]
    for offset, note in enumerate(notes, start=2):
        _row(sheet, row + offset, [note])
    _print_settings(openpyxl, sheet)


def _row(sheet: Any, row: int, values: Sequence[object], font: Any = None) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            text_cell(cell, value)
        else:
            cell.value = value
            if column == 5:
                cell.number_format = _MONEY
        if font is not None:
            cell.font = font


def _tally(words: Mapping[str, str], tally: Tally) -> str:
    return words["tally"].format(
        lines=tally.lines, paid=tally.paid, unpaid=tally.unpaid, amount=f"{tally.amount:,.2f}"
    )


def _print_settings(openpyxl: Any, sheet: Any) -> None:
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "3:3"
    sheet.freeze_panes = "A4"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = openpyxl.worksheet.page.PageMargins(
        left=0.5, right=0.5, top=0.5, bottom=0.5
    )
