"""Person records: the typed ``Person`` and the validation that turns a mapping into facts.

A record is checked against the policy's declared vocabulary, field by field, and the first
malformed field raises ``InputError`` naming it. Text values as they come from a CSV roster
("1", "是", "2025-01-01", "350") are accepted; floats are not, because money is never a float.

Rosters are typed by hand, so text is normalized only where the reading is unambiguous: spaces
around a value are dropped, and full-width forms (１２３, －, Ｘ, typed with a Chinese input
method) become their ASCII forms in ID numbers, dates, choices and amounts (the NFKC mapping of
that block alone: NFKC as a whole would also read ² or ① as digits). Anything else that is not
what the field holds is refused with the reason: a control or invisible character, a space
inside an ID number, a thousands separator or exponent in an amount.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from contribpolicy.engine._sex import sex_of_record, sex_words
from contribpolicy.engine._words import Words, split_statuses
from contribpolicy.engine.idnumber import (
    STORED_AS_NUMBER,
    IdNumberProblem,
    birth_date_of,
    normalize_id_number,
    stored_as_number,
)
from contribpolicy.errors import InputError
from contribpolicy.i18n import N_, Message
from contribpolicy.model.facts import Facts
from contribpolicy.model.person import (
    CORE_FIELDS,
    DEFAULT_RECORD_LIMITS,
    EARLIEST_BIRTH_YEAR,
    Person,
    RecordLimits,
)
from contribpolicy.model.policy import Policy

__all__ = [
    "FORMULA_START",
    "ParsedRecord",
    "RecordParser",
    "ascii_form",
    "roster_columns",
]

_NOT_YES_NO = N_("expected a yes/no value (true/false, 1/0, 是/否), found {found!r}")
_REQUIRED = N_("is required")
_NOT_WHOLE = N_("expected a whole number, found {found!r}")
_NEGATIVE = N_("must not be negative, found {number}")
_OVER_LIMIT = N_("{number} is over the limit of {limit} for one person (a typing error?)")
_PLACES = N_("has more than {places} decimal places: {number}")
_NOT_AMOUNT = N_(
    "expected an amount written as digits with an optional decimal point (150 or 150.50), "
    "found {found!r}"
)
_DISAGREES = N_("{born} disagrees with the ID number's birth date {from_id}")
_OUTSIDE = N_("{born} is outside {earliest}..{latest}")
_BIRTH_REQUIRED = N_("is required when there is no id_number")
_NOT_ISO = N_("expected an ISO date YYYY-MM-DD, found {found!r}")
_TRUE = frozenset({"1", "true", "yes", "y", "是", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "否", "f", ""})
_ABSENT = object()
_CACHE_SIZE = 4096
#: Full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space, to their ASCII forms.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_AMOUNT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_MAX_CHOICE_DIGITS = 15
#: What makes a spreadsheet read a cell as a formula ("CSV injection"). A person_id is copied
#: to the start of an output cell: one starting with = + @ is refused; a leading minus, which
#: a real identifier may have ("-12"), is kept, and written out as text (batch).
FORMULA_START = frozenset("=+-@")
_REFUSED_START = frozenset("=+@")
_MAX_ID_BITS = 64  # a numeric person_id fits a database's integer column
#: Characters no field may hold: controls (line breaks and tabs too: a cell is one line),
#: invisible format characters (zero-width space, direction overrides), surrogates, unassigned,
#: and line or paragraph separators.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class ParsedRecord(NamedTuple):
    """A validated record: identity for the output, facts for the rules."""

    person_id: str
    village: str
    facts: Facts


def _text(field: str, value: object) -> str:
    if type(value) is str:
        return value.strip() if value.isprintable() else _checked_text(field, value)
    if value is None:
        return ""
    if isinstance(value, str):
        return _checked_text(field, str(value))
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > _MAX_ID_BITS:
            raise InputError(field, "a whole number too large to be an identifier", value=value)
        return str(value)
    raise InputError(field, f"expected text, found {type(value).__name__}", value=value)


def _code(field: str, value: object) -> str:
    """Text checked afterwards against a vocabulary or a format, which any stray character
    fails with its own reason: the per-character check of ``_text`` is not needed."""
    if type(value) is str:
        return value.strip()
    return _text(field, value)


def _checked_text(field: str, value: str) -> str:
    """Text with something ``isprintable`` dislikes: spaces other than ASCII's are fine (a
    name may hold an ideographic space), and so is white space around the text, which is
    dropped; characters that hide or break a line inside it are not."""
    text = value.strip()
    for index, char in enumerate(text):
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            name = unicodedata.name(char, "a control character")
            raise InputError(
                field,
                f"contains {name} (U+{ord(char):04X}) at position {index + 1}; "
                "a cell holds one line of visible text",
                value=value,
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


def _flag(field: str, value: object) -> bool:
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


def _bad_person_id(person_id: str) -> None:
    if not person_id:
        raise InputError.of("person_id", _REQUIRED)
    raise InputError(
        "person_id",
        f"starts with {person_id[0]!r}: a spreadsheet opening the output would run it as a formula",
        value=person_id,
    )


def _choice(field: str, value: object) -> int | None:
    if type(value) is str and _is_digits(value) and len(value) <= _MAX_CHOICE_DIGITS:
        return int(value)  # as a roster cell usually holds it
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InputError.of(field, _NOT_WHOLE, value=value, found=value)
    if isinstance(value, int):
        number = int(value)
    elif isinstance(value, str) and _is_digits(text := ascii_form(_text(field, value))):
        if len(text) > _MAX_CHOICE_DIGITS:
            raise InputError(field, f"has more than {_MAX_CHOICE_DIGITS} digits", value=value)
        number = int(text)
    else:
        raise InputError.of(field, _NOT_WHOLE, value=value, found=value)
    if number < 0:
        raise InputError(field, f"must not be negative, found {number}", value=value)
    if number >= 10**_MAX_CHOICE_DIGITS:
        raise InputError(field, f"has more than {_MAX_CHOICE_DIGITS} digits", value=value)
    return number


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _amount_parser(places: int, limit: Decimal) -> Callable[[str, object], Decimal | None]:
    def amount(field: str, value: object) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = _decimal(field, value)
        if not number.is_finite():
            raise InputError(field, f"expected a finite amount, found {value!r}", value=value)
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


def _decimal(field: str, value: object) -> Decimal:
    """An amount as Decimal: Decimal and int as they are, text only as plain digits."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        if value.isascii() and value.replace(".", "", 1).isdigit():
            return Decimal(value)  # as a roster cell usually holds it
        text = ascii_form(_text(field, value))
        if _AMOUNT.fullmatch(text):
            return Decimal(text)
        raise InputError.of(field, _NOT_AMOUNT, value=value, found=value)
    raise InputError(
        field,
        f"expected a decimal amount (Decimal, int or text), found {type(value).__name__} {value!r}",
        value=value,
    )


