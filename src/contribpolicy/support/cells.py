"""One rule for text a spreadsheet will open: never a formula, never an invisible character.

Every output a person opens in Excel or WPS (the batch CSV, the ``--errors`` CSV, ``.xlsx``
cells and headers) passes its text cells through ``spreadsheet_text``: a cell starting with
``=``, ``+``, ``-`` or ``@`` would be run as a formula ("CSV injection"), so it gets a leading
``'``; a control, zero-width or direction-override character (a NUL copied from a roster) is
written as its escape, ``\\u200b``, so the cell shows what was there. Data formats (Parquet,
Arrow, ``evaluate_table``) are never altered: their readers are programs.
"""

from __future__ import annotations

import unicodedata

__all__ = ["FORMULA_START", "spreadsheet_text", "visible"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = frozenset("=+-@")
#: Unicode categories written as escapes: control, format (zero-width, bidi overrides, BOM),
#: surrogates, private use, unassigned, line and paragraph separators.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def visible(text: str) -> str:
    """``text`` with each invisible character written as ``\\xNN``, ``\\uNNNN`` or
    ``\\UNNNNNNNN``; costs one ``isprintable`` call for ordinary text."""
    if text.isprintable():
        return text
    return "".join(
        ascii(char)[1:-1] if unicodedata.category(char) in _INVISIBLE else char for char in text
    )


def spreadsheet_text(text: str) -> str:
    """A text cell as a spreadsheet-bound output writes it."""
    text = visible(text)
    return "'" + text if text[:1] in FORMULA_START else text
