"""The ``.xlsx`` output as an official uses it: named sheets, money as 0.00, widths, a frozen
header with a filter, and a summary sheet by village.

Rows are streamed (openpyxl's write-only mode), so memory stays bounded whatever the roster's
size; the summary sheet is added when the batch is done (``Workbook.summary``). Amounts are
numbers (a collector sums a column), shown with two decimals; text cells stay text: openpyxl
never makes a formula of a cell unless it starts with ``=``, and the cells from the roster that
could (person_id, kept columns, village names) go through ``support.cells.spreadsheet_text``.
"""

# openpyxl ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from contribpolicy.i18n import N_, translator
from contribpolicy.rosters._formats import needs
from contribpolicy.rosters.batch import BatchSummary
from contribpolicy.support.atomic import atomic_path
from contribpolicy.support.cells import spreadsheet_text
from contribpolicy.support.tables import display_width
from contribpolicy.support.xlsx import discard, fix_dates

__all__ = ["Workbook", "xlsx_output"]

_MONEY = "0.00"
_ROWS_SHEET = N_("assessments")
_SUMMARY_SHEET = N_("summary")
_VILLAGE, _ROWS, _MALFORMED, _TOTAL, _NONE = (
    N_("village"), N_("rows"), N_("malformed"), N_("total"), N_("(none)")
)  # fmt: skip
_PARTS = (N_("{scheme} individual contribution"), N_("{scheme} government share"))
_SPONSORED = N_("{scheme} sponsored")
_MAX_WIDTH = 60
#: Header text wider than this wraps over lines.
_HEADER_WIDTH = 12


class Workbook:
    """Rows written one by one (``write``), then the summary (``summary``) before saving."""

    def __init__(
        self,
        book: Any,
        header: Sequence[str],
        amounts: Sequence[bool],
        lang: str,
        widths: Sequence[int] = (),
    ):
        self._book = book
        self._lang = lang
        t = translator(lang)
        self._sheet = book.create_sheet(t.gettext(_ROWS_SHEET))
        self._amounts = amounts
        self._cell = needs("openpyxl.cell", "writing an .xlsx output").WriteOnlyCell
        _layout(self._sheet, header, amounts, widths)
        self._sheet.append(_header_cells(self._sheet, header, self._cell))
        self.summary: BatchSummary | None = None
        self.scheme_labels: Mapping[str, str] = {}

    def write(self, row: list[str]) -> None:
        cells: list[object] = []
        for text, is_amount in zip(row, self._amounts, strict=True):
            if is_amount and text:
                cell = self._cell(self._sheet, value=Decimal(text))
                cell.number_format = _MONEY
                cells.append(cell)
            else:
                cells.append(spreadsheet_text(text))  # never a formula (support.cells)
        self._sheet.append(cells)

    __call__ = write

    def finish(self) -> None:
        """The summary sheet by village, when the batch's summary was given."""
        if self.summary is not None:
            _summary_sheet(self._book, self.summary, self.scheme_labels, self._lang, self._cell)


@contextmanager
def xlsx_output(
    path: str,
    header: Sequence[str],
    amounts: Sequence[bool],
    lang: str,
    widths: Sequence[int] = (),
) -> Iterator[Workbook]:
    """The workbook at ``path``, complete on leaving the block (atomically) or not at all;
    ``widths`` are the least widths of the columns (an ID number is 18 characters)."""
    openpyxl = needs("openpyxl", "writing an .xlsx output")
    workbook = Workbook(openpyxl.Workbook(write_only=True), header, amounts, lang, widths)
    try:
        with atomic_path(path) as temporary:
            yield workbook
            workbook.finish()
            workbook._book.save(temporary)
            fix_dates(temporary)  # the same bytes for the same rows (support.xlsx)
    except BaseException:
        discard(workbook._sheet)
        raise


def _layout(
    sheet: Any, header: Sequence[str], amounts: Sequence[bool], widths: Sequence[int] = ()
) -> None:
    """Widths from the header (amounts at least 12), the header frozen, a filter on it."""
    from openpyxl.utils import get_column_letter

    least = [*widths, *([0] * len(header))]
    for index, (title, is_amount) in enumerate(zip(header, amounts, strict=True), start=1):
        # A long header wraps (the scheme's name over its part) rather than widening a column.
        width = max(min(display_width(title), _HEADER_WIDTH) + 2, 12 if is_amount else 10)
        width = max(width, least[index - 1])
        if not is_amount and index == len(header) and len(header) > 3:
            width = _MAX_WIDTH  # the message
        sheet.column_dimensions[get_column_letter(index)].width = min(width, _MAX_WIDTH)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"
    lines = max((-(-display_width(title) // _HEADER_WIDTH) for title in header), default=1)
    sheet.row_dimensions[1].height = 15 * min(lines, 4)  # the wrapped header shown whole
    # On paper: landscape, the header on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.print_title_rows = "1:1"


def _header_cells(sheet: Any, header: Sequence[str], cell: Any) -> list[Any]:
    """The header row: bold, wrapped, at the top of its cells."""
    from openpyxl.styles import Alignment, Font

    cells = []
    for title in header:
        made = cell(sheet, value=spreadsheet_text(title))
        made.font = Font(bold=True)
        made.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(made)
    return cells


def _summary_sheet(
    book: Any, summary: BatchSummary, labels: Mapping[str, str], lang: str, cell: Any
) -> None:
    """One row per village: rows, malformed, and each scheme's individual, government and
    sponsor sums; then the total row."""
    t = translator(lang)
    sheet = book.create_sheet(t.gettext(_SUMMARY_SHEET))
    names = list(summary.schemes)
    header = [t.gettext(_VILLAGE), t.gettext(_ROWS), t.gettext(_MALFORMED)]
    for name in names:
        label = labels.get(name, name)
        header += [t.gettext(part, scheme=label) for part in (*_PARTS, _SPONSORED)]
    amounts = [False, False, False] + [True] * (3 * len(names))
    _layout(sheet, header, amounts)
    sheet.append(_header_cells(sheet, header, cell))

    def money(value: Decimal) -> Any:
        made = cell(sheet, value=value)
        made.number_format = _MONEY
        return made

    for village in summary.villages:
        name = spreadsheet_text(village.village) if village.village else t.gettext(_NONE)
        row: list[object] = [name, village.rows, village.malformed]
        for name in names:
            amounts_of = village.amounts[name]
            row += [money(amounts_of.individual), money(amounts_of.government)]
            row.append(money(amounts_of.sponsor))
        sheet.append(row)
    total: list[object] = [t.gettext(_TOTAL), summary.rows, summary.malformed]
    for name in names:
        scheme = summary.schemes[name].amounts
        total += [money(scheme.individual), money(scheme.government), money(scheme.sponsor)]
    sheet.append(total)