def _birth_date(value: object) -> date | None:
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
        raise InputError("birth_date", f"expected a date, found a datetime {value!r}", value=value)
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        text = ascii_form(_text("birth_date", value))
        if _iso_shaped(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
    raise InputError.of("birth_date", _NOT_ISO, value=value, found=value)


def _iso_shaped(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" == text[7] and text.isascii()


def _status_words(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return split_statuses(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [str(code).strip() for code in value]
    raise InputError("statuses", f"expected a list of status codes, found {value!r}", value=value)


class RecordParser:
    """Validates records for one policy; built once, used for every person."""

    def __init__(self, policy: Policy, limits: RecordLimits = DEFAULT_RECORD_LIMITS) -> None:
        vocabulary = policy.vocabulary
        self.reference = policy.age_basis.reference_date
        self.coverage_year = policy.coverage_year
        self.statuses = vocabulary.statuses
        self.residence = vocabulary.residence
        self.residence_words = Words("residence", vocabulary.residence)
        self.status_words = Words("statuses", vocabulary.statuses)
        amount = _amount_parser(policy.money.places, limits.max_amount)
        inputs: dict[str, Callable[[str, object], Any]] = {
            **dict.fromkeys(vocabulary.flags, _flag),
            **dict.fromkeys(vocabulary.whole_numbers, _choice),
            **dict.fromkeys(vocabulary.amounts, amount),
        }
        self.inputs = tuple(inputs.items())
        self.defaults: dict[str, Any] = {name: parse(name, None) for name, parse in self.inputs}
        self.sex_words = sex_words(vocabulary.sex) if vocabulary.sex else None
        sex = {"sex"} if vocabulary.sex else set()
        self.known = frozenset(CORE_FIELDS) | inputs.keys() | sex
        self._status_cache: dict[str | None, frozenset[str]] = {}

    def parse(self, record: Mapping[str, Any] | Person) -> ParsedRecord:
        """The facts of one record, or ``InputError`` naming the first bad field."""
        if type(record) is not dict:
            record = self._mapping(record)
        if not self.known.issuperset(record):
            field = min(record.keys() - self.known, key=repr)
            expected = ", ".join(sorted(self.known))
            raise InputError(
                str(field), f"unknown field; expected one of {expected}", value=record[field]
            )
        get = record.get
        person_id = _text("person_id", get("person_id"))
        if not person_id or person_id[0] in _REFUSED_START:
            _bad_person_id(person_id)
        residence = self.residence_code(get("residence"))
        values = self.defaults.copy()
        values["residence"] = residence
        for name, parse in self.inputs:
            value = get(name, _ABSENT)
            if value is not _ABSENT:
                values[name] = parse(name, value)
        _text("name", get("name"))
        age, id_number = self._age(record)
        if self.sex_words is not None:
            values["sex"] = sex_of_record(self.sex_words, get("sex"), id_number)
        facts = Facts(age, self._statuses(get("statuses")), values)
        return ParsedRecord(person_id, _text("village", get("village")), facts)

    @staticmethod
    def _mapping(record: object) -> Mapping[str, Any]:
        if isinstance(record, Person):
            return record.to_record()
        if isinstance(record, Mapping):
            return record
        kind = type(record).__name__
        raise InputError("record", f"expected a mapping of fields or a Person, found {kind}")

    def residence_code(self, value: object) -> str:
        """The residence code of a cell holding the code or the policy's label for it."""
        residence = _code("residence", value)
        if residence in self.residence:
            return residence
        return self.residence_words.code(residence)

    def _statuses(self, value: object) -> frozenset[str]:
        """Status codes (or the policy's labels for them, separated by ; 、 ， ；), checked
        against the vocabulary; text forms are parsed once."""
        if isinstance(value, str | None):
            cached = self._status_cache.get(value)
            if cached is not None:
                return cached
        codes = frozenset(self.status_words.code(word) for word in _status_words(value))
        if isinstance(value, str | None) and len(self._status_cache) < _CACHE_SIZE:
            self._status_cache[value] = codes
        return codes

    def _age(self, record: Mapping[str, Any]) -> tuple[int, str | None]:
        """Age on the reference date, and the checked ID number if there is one."""
        born = _birth_date(record.get("birth_date"))
        raw_id = _code("id_number", record.get("id_number"))
        number = None
        if raw_id:
            if stored_as_number(raw_id):
                raise InputError.of("id_number", STORED_AS_NUMBER, value=raw_id, shown=raw_id)
            try:
                ascii_id = raw_id if raw_id.isascii() else ascii_form(raw_id)
                number = normalize_id_number(ascii_id)
                from_id = birth_date_of(number)
            except IdNumberProblem as err:
                raise _id_error(err, raw_id) from None
            if born is not None and born != from_id:
                raise InputError.of(
                    "birth_date", _DISAGREES, value=born, born=born, from_id=from_id
                )
            born = from_id
        if born is None:
            raise InputError.of("birth_date", _BIRTH_REQUIRED)
        if born.year > self.coverage_year or born.year < EARLIEST_BIRTH_YEAR:
            raise InputError.of(
                "birth_date",
                _OUTSIDE,
                value=born,
                born=born,
                earliest=EARLIEST_BIRTH_YEAR,
                latest=self.coverage_year,
            )
        ref = self.reference
        age = ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))
        # Babies born during the coverage year enrol too (新生儿): they count as age 0.
        return max(age, 0), number


def roster_columns(policy: Policy) -> tuple[str, ...]:
    """The columns a roster may have: the core fields, then the policy's declared inputs."""
    vocabulary = policy.vocabulary
    sex = ("sex",) if vocabulary.sex else ()
    return (
        *CORE_FIELDS,
        *sex,
        *vocabulary.flags,
        *vocabulary.choices,
        *vocabulary.numbers,
        *vocabulary.amounts,
    )


def _id_error(problem: IdNumberProblem, raw_id: str) -> InputError:
    """The record error of an ID number problem, keeping its catalog message."""
    message = problem.args[0] if problem.args else str(problem)
    if isinstance(message, Message):
        return InputError(
            "id_number", message, value=raw_id, template=message.template, values=message.values
        )
    return InputError("id_number", str(problem), value=raw_id)
