"""Cell values as a roster holds them, read exactly or refused with the reason.

Rosters are typed by hand, so text is normalized only where the reading is unambiguous: spaces
around a value are dropped, and full-width forms (１２３, －, Ｘ, typed with a Chinese input
method) become their ASCII forms in ID numbers, dates, choices and amounts (the NFKC mapping of
that block alone: NFKC as a whole would also read ² or ① as digits). Anything else that is not
what the field holds is refused with the reason: a control or invisible character, a thousands
separator or exponent in an amount. Split from ``records`` so each stays readable; ``records``
puts these readers together per policy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from contribpolicy.errors import InputError
from contribpolicy.i18n import N_

__all__ = [
    "amount_reader",
    "ascii_form",
    "read_birth_date",
    "read_code",
    "read_decimal",
    "read_flag",
    "read_text",
    "read_whole",
]

_NOT_YES_NO = N_("expected a yes/no value (true/false, 1/0, 是/否), found {found!r}")
_NOT_WHOLE = N_("expected a whole number, found {found!r}")
_NEGATIVE = N_("must not be negative, found {number}")
_OVER_LIMIT = N_("{number} is over the limit of {limit} for one person (a typing error?)")
_PLACES = N_("has more than {places} decimal places: {number}")
_NOT_AMOUNT = N_(
    "expected an amount written as digits with an optional decimal point (150 or 150.50), "
    "found {found!r}"
)
_TOO_LARGE = N_("a whole number too large to be an identifier")
_NOT_TEXT = N_("expected text, found {found}")
_INVISIBLE = N_(
    "contains {name} ({code}) at position {position}; a cell holds one line of visible text"
)
_DIGITS = N_("has more than {digits} digits")
_NOT_FINITE = N_("expected a finite amount, found {found!r}")
_NOT_DECIMAL = N_("expected a decimal amount (Decimal, int or text), found {kind} {found!r}")
_DATETIME = N_("expected a date, found a datetime {found!r}")
_NOT_ISO = N_("expected an ISO date YYYY-MM-DD, found {found!r}")
_TRUE = frozenset({"1", "true", "yes", "y", "是", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "否", "f", ""})
#: Full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space, to their ASCII forms.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_AMOUNT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_MAX_CHOICE_DIGITS = 15
_MAX_ID_BITS = 64  # a numeric person_id fits a database's integer column
#: Characters no field may hold: controls (line breaks and tabs too: a cell is one line),
#: invisible format characters (zero-width space, direction overrides), surrogates, unassigned,
#: and line or paragraph separators.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def read_text(field: str, value: object) -> str:
    """A text cell as one line of visible text, surrounding spaces dropped; a whole number (a
    numeric identifier a spreadsheet typed) as its digits."""
    if type(value) is str:
        return value.strip() if value.isprintable() else _checked_text(field, value)
    if value is None:
        return ""
    if isinstance(value, str):
        return _checked_text(field, str(value))
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > _MAX_ID_BITS:
            raise InputError.of(field, _TOO_LARGE, value=value)
        return str(value)
    raise InputError.of(field, _NOT_TEXT, value=value, found=type(value).__name__)


def read_code(field: str, value: object) -> str:
    """Text checked afterwards against a vocabulary or a format, which any stray character
    fails with its own reason: the per-character check of ``read_text`` is not needed."""
    if type(value) is str:
        return value.strip()
    return read_text(field, value)


def _checked_text(field: str, value: str) -> str:
    """Text with something ``isprintable`` dislikes: spaces other than ASCII's are fine (a
    name may hold an ideographic space), and so is white space around the text, which is
    dropped; characters that hide or break a line inside it are not."""
    text = value.strip()
    for index, char in enumerate(text):
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            name = unicodedata.name(char, "a control character")
            code = f"U+{ord(char):04X}"
            raise InputError.of(
                field, _INVISIBLE, value=value, name=name, code=code, position=index + 1
            )
    return text


def ascii_form(value: str) -> str:
    """``value`` with full-width forms as ASCII and surrounding spaces removed."""
    if not value.isascii():
        value = value.translate(_FULL_WIDTH)
    return value.strip()


_FLAG_VALUES: dict[object, bool] = {
    None: False, True: True, False: False, "": False, "0": False, "1": True,
    "true": True, "false": False, "是": True, "否": False,
}  # fmt: skip


def read_flag(field: str, value: object) -> bool:
    """A yes/no cell: true/false, 1/0, yes/no, 是/否, blank for no; anything else is refused."""
    try:
        return _FLAG_VALUES[value]
    except (KeyError, TypeError):
        pass
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    raise InputError.of(field, _NOT_YES_NO, value=value, found=value)


def read_whole(field: str, value: object) -> int | None:
    """A whole number cell (a chosen tier, a count of years), or None when blank."""
    if type(value) is str and _is_digits(value) and len(value) <= _MAX_CHOICE_DIGITS:
        return int(value)  # as a roster cell usually holds it
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InputError.of(field, _NOT_WHOLE, value=value, found=value)
    if isinstance(value, int):
        number = int(value)
    elif isinstance(value, str) and _is_digits(text := ascii_form(read_text(field, value))):
        if len(text) > _MAX_CHOICE_DIGITS:
            raise InputError.of(field, _DIGITS, value=value, digits=_MAX_CHOICE_DIGITS)
        number = int(text)
    else:
        raise InputError.of(field, _NOT_WHOLE, value=value, found=value)
    if number < 0:
        raise InputError.of(field, _NEGATIVE, value=value, number=number)
    if number >= 10**_MAX_CHOICE_DIGITS:
        raise InputError.of(field, _DIGITS, value=value, digits=_MAX_CHOICE_DIGITS)
    return number


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def amount_reader(places: int, limit: Decimal) -> Callable[[str, object], Decimal | None]:
    """A reader of money cells with at most ``places`` places and at most ``limit`` for one
    person (a typing error's guard), None when blank."""

    def amount(field: str, value: object) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = read_decimal(field, value)
        if not number.is_finite():
            raise InputError.of(field, _NOT_FINITE, value=value, found=value)
        if number < 0:
            raise InputError.of(field, _NEGATIVE, value=value, number=number)
        if number > limit:
            raise InputError.of(field, _OVER_LIMIT, value=value, number=number, limit=limit)
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:  # 150.500 is still two places
            exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            raise InputError.of(field, _PLACES, value=value, places=places, number=number)
        return number

    return amount


def read_decimal(field: str, value: object) -> Decimal:
    """An amount as Decimal: Decimal and int as they are, text only as plain digits."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        if value.isascii() and value.replace(".", "", 1).isdigit():
            return Decimal(value)  # as a roster cell usually holds it
        text = ascii_form(read_text(field, value))
        if _AMOUNT.fullmatch(text):
            return Decimal(text)
        raise InputError.of(field, _NOT_AMOUNT, value=value, found=value)
    kind = type(value).__name__
    raise InputError.of(field, _NOT_DECIMAL, value=value, kind=kind, found=value)


def read_birth_date(value: object) -> date | None:
    """A birth date written YYYY-MM-DD (or a date object), None when blank."""
    # YYYY-MM-DD by shape: fromisoformat then accepts only ASCII digits around the dashes (a
    # regular expression here would cost as much as all the other checks of the field).
    if type(value) is str and len(value) == 10 and value[4] == "-" == value[7] and value.isascii():
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    elif value is None or value == "":
        return None
    elif isinstance(value, datetime):
        raise InputError.of("birth_date", _DATETIME, value=value, found=value)
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        text = ascii_form(read_text("birth_date", value))
        if _iso_shaped(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
    raise InputError.of("birth_date", _NOT_ISO, value=value, found=value)


def _iso_shaped(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" == text[7] and text.isascii()
