"""Plain-text tables for people at a terminal: columns lined up, Chinese text counted right.

A Chinese character takes two columns of a terminal, a combining mark none: the width of a cell
is what ``wcwidth`` says, not its length in characters. Every text table of the library (the
batch summary, the diff report, ``show``'s outline) is laid out here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from wcwidth import wcswidth, wcwidth

__all__ = ["display_width", "group_line", "numeric", "text_table"]

Table = Sequence[Sequence[str]]
_GAP = 2


def display_width(text: str) -> int:
    """The columns a terminal gives ``text``: wide (CJK) characters count two.

    A character a terminal does not print (a control character) counts as none, rather than
    making the whole text unmeasurable as ``wcswidth`` would.
    """
    width = wcswidth(text)
    if width >= 0:
        return width
    return sum(max(wcwidth(char), 0) for char in text)


def numeric(cell: str) -> bool:
    """Whether a cell reads as a number (``12``, ``-3.50``, ``+400.00``): right-aligned."""
    return cell.lstrip("+-").replace(".", "", 1).isdigit()


def _widths(table: Table) -> list[int]:
    return [max(display_width(row[column]) for row in table) for column in range(len(table[0]))]


def _text_columns(table: Table) -> set[int]:
    """The columns holding text (any cell below the header not a number)."""
    return {
        index for index in range(len(table[0])) if not all(numeric(row[index]) for row in table[1:])
    }


def text_table(table: Table, *, indent: int = 0, left: Collection[int] | None = None) -> list[str]:
    """The lines of ``table`` (first row the header), columns two spaces apart.

    ``left`` names the left-aligned columns; by default those holding text, so that numbers
    line up on the right. Trailing spaces are cut.
    """
    widths = _widths(table)
    lefts = _text_columns(table) if left is None else set(left)
    lines = []
    for row in table:
        cells = []
        for index, (cell, width) in enumerate(zip(row, widths, strict=True)):
            pad = " " * (width - display_width(cell))
            cells.append(cell + pad if index in lefts else pad + cell)
        lines.append((" " * indent + (" " * _GAP).join(cells)).rstrip())
    return lines


def group_line(table: Table, groups: Mapping[int, str], *, indent: int = 0) -> str:
    """A line naming each group of columns above its first column (``{3: "medical"}``)."""
    widths = _widths(table)
    line = " " * indent
    for column, name in groups.items():
        start = indent + sum(widths[:column]) + _GAP * column
        line += " " * max(start - display_width(line), 1) + name
    return line
