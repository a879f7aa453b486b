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

from collections.abc import Callable, Mapping
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
from contribpolicy.engine.values import (
    amount_reader,
    ascii_form,
    read_birth_date,
    read_code,
    read_flag,
    read_text,
    read_whole,
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

_REQUIRED = N_("is required")
_FORMULA = N_("starts with {start!r}: a spreadsheet opening the output would run it as a formula")
_NOT_STATUSES = N_("expected a list of status codes, found {found!r}")
_UNKNOWN = N_("unknown field; expected one of {expected}")
_NOT_RECORD = N_("expected a mapping of fields or a Person, found {found}")
_DISAGREES = N_("{born} disagrees with the ID number's birth date {from_id}")
_OUTSIDE = N_("{born} is outside {earliest}..{latest}")
_BIRTH_REQUIRED = N_("is required when there is no id_number")
_ABSENT = object()
_CACHE_SIZE = 4096
#: What makes a spreadsheet read a cell as a formula ("CSV injection"). A person_id is copied
#: to the start of an output cell: one starting with = + @ is refused; a leading minus, which
#: a real identifier may have ("-12"), is kept, and written out as text (batch).
FORMULA_START = frozenset("=+-@")
_REFUSED_START = frozenset("=+@")


class ParsedRecord(NamedTuple):
    """A validated record: identity for the output, facts for the rules."""

    person_id: str
    village: str
    facts: Facts


def _bad_person_id(person_id: str) -> None:
    if not person_id:
        raise InputError.of("person_id", _REQUIRED)
    raise InputError.of("person_id", _FORMULA, value=person_id, start=person_id[0])


def _status_words(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return split_statuses(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [str(code).strip() for code in value]
    raise InputError.of("statuses", _NOT_STATUSES, value=value, found=value)


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
        amount = amount_reader(policy.money.places, limits.max_amount)
        inputs: dict[str, Callable[[str, object], Any]] = {
            **dict.fromkeys(vocabulary.flags, read_flag),
            **dict.fromkeys(vocabulary.whole_numbers, read_whole),
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
            raise InputError.of(str(field), _UNKNOWN, value=record[field], expected=expected)
        get = record.get
        person_id = read_text("person_id", get("person_id"))
        if not person_id or person_id[0] in _REFUSED_START:
            _bad_person_id(person_id)
        residence = self.residence_code(get("residence"))
        values = self.defaults.copy()
        values["residence"] = residence
        for name, parse in self.inputs:
            value = get(name, _ABSENT)
            if value is not _ABSENT:
                values[name] = parse(name, value)
        read_text("name", get("name"))
        age, id_number = self._age(record)
        if self.sex_words is not None:
            values["sex"] = sex_of_record(self.sex_words, get("sex"), id_number)
        facts = Facts(age, self._statuses(get("statuses")), values)
        return ParsedRecord(person_id, read_text("village", get("village")), facts)

    @staticmethod
    def _mapping(record: object) -> Mapping[str, Any]:
        if isinstance(record, Person):
            return record.to_record()
        if isinstance(record, Mapping):
            return record
        kind = type(record).__name__
        raise InputError.of("record", _NOT_RECORD, found=kind)

    def residence_code(self, value: object) -> str:
        """The residence code of a cell holding the code or the policy's label for it."""
        residence = read_code("residence", value)
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
        born = read_birth_date(record.get("birth_date"))
        raw_id = read_code("id_number", record.get("id_number"))
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
