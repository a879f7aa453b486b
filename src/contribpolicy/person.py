"""Person records: the typed ``Person`` and the validation that turns a mapping into facts.

A record is checked against the policy's declared vocabulary, field by field, and the first
malformed field raises ``InputError`` naming it. Text values as they come from a CSV roster
("1", "是", "2025-01-01", "350") are accepted; floats are not, because money is never a float.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

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


@attrs.frozen
class Person:
    """A person as the policy sees them; ``flags`` holds the flags that are set."""

    person_id: str
    birth_date: date | None = None
    residence: str = ""
    statuses: frozenset[str] = attrs.field(default=frozenset(), converter=frozenset)
    flags: frozenset[str] = attrs.field(default=frozenset(), converter=frozenset)
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


@attrs.frozen
class ParsedRecord:
    """A validated record: identity for the output, facts for the rules."""

    person_id: str
    village: str
    facts: Facts


def _text(field: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InputError(field, f"expected text, found {type(value).__name__}", value=value)


def _flag(field: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
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
        exponent = number.as_tuple().exponent
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


def _statuses(value: object, declared: Mapping[str, str]) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        codes: Iterable[object] = [part for part in value.split(";") if part.strip()]
    elif isinstance(value, list | tuple | set | frozenset):
        codes = value
    else:
        raise InputError(
            "statuses", f"expected a list of status codes, found {value!r}", value=value
        )
    result = frozenset(str(code).strip() for code in codes)
    unknown = sorted(result - declared.keys())
    if unknown:
        raise InputError(
            "statuses",
            f"unknown status {unknown[0]!r}; declared statuses: {', '.join(declared)}",
            value=value,
        )
    return result


class RecordParser:
    """Validates records for one policy; built once, used for every person."""

    def __init__(self, policy: Policy) -> None:
        vocabulary = policy.vocabulary
        self.reference = policy.age_basis.reference_date
        self.coverage_year = policy.coverage_year
        self.statuses = vocabulary.statuses
        self.residence = vocabulary.residence
        amount = _amount_parser(policy.money.places)
        self.inputs: dict[str, Callable[[str, object], Any]] = {
            **dict.fromkeys(vocabulary.flags, _flag),
            **dict.fromkeys(vocabulary.choices, _choice),
            **dict.fromkeys(vocabulary.amounts, amount),
        }
        self.defaults: dict[str, Any] = {
            name: parse(name, None) for name, parse in self.inputs.items()
        }
        self.known = frozenset(CORE_FIELDS) | self.inputs.keys()

    def parse(self, record: Mapping[str, Any] | Person) -> ParsedRecord:
        if isinstance(record, Person):
            record = record.to_record()
        unknown = record.keys() - self.known
        if unknown:
            field = sorted(unknown)[0]
            raise InputError(field, f"unknown field; expected one of {', '.join(self.known)}")
        person_id = _text("person_id", record.get("person_id"))
        if not person_id:
            raise InputError("person_id", "is required")
        residence = _text("residence", record.get("residence"))
        if residence not in self.residence:
            raise InputError(
                "residence",
                f"expected one of {', '.join(self.residence)}, found {residence!r}",
                value=residence,
            )
        values = dict(self.defaults)
        values["residence"] = residence
        for name, parse in self.inputs.items():
            if name in record:
                values[name] = parse(name, record[name])
        age = self._age(record)
        statuses = _statuses(record.get("statuses"), self.statuses)
        village = _text("village", record.get("village"))
        return ParsedRecord(person_id, village, Facts(age, statuses, values))

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
