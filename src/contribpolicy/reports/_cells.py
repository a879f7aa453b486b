"""Cells that a spreadsheet shows as text, never runs as a formula (CSV and .xlsx injection)."""

from __future__ import annotations

from typing import Any

__all__ = ["csv_cell", "text_cell"]

#: A cell starting with one of these is a formula to Excel, LibreOffice and WPS.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell: text a spreadsheet would run is quoted with a leading apostrophe (OWASP)."""
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def text_cell(cell: Any, value: str) -> None:
    """Put ``value`` in an openpyxl cell as a string, whatever it starts with."""
    cell.value = value
    cell.data_type = "s"
