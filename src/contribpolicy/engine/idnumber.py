"""Resident ID numbers (GB 11643-1999), checked with python-stdnum.

stdnum checks length, format, checksum and birth date. Its region check also demands that the
region code existed in the person's *birth* year, which rejects real numbers: people born before
1983 in Shanting district (370406, created 1983) were issued 370406 numbers when they registered.
We therefore accept a region code that appears in stdnum's table at any time.
"""

from __future__ import annotations

import functools
import re
from datetime import date

from stdnum import numdb
from stdnum.cn import ric

from contribpolicy.i18n import N_, Message

__all__ = [
    "STORED_AS_NUMBER",
    "IdNumberProblem",
    "birth_date_of",
    "normalize_id_number",
    "sex_of",
    "stored_as_number",
]

#: Why an identifier typed into Excel as a number cannot be read, and how to store it as text.
#: Excel keeps 15 significant digits, so the last digits of an 18-digit number are already lost
#: in the file; guessing them would give another, valid-looking person (issue 12).
STORED_AS_NUMBER = N_(
    "was stored as a number ({shown}), and Excel keeps only 15 digits, so the number in the "
    "file is not the one typed; format the column as Text and type the numbers again (or "
    "start each with an apostrophe ')"
)
#: A number as Excel's General format shows one too long for the cell: 3.70102E+17.
_SPACE = N_("has a space at position {position}")
_LENGTH = N_("must have 18 characters, found {found}")
_DIGITS = N_("the first 17 characters must be digits, found {bad!r}")
_LAST = N_("the last character must be a digit or X, found {last!r}")
_CHECK = N_("check digit is {found!r}, expected {expected!r}")
_REGION = N_("region code {region} is unknown")
_NO_DATE = N_("birth date {digits} is not a date")
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+[0-9]{2,}")


class IdNumberProblem(ValueError):
    """Why an ID number is not valid, in words for the person correcting it."""


@functools.cache
def _region_known(code: str) -> bool:
    results = numdb.get("cn/loc").info(code)
    return any("county" in props for _part, props in results)


def normalize_id_number(raw: str) -> str:
    """The number upper-cased and stripped, or IdNumberProblem saying what is wrong.

    Full-width digits are the caller's to turn into ASCII (``person.ascii_form``); a space
    inside the number is refused rather than removed, since it usually marks two numbers run
    together or a digit lost, not a separator.
    """
    number = raw.strip().upper()
    if stored_as_number(number):
        raise IdNumberProblem(Message(STORED_AS_NUMBER, shown=number))
    if " " in number:
        raise IdNumberProblem(Message(_SPACE, position=number.index(" ") + 1))
    if len(number) == 15 and number.isascii() and number.isdigit():
        raise IdNumberProblem(
            "must have 18 characters, found 15: an old 15-digit number must be converted"
        )
    if len(number) != 18:
        raise IdNumberProblem(Message(_LENGTH, found=len(number)))
    if not number[:17].isascii() or not number[:17].isdigit():
        bad = next(c for c in number[:17] if not (c.isascii() and c.isdigit()))
        raise IdNumberProblem(Message(_DIGITS, bad=bad))
    if number[17] not in "0123456789X":
        raise IdNumberProblem(Message(_LAST, last=number[17]))
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise IdNumberProblem(Message(_CHECK, found=number[17], expected=expected))
    birth_date_of(number)
    if not _region_known(number[:6]):
        raise IdNumberProblem(Message(_REGION, region=number[:6]))
    return number


def stored_as_number(text: str) -> bool:
    """Whether an identifier is a number as Excel shows and exports an ID number typed without
    making the column text first: 3.70102E+17."""
    return ("E" in text or "e" in text) and _SCIENTIFIC.fullmatch(text.strip()) is not None


def birth_date_of(number: str) -> date:
    """The birth date in a number whose first 17 characters are digits (as stdnum reads it,
    without its per-call cleaning of separators, which a checked number does not have)."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberProblem(Message(_NO_DATE, digits=number[6:14])) from None


def sex_of(number: str) -> str:
    """``male`` or ``female`` from a checked number's 17th digit: odd is male (GB 11643)."""
    return "male" if int(number[16]) % 2 else "female"
