"""Policy test case files: people and the amounts the plan gives them, kept next to the policy.

A file ``policies/tests/<year>/<name>.yaml`` holds ``cases``, each a person record as
``Policy.evaluate`` takes it, the expected result per scheme (only the keys given are
compared), and optionally the rule ids that must or must not apply; or, instead of ``expect``,
``refused``: the record must be refused with an ``InputError`` naming that field. It is read
with the policy reader (no tags, no duplicate keys, every value located) and checked against a small
JSON Schema, so a mistake in a case file is reported at its line like one in a policy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
from jsonschema.exceptions import ValidationError

from contribpolicy.errors import Location, PolicyError, PolicyIssue
from contribpolicy.format._messages import TYPE_WORDS, unknown_key
from contribpolicy.format._yaml import Document, Limits, pointer_join, read_document
from contribpolicy.model.payment import Payment
from contribpolicy.model.results import Status

__all__ = ["CASE_SCHEMA", "CaseFile", "Expectation", "PolicyCase", "load_case_file"]

#: Case files are longer than policies (hundreds of cases), so they may hold more nodes.
_LIMITS = Limits(max_nodes=500_000)
_AMOUNT = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
_RULE_IDS = {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True}
_EXPECT = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": False,
    "properties": {
        "status": {"enum": [status.value for status in Status]},
        "individual": _AMOUNT,
        "government": _AMOUNT,
        "sponsor": _AMOUNT,
        "total": _AMOUNT,
        "components": {"type": "object", "additionalProperties": _AMOUNT},
        "message_contains": {"type": "string", "minLength": 1},
        "cover": {
            "type": "object",
            "description": "When cover starts given the case's payments (the coverage section).",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {
                "start": {"type": ["string", "null"]},
                "end": {"type": ["string", "null"]},
                "fixed_months": {"type": "integer", "minimum": 0},
                "variable_months": {"type": "integer", "minimum": 0},
                "break_years": {"type": "integer", "minimum": 0},
            },
        },
    },
}
_PAYMENT = {
    "type": "object",
    "required": ["scheme", "year", "amount", "date", "channel"],
    "additionalProperties": False,
    "properties": {
        "scheme": {"type": "string"},
        "year": {"type": "integer"},
        "amount": _AMOUNT,
        "date": {"type": "string"},
        "channel": {"enum": ["agent", "self", "government", "sponsor"]},
        "kind": {"enum": ["regular", "back_payment"]},
    },
}
_REFUSED = {
    "type": "object",
    "required": ["field"],
    "additionalProperties": False,
    "description": "The record is refused (InputError) naming this field.",
    "properties": {
        "field": {"type": "string", "minLength": 1},
        "message_contains": {"type": "string", "minLength": 1},
    },
}
#: The format of a case file (also printed in docs/ci.md).
CASE_SCHEMA: Mapping[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["cases"],
    "additionalProperties": False,
    "properties": {
        "policy": {"type": "string", "minLength": 1},
        "cases": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "person"],
                "oneOf": [{"required": ["expect"]}, {"required": ["refused"]}],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "cite": {"type": "string"},
                    "person": {"type": "object"},
                    "payments": {"type": "array", "items": _PAYMENT},
                    "expect": {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": _EXPECT,
                    },
                    "refused": _REFUSED,
                    "applies": _RULE_IDS,
                    "not_applies": _RULE_IDS,
                },
            },
        },
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(CASE_SCHEMA)


@attrs.frozen
class Expectation:
    """What one scheme must give the person: only the keys given are compared."""

    scheme: str
    values: Mapping[str, Any]
    location: Location


@attrs.frozen
class PolicyCase:
    """One person, the result expected per scheme, and rules that must (not) apply."""

    name: str
    person: Mapping[str, Any]
    expect: tuple[Expectation, ...]
    location: Location
    cite: str | None = None
    applies: tuple[str, ...] = ()
    not_applies: tuple[str, ...] = ()
    #: JSON pointer of the case in its file, for locating its parts.
    pointer: str = ""
    #: For a case that asserts a refused record: the field and words the InputError must have.
    refused: Mapping[str, str] | None = None
    #: The person's payments, for ``cover`` expectations (when cover starts).
    payments: tuple[Payment, ...] = ()


@attrs.frozen
class CaseFile:
    """A case file, the policy it tests, and where each part of it is."""

    path: str
    policy: str
    cases: tuple[PolicyCase, ...]
    document: Document = attrs.field(repr=False)

    def locate(self, pointer: str) -> Location:
        return self.document.locate(pointer)


def default_policy(path: Path) -> Path:
    """``policies/tests/2025/x.yaml`` tests ``policies/2025.yaml``: the folder names the year."""
    return path.parent.parent.parent / f"{path.parent.name}.yaml"


def load_case_file(path: str | Path) -> CaseFile:
    """Read and check a case file; raise ``PolicyError`` with every problem found."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        issue = PolicyIssue(Location(name), f"cannot read: {err.strerror or err}", "io.read")
        raise PolicyError([issue], name) from err
    document, issues = read_document(raw, name, _LIMITS)
    if document is None or issues:
        raise PolicyError(issues, name)
    errors = _VALIDATOR.iter_errors(document.data)
    issues = [issue for error in errors for issue in _located(document, error)]
    if issues:
        raise PolicyError(sorted(issues, key=_order), name)
    items = enumerate(document.data["cases"])
    cases = tuple(_case(document, index, data) for index, data in items)
    issues = list(_duplicates(document, cases))
    if issues:
        raise PolicyError(issues, name)
    policy = document.data.get("policy")
    target = Path(path).parent / policy if policy else default_policy(Path(path))
    return CaseFile(name, os.path.normpath(target), cases, document)


