"""The loader's messages about a policy, from the catalog (a Chinese reader of ``validate``
reads them in Chinese); those more than one part of the loader says are here once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from contribpolicy.i18n import N_, Message

__all__ = [
    "DUPLICATE_ID",
    "EMPTY_AGES",
    "ID_TWICE",
    "MONEY_PLACES",
    "REFERENCE_DATE",
    "TYPE_WORDS",
    "UNKNOWN_KIND",
    "UNKNOWN_KIND_HINT",
    "UNKNOWN_SCHEME",
    "declared_twice",
    "undeclared",
    "unknown_key",
    "unknown_period",
]

_UNDECLARED = N_("{name!r} is not declared in {where} (declared: {declared})")
_NONE_DECLARED = N_("{name!r} is not declared in {where} (declared: none)")


def undeclared(name: str, where: str, known: Iterable[str]) -> Message:
    """``name`` is not among the declared ``known`` of ``where`` (``inputs.choices``)."""
    declared = ", ".join(known)
    if not declared:
        return Message(_NONE_DECLARED, name=name, where=where)
    return Message(_UNDECLARED, name=name, where=where, declared=declared)


UNKNOWN_SCHEME = N_("unknown scheme {name!r} (schemes: {declared})")
ID_TWICE = N_("id {id!r} is used twice")
EMPTY_AGES = N_("age range is empty: min {low} is over max {high}")
_UNKNOWN_PERIOD = N_("unknown collection period {name!r} (periods: {declared})")
_NO_PERIODS = N_("unknown collection period {name!r} (no periods are declared)")


def unknown_period(name: str, periods: Iterable[str]) -> Message:
    """``name`` is not among the policy's collection periods."""
    declared = ", ".join(periods)
    if not declared:
        return Message(_NO_PERIODS, name=name)
    return Message(_UNKNOWN_PERIOD, name=name, declared=declared)


MONEY_PLACES = N_(
    "{value} has more than {places} decimal places (money.places); write {rounded} if that is meant"
)
_TWICE = N_("input {name!r} is declared twice (also in {first})")
_TWICE_CORE = N_("input {name!r} is declared twice (also in the core fields)")
REFERENCE_DATE = N_("reference date {date} is not in the coverage year {year}")
DUPLICATE_ID = N_("rule id {id!r} is already used at {where}")
UNKNOWN_KIND = N_("unknown rule kind {kind!r}; known kinds: {known}")
UNKNOWN_KIND_HINT = N_("unknown rule kind {kind!r}; did you mean {hint!r}? known kinds: {known}")


def declared_twice(name: str, first: str | None) -> Message:
    """An input declared in two categories (``first`` is the other), or with the name of a
    core field (``first`` is None)."""
    if first is None:
        return Message(_TWICE_CORE, name=name)
    return Message(_TWICE, name=name, first=first)


_UNKNOWN_KEY = N_("unknown key {key!r}")
_UNKNOWN_KEY_NAMED = N_("unknown key {key!r} (allowed: {allowed})")
_UNKNOWN_KEY_HINT = N_("unknown key {key!r}; did you mean {hint!r}? (allowed: {allowed})")


def unknown_key(key: str, allowed: Sequence[str]) -> Message:
    """A key the schema does not allow, with the closest allowed one and the list of them (of a
    policy, or of a policy test-case file)."""
    listed = ", ".join(allowed)
    if not allowed:
        return Message(_UNKNOWN_KEY, key=key)
    hint = difflib.get_close_matches(key, list(allowed), n=1)
    if hint:
        return Message(_UNKNOWN_KEY_HINT, key=key, hint=hint[0], allowed=listed)
    return Message(_UNKNOWN_KEY_NAMED, key=key, allowed=listed)


#: JSON Schema's type names, as an officer says them.
TYPE_WORDS = {
    "number": N_("a number"),
    "integer": N_("a whole number"),
    "string": N_("text"),
    "boolean": N_("true or false"),
    "object": N_("a mapping (key: value lines)"),
    "array": N_("a list"),
    "null": N_("nothing"),
}
