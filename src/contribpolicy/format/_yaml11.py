"""The spellings YAML 1.1 reads as something other than what a person wrote.

PyYAML resolves plain scalars by YAML 1.1's rules: ``030`` is octal 24, ``1:20`` is base 60
(80), ``1_000`` is 1000, ``yes``/``off`` are booleans. A policy officer writing ``amount: 030``
means 30, and ``validate`` said ok. Numbers in a policy are written as people write them
(digits, an optional minus, an optional decimal fraction) and booleans as true or false;
anything else is refused, and the message spells out what YAML 1.1 would have read.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

__all__ = ["boolean_problem", "number_problem"]

_INT = "tag:yaml.org,2002:int"
_TRUE = re.compile(r"^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$")
#: The only spellings of a boolean; yes, no, on and off are words people write as answers.
_BOOLEAN = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
#: A number as people write it.
_DECIMAL = re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$")


def boolean_problem(value: str) -> str | None:
    """Why a plain scalar YAML 1.1 reads as a boolean is refused, or None for true/false."""
    if _BOOLEAN.match(value):
        return None
    reading = "true" if _TRUE.match(value) else "false"
    return (
        f"{value!r} would be read by YAML 1.1 as the boolean {reading}; write {reading} if that "
        f'is meant, or "{value}" in quotes for the word'
    )


def number_problem(value: str, tag: str) -> str | None:
    """Why a plain scalar YAML 1.1 reads as a number is refused, or None if it is decimal."""
    if _DECIMAL.match(value):
        return None
    return (
        f"{value!r} is not a number as people write it ({_why(value, tag)}): YAML 1.1 reads it "
        f"as {_reading(value, tag)}; write the number in decimal digits (e.g. 30, 0.5), or put "
        f"it in quotes if it is text"
    )


#: (test on the digits without sign and _, on the value as written, the reason), first match wins.
_WHY: tuple[tuple[Callable[[str, str], bool], str], ...] = (
    (lambda digits, _: ":" in digits, "a base-60 (sexagesimal) number"),
    (lambda digits, _: digits.lower() in (".inf", ".nan"), "not a finite number"),
    (lambda digits, _: digits[:2].lower() == "0x", "hexadecimal"),
    (lambda digits, _: digits[:2].lower() == "0o", "octal"),
    (lambda digits, _: digits[:2].lower() == "0b", "binary"),
    (lambda digits, _: len(digits) > 1 and digits[0] == "0", "octal: a leading 0"),
    (lambda _, value: "_" in value, "digits grouped with _"),
    (lambda _, value: value.startswith("+"), "a plus sign"),
    (lambda digits, _: "e" in digits.lower(), "an exponent"),
)


def _why(value: str, tag: str) -> str:
    text = value.replace("_", "")
    digits = text[1:] if text[:1] in "+-" else text
    if tag != _INT and digits[:1] == "0" and "." in digits:
        digits = digits.lstrip("0") or "0"  # 0.5 written 00.5 is no octal
    found = (reason for test, reason in _WHY if test(digits, value))
    return next(found, "not written as digits with an optional decimal point")


def _reading(value: str, tag: str) -> str:
    """What PyYAML's YAML 1.1 constructor makes of ``value``, or "nothing valid"."""
    constructor = yaml.constructor.SafeConstructor()
    node = yaml.ScalarNode(tag, value)
    try:
        if tag == _INT:
            return repr(constructor.construct_yaml_int(node))
        return repr(constructor.construct_yaml_float(node))
    except (ValueError, OverflowError):
        return "nothing valid"