def _case(document: Document, index: int, data: Mapping[str, Any]) -> PolicyCase:
    pointer = f"/cases/{index}"
    expect = tuple(
        Expectation(scheme, values, document.locate(pointer_join(f"{pointer}/expect", scheme)))
        for scheme, values in data.get("expect", {}).items()
    )
    return PolicyCase(
        name=data["name"],
        person=data["person"],
        expect=expect,
        location=document.locate(pointer),
        cite=data.get("cite"),
        applies=tuple(data.get("applies", ())),
        not_applies=tuple(data.get("not_applies", ())),
        pointer=pointer,
        refused=data.get("refused"),
        payments=tuple(_payment(item) for item in data.get("payments", ())),
    )


def _payment(item: Mapping[str, Any]) -> Payment:
    return Payment(
        scheme=item["scheme"],
        year=item["year"],
        amount=Decimal(item["amount"]),
        date=date.fromisoformat(str(item["date"])),
        channel=item["channel"],
        kind=item.get("kind", "regular"),
    )


def _duplicates(document: Document, cases: tuple[PolicyCase, ...]) -> Iterator[PolicyIssue]:
    first: dict[str, PolicyCase] = {}
    for case in cases:
        if case.name in first:
            earlier = first[case.name].location
            yield PolicyIssue(
                document.locate(f"{case.pointer}/name"),
                f"case name {case.name!r} is already used at line {earlier.line}",
                "case.duplicate-name",
                related=(earlier,),
            )
        first.setdefault(case.name, case)


def _order(issue: PolicyIssue) -> tuple[int, int]:
    return issue.location.line or 0, issue.location.column or 0


def _wrong_type(pointer: str, expected: Any, found: Any) -> str:
    """A value of the wrong shape, named by its shape (never a dump of the value): a file that
    is a bare list of cases is told to start with ``cases:``."""
    wanted = TYPE_WORDS.get(expected, expected) if isinstance(expected, str) else expected
    shape = (
        "a list"
        if isinstance(found, list)
        else "a mapping"
        if isinstance(found, dict)
        else repr(found)
    )
    if pointer == "":
        return (
            "a case file is a mapping that starts with cases: (and may name its policy:); "
            f"found {shape}"
        )
    return f"expected {wanted}, found {shape}"


def _located(document: Document, error: ValidationError) -> Iterator[PolicyIssue]:
    pointer = ""
    for token in error.absolute_path:
        pointer = pointer_join(pointer, token)
    if error.validator == "additionalProperties":
        schema: Any = error.schema
        allowed = list(schema.get("properties", {}))
        instance: Any = error.instance
        for key in (k for k in instance if k not in allowed):
            where = document.locate(pointer_join(pointer, key), key=True)
            yield PolicyIssue(where, unknown_key(key, allowed), "schema.unknown-key")
        return
    message = error.message
    if error.validator == "oneOf":
        message = (
            "a case gives either expect (what each scheme gives) or refused (the field a "
            "refused record names), and not both"
        )
    elif error.validator == "enum":
        choices: Any = error.validator_value
        message = f"{error.instance!r} is not one of {', '.join(str(c) for c in choices)}"
    elif error.validator == "pattern":
        message = f'{error.instance!r} is not an amount written as text, e.g. "400.00"'
    elif error.validator == "type" and error.schema == _AMOUNT:
        message = f'{error.instance} must be written as text (in quotes): "{error.instance}"'
    elif error.validator == "type":
        message = _wrong_type(pointer, error.validator_value, error.instance)
    yield PolicyIssue(document.locate(pointer), message, f"schema.{error.validator}")
