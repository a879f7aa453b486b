"""The JSON Schema of the policy format, assembled with the installed rule kinds.

The shipped ``schema/policy.schema.json`` is the single definition of the file format. Each rule
kind contributes the schema of its own keys; here every kind becomes one ``if kind == X then``
branch, which (unlike ``oneOf``) lets jsonschema report the precise error of the right branch.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from contribpolicy.errors import PolicyIssue
from contribpolicy.format._layering import SourceMap, issue_order
from contribpolicy.format._messages import TYPE_WORDS, unknown_key
from contribpolicy.format._shipped import base_schema
from contribpolicy.format._yaml import pointer_join
from contribpolicy.format.registry import Registry
from contribpolicy.i18n import N_, Message

__all__ = ["base_schema", "policy_schema", "schema_issues"]


def _kind_branch(name: str, parameters: Mapping[str, Any], common: Mapping[str, Any]) -> Any:
    properties = {**common["properties"], **parameters.get("properties", {})}
    required = [*common["required"], *parameters.get("required", [])]
    then = {
        **parameters,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return {"if": {"properties": {"kind": {"const": name}}, "required": ["kind"]}, "then": then}


def policy_schema(registry: Registry) -> dict[str, Any]:
    """The whole schema, with one branch per registered rule kind."""
    return copy.deepcopy(_assembled(registry))


@functools.lru_cache(maxsize=16)
def _assembled(registry: Registry) -> dict[str, Any]:
    schema = base_schema()
    defs = schema["$defs"]
    common = defs["rule_common"]
    branches = [
        _kind_branch(name, params, common)
        for name, params in sorted(registry.parameter_schemas().items())
    ]
    defs["rule"] = {
        "type": "object",
        "description": "A rule: the common keys and those of its kind.",
        "required": common["required"],
        "properties": common["properties"],
        "allOf": branches,
    }
    return schema


@functools.lru_cache(maxsize=16)
def _validator(registry: Registry) -> jsonschema.protocols.Validator:
    schema = _assembled(registry)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _pointer(path: Any) -> str:
    pointer = ""
    for token in path:
        pointer = pointer_join(pointer, token)
    return pointer


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The errors worth showing: for if/then and allOf, the inner ones, not the wrapper."""
    if error.context:
        for sub in error.context:
            yield from _leaves(sub)
    else:
        yield error


_DECIMAL_REPR = re.compile(r"Decimal\('([^']*)'\)")
_BOUND_WORDS = {
    "minimum": N_("{found} is less than the minimum of {bound}"),
    "maximum": N_("{found} is greater than the maximum of {bound}"),
    "exclusiveMinimum": N_("{found} is not greater than {bound}"),
    "exclusiveMaximum": N_("{found} is not less than {bound}"),
}
_UNKNOWN_KEY = N_("unknown key")
_MISSING_KEY = N_("missing required key: {key}")
_NOT_ONE_OF = N_("{found} is not one of {choices}")
_NOT_SUPPORTED = N_("{found} is not supported; expected {expected}")
_WRONG_TYPE = N_("expected {expected}, found {found}")
_TOO_FEW = N_("{found} needs at least {count} item(s)")
_TOO_SHORT = N_("{found} is empty; write at least {count} character(s)")


_DATE = N_("a date is written YYYY-MM-DD, such as 2025-01-01; found {found!r}")
_PERCENT = N_("a share is written as a number such as 0.5, not {found}")
_NUMBER_TEXT = N_("expected a number, found the text {found!r}; write the digits alone")
_SHARE_AS_SUM = N_(
    "a share is a fraction of its base (1 is all of it), so {found} is more than all of it; "
    "for a fixed sum write amount: {found} instead"
)
#: The schema's patterns, said in words (jsonschema would quote the regular expression).
_PATTERN_WORDS = {
    "^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$": N_(
        "{found!r} is not a name the policy can use: small letters a-z, digits and _, starting "
        "with a letter (parts may be joined by . or -), such as pension_tier"
    ),
    "^[A-Z]{3}$": N_("{found!r} is not a currency code: three capital letters, such as CNY"),
    "^[^0-9A-Za-z]$": N_(
        "{found!r} cannot mask: one character that is not a letter or digit, such as *"
    ),
    "^[a-z]+(?:\\.[a-z0-9-]+)+$": N_(
        "{found!r} is not a finding code: codes are written like check.gap (docs/checks.md "
        "lists them)"
    ),
}


def _plain_words(error: ValidationError) -> str | None:
    """jsonschema's words for the mistakes officers make, said plainly: a date not written
    YYYY-MM-DD (one message for its format and its pattern), a share written as 50%, a name
    or code that does not match its pattern (never the regular expression)."""
    validator = str(error.validator)
    schema: Any = error.schema
    instance: Any = error.instance
    if validator in ("format", "pattern") and schema.get("format") == "date":
        return Message(_DATE, found=instance)
    if validator == "maximum" and error.path and error.path[-1] == "share":
        return Message(_SHARE_AS_SUM, found=_number(instance))
    if validator == "pattern" and schema.get("pattern") in _PATTERN_WORDS:
        return Message(_PATTERN_WORDS[schema["pattern"]], found=instance)
    if validator == "type" and schema.get("type") == "number" and isinstance(instance, str):
        if instance.strip().endswith(("%", "％")):
            return Message(_PERCENT, found=instance)
        return Message(_NUMBER_TEXT, found=instance)
    return None


