"""Person records: the typed ``Person`` and the validation that turns a mapping into facts.

A record is checked against the policy's declared vocabulary, field by field, and the first
malformed field raises ``InputError`` naming it. Text values as they come from a CSV roster
("1", "是", "2025-01-01", "350") are accepted; floats are not, because money is never a float.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

import attrs

from ._idnumber import IdNumberProblem, birth_date_of, normalize_id_number
from .errors import InputError
from .model import Policy
from .plugin import Facts

__all__ = ["ParsedRecord", "Person", "RecordParser"]

CORE_FIELDS = ("person_id", "id_number", "name", "village", "birth_date", "residence", "statuses")
_TRUE = frozenset({"1", "true", "yes", "y", "是", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "否", "f", ""})
_EARLIEST_BIRTH_YEAR = 1900
_ABSENT = object()
_CACHE_SIZE = 4096


def _names(names: Iterable[str]) -> frozenset[str]:
    return frozenset(names)


@attrs.frozen
class Person:
    """A person as the policy sees them; ``flags`` holds the flags that are set."""

    person_id: str
    birth_date: date | None = None
    residence: str = ""
    statuses: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    flags: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    choices: Mapping[str, int | None] = attrs.field(factory=dict)
    amounts: Mapping[str, Decimal | None] = attrs.field(factory=dict)
    id_number: str | None = None
    name: str = ""
    village: str = ""

    def to_record(self) -> dict[str, Any]:
        """The flat mapping form ``Policy.evaluate`` also accepts."""
        record: dict[str, Any] = {
            "person_id": self.person_id,
            "id_number": self.id_number,
            "name": self.name,
            "village": self.village,
            "birth_date": self.birth_date,
            "residence": self.residence,
            "statuses": sorted(self.statuses),
        }
        record.update(dict.fromkeys(self.flags, True))
        record.update(self.choices)
        record.update(self.amounts)
        return record


class ParsedRecord(NamedTuple):
    """A validated record: identity for the output, facts for the rules."""

    person_id: str
    village: str
    facts: Facts


def _text(field: str, value: object) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InputError(field, f"expected text, found {type(value).__name__}", value=value)


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
    raise InputError(
        field, f"expected a yes/no value (true/false, 1/0, 是/否), found {value!r}", value=value
    )


def _choice(field: str, value: object) -> int | None:
    if type(value) is int:
        if value < 0:
            raise InputError(field, f"must not be negative, found {value}", value=value)
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InputError(field, f"expected a whole number, found {value!r}", value=value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdecimal() and value.strip().isascii():
        number = int(value.strip())
    else:
        raise InputError(field, f"expected a whole number, found {value!r}", value=value)
    if number < 0:
        raise InputError(field, f"must not be negative, found {number}", value=value)
    return number


def _amount_parser(places: int) -> Callable[[str, object], Decimal | None]:
    def amount(field: str, value: object) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, float | bool):
            raise InputError(
                field,
                f"expected a decimal amount (Decimal, int or text), found "
                f"{type(value).__name__} {value!r}",
                value=value,
            )
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)  # type: ignore[arg-type]
        except (InvalidOperation, TypeError, ValueError):
            raise InputError(field, f"expected an amount, found {value!r}", value=value) from None
        if not number.is_finite():
            raise InputError(field, f"expected a finite amount, found {value!r}", value=value)
        if number < 0:
            raise InputError(field, f"must not be negative, found {number}", value=value)
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            raise InputError(field, f"has more than {places} decimal places: {number}", value=value)
        return number

    return amount


def _birth_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError("birth_date", f"expected an ISO date YYYY-MM-DD, found {value!r}", value=value)


def _status_codes(value: object) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset(part.strip() for part in value.split(";") if part.strip())
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(str(code).strip() for code in value)
    raise InputError("statuses", f"expected a list of status codes, found {value!r}", value=value)


class RecordParser:
    """Validates records for one policy; built once, used for every person."""

    def __init__(self, policy: Policy) -> None:
        vocabulary = policy.vocabulary
        self.reference = policy.age_basis.reference_date
        self.coverage_year = policy.coverage_year
        self.statuses = vocabulary.statuses
        self.residence = vocabulary.residence
        amount = _amount_parser(policy.money.places)
        inputs: dict[str, Callable[[str, object], Any]] = {
            **dict.fromkeys(vocabulary.flags, _flag),
            **dict.fromkeys(vocabulary.choices, _choice),
            **dict.fromkeys(vocabulary.amounts, amount),
        }
        self.inputs = tuple(inputs.items())
        self.defaults: dict[str, Any] = {name: parse(name, None) for name, parse in self.inputs}
        self.known = frozenset(CORE_FIELDS) | inputs.keys()
        self._status_cache: dict[str | None, frozenset[str]] = {}

    def parse(self, record: Mapping[str, Any] | Person) -> ParsedRecord:
        if isinstance(record, Person):
            record = record.to_record()
        if not self.known.issuperset(record):
            field = sorted(record.keys() - self.known)[0]
            expected = ", ".join(sorted(self.known))
            raise InputError(
                field, f"unknown field; expected one of {expected}", value=record[field]
            )
        get = record.get
        person_id = _text("person_id", get("person_id"))
        if not person_id:
            raise InputError("person_id", "is required")
        residence = _text("residence", get("residence"))
        if residence not in self.residence:
            raise InputError(
                "residence",
                f"expected one of {', '.join(self.residence)}, found {residence!r}",
                value=residence,
            )
        values = self.defaults.copy()
        values["residence"] = residence
        for name, parse in self.inputs:
            value = get(name, _ABSENT)
            if value is not _ABSENT:
                values[name] = parse(name, value)
        _text("name", get("name"))
        facts = Facts(self._age(record), self._statuses(get("statuses")), values)
        return ParsedRecord(person_id, _text("village", get("village")), facts)

    def _statuses(self, value: object) -> frozenset[str]:
        """Status codes, checked against the vocabulary; text forms are parsed once."""
        if isinstance(value, str | None):
            cached = self._status_cache.get(value)
            if cached is not None:
                return cached
        codes = _status_codes(value)
        if not codes <= self.statuses.keys():
            unknown = sorted(codes - self.statuses.keys())[0]
            raise InputError(
                "statuses",
                f"unknown status {unknown!r}; declared statuses: {', '.join(self.statuses)}",
                value=value,
            )
        if isinstance(value, str | None) and len(self._status_cache) < _CACHE_SIZE:
            self._status_cache[value] = codes
        return codes

    def _age(self, record: Mapping[str, Any]) -> int:
        born = _birth_date(record.get("birth_date"))
        raw_id = _text("id_number", record.get("id_number"))
        if raw_id:
            try:
                from_id = birth_date_of(normalize_id_number(raw_id))
            except IdNumberProblem as err:
                raise InputError("id_number", str(err), value=raw_id) from None
            if born is not None and born != from_id:
                raise InputError(
                    "birth_date",
                    f"{born} disagrees with the ID number's birth date {from_id}",
                    value=born,
                )
            born = from_id
        if born is None:
            raise InputError("birth_date", "is required when there is no id_number")
        if born.year > self.coverage_year or born.year < _EARLIEST_BIRTH_YEAR:
            raise InputError(
                "birth_date",
                f"{born} is outside {_EARLIEST_BIRTH_YEAR}..{self.coverage_year}",
                value=born,
            )
        ref = self.reference
        age = ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))
        # Babies born during the coverage year enrol too (新生儿): they count as age 0.
        return max(age, 0)
