"""Cells that held numbers (a worksheet's, a Parquet file's): read exactly, or refused.

Excel keeps numbers as binary floating point with 15 significant digits. An ID number typed
without making the column text first is therefore already wrong in the file
(370102198001011234 is kept as 3.70102198001011E+17), and turning that float back into digits
makes a different, often valid-looking, ID. So a number in an identity column is refused with
how to store it as text, and never carried to the output (issue 12). An Excel date serial in a
date column is the date it stands for. Any other number is read as the shortest text that is
exactly the number, when that text has at most 15 significant digits (what was typed), and
refused otherwise (a computed 249.49999999999997 is no amount anybody typed).

A CSV holds text, but one saved by Excel holds an ID number column as Excel showed it
(3.70102E+17): those cells are refused the same way (``stored_as_number``).
"""

from __future__ import annotations

import datetime
import math

from contribpolicy.engine.idnumber import STORED_AS_NUMBER, stored_as_number
from contribpolicy.errors import InputError
from contribpolicy.i18n import N_

__all__ = ["ID_FIELDS", "NumberCell", "number_problem"]

#: Columns that identify a person: a number there is refused, never carried to the output.
ID_FIELDS = ("person_id", "id_number")
#: Columns holding dates: an Excel date serial there is the date it stands for.
DATE_FIELDS = ("birth_date",)
_DIGITS = 15
#: Serials below this are in Excel's made-up 1900-02-29 and before: no birth date.
_FIRST_SERIAL = 61
_LAST_SERIAL = 2_958_465  # 9999-12-31
_NOT_A_DATE = N_(
    "holds the number {shown}, not a date; format the column as a date or type YYYY-MM-DD"
)
_INEXACT = N_(
    "holds {shown}, a number with more digits than Excel keeps, so not what was typed; "
    "round it in the sheet or store the column as text"
)


class NumberCell(str):
    """A cell that held a number: the text a CSV export shows, with the number kept.

    ``exact`` says whether the text is exactly the number and has at most 15 significant
    digits; ``epoch`` is the workbook's day 0 for date serials (None where serials mean
    nothing, as in Parquet).
    """

    number: int | float
    exact: bool
    epoch: datetime.date | None

    def __new__(cls, number: int | float, epoch: datetime.date | None = None) -> NumberCell:
        text, exact = _text(number)
        cell = super().__new__(cls, text)
        cell.number = number
        cell.exact = exact
        cell.epoch = epoch
        return cell


def _text(number: int | float) -> tuple[str, bool]:
    if isinstance(number, int):
        return str(number), True
    if number.is_integer():  # 16 digits or more as a float: Excel lost the last ones
        exact = abs(number) < 10**_DIGITS
        return (str(int(number)) if exact else f"{number:.{_DIGITS}G}"), exact
    shortest = repr(number)
    mantissa = shortest.lower().partition("e")[0].replace("-", "").replace(".", "")
    if len(mantissa.strip("0")) <= _DIGITS and math.isfinite(number):
        return shortest, True
    return f"{number:.{_DIGITS}G}", False


def number_problem(record: dict[str, str], line: int, *, cells: bool) -> InputError | None:
    """The first problem of a row's stored-as-number IDs and (with ``cells``, for a source
    whose cells may hold numbers) number cells, or None.

    ``record`` is changed in place: a refused identity is removed (so no output row carries an
    ID the input does not hold, and no repeat is counted for it), and a date serial becomes
    its date.
    """
    problem = None
    for field in ID_FIELDS:
        value = record.get(field)
        if value and _refused_id(field, value):
            del record[field]
            shown = str(value).strip()
            problem = problem or InputError.of(
                field, STORED_AS_NUMBER, value=shown, row=line, shown=shown
            )
    for field, value in record.items() if cells else ():
        if type(value) is NumberCell:
            found = _read(record, field, value, line)
            problem = problem or found
    return problem


def _refused_id(field: str, value: str) -> bool:
    if type(value) is NumberCell:
        return field == "id_number" or not value.exact
    return stored_as_number(value)


def _read(record: dict[str, str], field: str, cell: NumberCell, line: int) -> InputError | None:
    if field in DATE_FIELDS:
        day = _serial_date(cell)
        if day is None:
            return InputError.of(field, _NOT_A_DATE, value=str(cell), row=line, shown=str(cell))
        record[field] = day.isoformat()
        return None
    record[field] = str(cell)
    if not cell.exact:
        return InputError.of(field, _INEXACT, value=str(cell), row=line, shown=str(cell))
    return None


def _serial_date(cell: NumberCell) -> datetime.date | None:
    """The day an Excel date serial stands for (a whole number: a time of day is no birth
    date), or None."""
    number = cell.number
    if cell.epoch is None or not float(number).is_integer():
        return None
    serial = int(number)
    first = _FIRST_SERIAL if cell.epoch.year == 1899 else 0
    if not first <= serial <= _LAST_SERIAL:
        return None
    return cell.epoch + datetime.timedelta(days=serial)