def _described(error: ValidationError) -> tuple[str, str, bool]:
    """Message, finding code, and whether the location is a key rather than a value: in plain
    words for an officer's usual mistakes, else ``_describe``'s."""
    plain = _plain_words(error)
    if plain is None:
        return _describe(error)
    validator = str(error.validator)
    schema: Any = error.schema
    is_date = validator == "pattern" and schema.get("format") == "date"
    return plain, f"schema.{'format' if is_date else validator}", False


def _describe(error: ValidationError) -> tuple[str, str, bool]:
    """Message (from the catalog, so a Chinese reader reads it in Chinese), finding code, and
    whether the location is a key rather than a value."""
    validator = str(error.validator)
    instance: Any = error.instance
    expected: Any = error.validator_value
    if validator == "additionalProperties":
        return Message(_UNKNOWN_KEY), "schema.unknown-key", True
    if validator in _BOUND_WORDS:
        message = Message(_BOUND_WORDS[validator], found=_number(instance), bound=_number(expected))
        return message, f"schema.{validator}", False
    if validator == "required":
        key = error.message.split(" is a required")[0]
        return Message(_MISSING_KEY, key=key), "schema.required", False
    if validator == "enum":
        choices = ", ".join(repr(choice) for choice in expected)
        return Message(_NOT_ONE_OF, found=_shown(instance), choices=choices), "schema.enum", False
    if validator == "const":
        message = Message(_NOT_SUPPORTED, found=_shown(instance), expected=_shown(expected))
        return message, "schema.const", False
    return _describe_shape(error), f"schema.{validator}", False


def _describe_shape(error: ValidationError) -> str:
    """A value of the wrong type or size in plain words; jsonschema's own for anything rarer."""
    validator = str(error.validator)
    instance: Any = error.instance
    expected: Any = error.validator_value
    if validator == "type" and isinstance(expected, str) and expected in TYPE_WORDS:
        return Message(_WRONG_TYPE, expected=Message(TYPE_WORDS[expected]), found=_shown(instance))
    if validator == "minItems":
        return Message(_TOO_FEW, found=_shown(instance), count=expected)
    if validator == "minLength":
        return Message(_TOO_SHORT, found=_shown(instance), count=expected)
    return _DECIMAL_REPR.sub(r"\1", error.message)


def _shown(value: object) -> str:
    """A value as the policy wrote it, quoted if it is text (the policy's decimals are held as
    Decimal: 0.5, never Decimal('0.5'))."""
    return _DECIMAL_REPR.sub(r"\1", repr(value))


def _number(value: object) -> str:
    """A bound or the number found, unquoted."""
    return _shown(value).strip("'")


def _located(document: SourceMap, error: ValidationError) -> Iterator[PolicyIssue]:
    pointer = _pointer(error.absolute_path)
    rule_id = _rule_id(document.data, list(error.absolute_path))
    message, code, at_key = _described(error)
    if not at_key:
        # A missing key is best shown at the key that names the mapping (`medical:`).
        located = document.locate(pointer, key=error.validator == "required")
        yield PolicyIssue(located, message, code, rule_id=rule_id)
        return
    schema: Any = error.schema
    instance: Any = error.instance
    allowed = schema.get("properties", {})
    for key in (k for k in instance if k not in allowed):
        message, code, _ = _describe_extra(key, list(allowed))
        located = document.locate(pointer_join(pointer, key), key=True)
        yield PolicyIssue(located, message, code, rule_id=rule_id)


def _rule_id(data: Any, path: list[Any]) -> str | None:
    """The id of the rule an error is in (``/schemes/S/rules/I/...``), as load errors name it."""
    if len(path) < 4 or path[0] != "schemes" or path[2] != "rules":
        return None
    try:
        rule = data["schemes"][path[1]]["rules"][path[3]]
    except (KeyError, IndexError, TypeError):
        return None
    found = rule.get("id") if isinstance(rule, dict) else None
    return found if isinstance(found, str) else None


def _describe_extra(key: str, allowed: list[str]) -> tuple[str, str, bool]:
    return unknown_key(key, allowed), "schema.unknown-key", True


def schema_issues(document: SourceMap, registry: Registry) -> list[PolicyIssue]:
    """Every schema violation of the document, located in the file."""
    issues: dict[tuple[str, str], PolicyIssue] = {}
    for error in _validator(registry).iter_errors(document.data):
        for leaf in _leaves(error):
            for issue in _located(document, leaf):
                issues.setdefault((issue.location.pointer, issue.message), issue)
    return sorted(issues.values(), key=issue_order)
