"""The vocabulary of a generated policy, and the conditions written in it.

A generated policy declares a few statuses, residence values, flags, choices and amounts drawn
from small fixed pools (small, so that conditions and records often meet the same names), and
named conditions that may refer only to the ones declared before them (never a cycle).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

__all__ = ["AGES", "Words", "conditions", "named_conditions", "words"]

STATUSES = ("poor", "disabled", "veteran", "orphan")
RESIDENCES = ("local", "permit", "none")
FLAGS = ("employed", "student", "migrant")
CHOICES = ("tier", "medical_tier")
AMOUNTS = ("sponsor_gift", "donation")
#: Ages conditions test, and birthdays records are drawn around.
AGES = (0, 1, 15, 16, 17, 45, 59, 60, 61, 69, 70, 71, 100)
#: Amounts a condition compares an amount input with (the schema allows whole numbers only).
_COMPARED = (None, 0, 100, 150, 400)


@attrs.frozen
class Words:
    """What a generated policy declares: the names its conditions and records may use."""

    statuses: tuple[str, ...]
    residence: tuple[str, ...]
    flags: tuple[str, ...]
    choices: tuple[str, ...]
    amounts: tuple[str, ...]
    #: Named conditions, in the order they are defined.
    named: tuple[str, ...] = ()

    def inputs(self) -> dict[str, dict[str, str]]:
        """The policy's ``inputs`` section."""
        labelled = {
            "statuses": self.statuses,
            "residence": self.residence,
            "flags": self.flags,
            "choices": self.choices,
            "amounts": self.amounts,
        }
        return {
            category: {name: f"{category} {name}" for name in names}
            for category, names in labelled.items()
        }


def _subset(pool: Sequence[str], low: int) -> st.SearchStrategy[tuple[str, ...]]:
    picked = st.lists(st.sampled_from(pool), min_size=low, max_size=len(pool), unique=True)
    return picked.map(lambda names: tuple(sorted(names, key=pool.index)))


@st.composite
def words(draw: st.DrawFn) -> Words:
    """A vocabulary: at least one residence value, choice and amount (tier_choice and
    sponsorship need one), statuses and flags possibly none."""
    return Words(
        statuses=draw(_subset(STATUSES, 0)),
        residence=draw(_subset(RESIDENCES, 1)),
        flags=draw(_subset(FLAGS, 0)),
        choices=draw(_subset(CHOICES, 1)),
        amounts=draw(_subset(AMOUNTS, 1)),
    )


def _age() -> st.SearchStrategy[dict[str, Any]]:
    bound = st.sampled_from(AGES)
    return st.one_of(
        st.builds(lambda low: {"age": {"min": low}}, bound),
        st.builds(lambda high: {"age": {"max": high}}, bound),
        st.builds(
            lambda pair: {"age": {"min": min(pair), "max": max(pair)}}, st.tuples(bound, bound)
        ),
    )


def _input_values(vocab: Words, field: str) -> st.SearchStrategy[Any]:
    if field == "residence":
        return st.sampled_from(vocab.residence)
    if field in vocab.flags:
        return st.booleans()
    if field in vocab.choices:
        return st.one_of(st.none(), st.sampled_from((0, 100, 350, 500, 1000)))
    return st.sampled_from(_COMPARED)


@st.composite
def _input(draw: st.DrawFn, vocab: Words) -> dict[str, Any]:
    field = draw(st.sampled_from(("residence", *vocab.flags, *vocab.choices, *vocab.amounts)))
    values = _input_values(vocab, field)
    if draw(st.booleans()):
        return {"input": {"field": field, "equals": draw(values)}}
    return {"input": {"field": field, "in": draw(st.lists(values, min_size=1, max_size=3))}}


def _leaves(vocab: Words) -> st.SearchStrategy[dict[str, Any]]:
    leaves = [_age(), _input(vocab)]
    if vocab.statuses:
        codes = st.lists(st.sampled_from(vocab.statuses), min_size=1, max_size=3, unique=True)
        for key in ("any_status", "all_statuses", "no_status"):
            leaves.append(st.builds(lambda found, key=key: {key: found}, codes))
    if vocab.flags:
        leaves.append(st.builds(lambda flag: {"flag": flag}, st.sampled_from(vocab.flags)))
    if vocab.named:
        leaves.append(st.builds(lambda name: {"condition": name}, st.sampled_from(vocab.named)))
    return st.one_of(leaves)


def _merged(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Several tests in one mapping (all must hold), each key once."""
    merged: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            merged.setdefault(key, value)
    return merged


def _compound(
    inner: st.SearchStrategy[dict[str, Any]],
) -> st.SearchStrategy[dict[str, Any]]:
    several = st.lists(inner, min_size=1, max_size=3)
    return st.one_of(
        st.builds(lambda parts: {"all": parts}, several),
        st.builds(lambda parts: {"any": parts}, several),
        st.builds(lambda part: {"not": part}, inner),
        st.lists(inner, min_size=2, max_size=3).map(_merged),
        st.builds(lambda part: {**part, "label": "a labelled test"}, inner),
    )


def conditions(vocab: Words) -> st.SearchStrategy[dict[str, Any]]:
    """A condition over ``vocab``: leaves (age, statuses, flag, input, a named condition)
    nested in all/any/not, several tests in one mapping, labels."""
    return st.recursive(_leaves(vocab), _compound, max_leaves=6)


@st.composite
def named_conditions(draw: st.DrawFn, vocab: Words) -> tuple[Words, dict[str, Any]]:
    """Named conditions, each using only the ones before it; and ``vocab`` naming them."""
    found: dict[str, Any] = {}
    for number in range(draw(st.integers(0, 3))):
        data = draw(conditions(attrs.evolve(vocab, named=tuple(found))))
        if draw(st.booleans()):
            data = {**data, "label": f"named {number}"}
        found[f"named_{number}"] = data
    return attrs.evolve(vocab, named=tuple(found)), found
