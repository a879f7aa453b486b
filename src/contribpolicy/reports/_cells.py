"""Cells that a spreadsheet shows as text, never runs as a formula (CSV and .xlsx injection).

The rule is the one of every spreadsheet-bound output (``support.cells``): a leading ``'``
before a formula's first character, invisible characters written as escapes.
"""

from __future__ import annotations

from typing import Any

from contribpolicy.support.cells import spreadsheet_text, visible

__all__ = ["csv_cell", "text_cell"]


def csv_cell(value: object) -> str:
    """A CSV cell: text a spreadsheet would run is quoted with a leading apostrophe (OWASP)."""
    return spreadsheet_text(str(value))


def text_cell(cell: Any, value: str) -> None:
    """Put ``value`` in an openpyxl cell as a string, whatever it starts with."""
    cell.value = visible(value)
    cell.data_type = "s"
