"""The vocabulary of a generated policy, and the conditions written in it.

A generated policy declares a few statuses, residence values, flags, choices, whole numbers and
amounts drawn from small fixed pools (small, so that conditions and records often meet the same
names), sometimes sex (read from ID numbers or a ``sex`` field), and named conditions that may
refer only to the ones declared before them (never a cycle).

The numbers here are generator samples (ages, compared values near plan boundaries), not any
plan's numbers: a plan's numbers live in its policy YAML.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from contribpolicy.testing._samples import SAMPLES

__all__ = ["AGES", "SEXES", "Words", "conditions", "named_conditions", "words"]

STATUSES = ("poor", "disabled", "veteran", "orphan")
RESIDENCES = ("local", "permit", "none")
FLAGS = ("employed", "student", "migrant")
CHOICES = ("tier", "medical_tier")
AMOUNTS = ("sponsor_gift", "donation")
#: Whole-number facts (``inputs.numbers``): the plan's years paid (the 60+ referral), another.
NUMBERS = ("pension_years_paid", "household_size")
SEXES = ("male", "female")
#: Labels a policy may give the sexes: a record's ``sex`` cell may hold the label.
SEX_LABELS = (("男子", "女子"), ("man", "woman"))
#: Ages conditions test, and birthdays records are drawn around.
AGES: tuple[int, ...] = SAMPLES["ages"]
#: Amounts a condition compares an amount input with (the schema allows whole numbers only).
_COMPARED: tuple[int | None, ...] = SAMPLES["compared_amounts"]
#: Whole numbers a condition compares a choice or a number with (years paid near 15, tiers).
WHOLE_NUMBERS: tuple[int, ...] = SAMPLES["whole_numbers"]


@attrs.frozen
class Words:
    """What a generated policy declares: the names its conditions and records may use."""

    statuses: tuple[str, ...]
    residence: tuple[str, ...]
    flags: tuple[str, ...]
    choices: tuple[str, ...]
    amounts: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    #: The labels of male and female when the policy declares ``inputs.sex`` (records must
    #: then give it).
    sex: tuple[str, str] | None = None
    #: Named conditions, in the order they are defined.
    named: tuple[str, ...] = ()

    @property
    def whole_numbers(self) -> tuple[str, ...]:
        """Choices and numbers: the inputs min/max may compare."""
        return (*self.choices, *self.numbers)

    def inputs(self) -> dict[str, dict[str, str]]:
        """The policy's ``inputs`` section."""
        labelled = {
            "statuses": self.statuses,
            "residence": self.residence,
            "flags": self.flags,
            "choices": self.choices,
            "amounts": self.amounts,
            "numbers": self.numbers,
        }
        declared: dict[str, dict[str, str]] = {
            category: {name: f"{category} {name}" for name in names}
            for category, names in labelled.items()
        }
        if self.sex is not None:
            declared["sex"] = dict(zip(SEXES, self.sex, strict=True))
        return declared


def _subset(pool: Sequence[str], low: int) -> st.SearchStrategy[tuple[str, ...]]:
    picked = st.lists(st.sampled_from(pool), min_size=low, max_size=len(pool), unique=True)
    return picked.map(lambda names: tuple(sorted(names, key=pool.index)))


@st.composite
def words(draw: st.DrawFn) -> Words:
    """A vocabulary: at least one residence value, choice and amount (tier_choice and
    sponsorship need one), statuses, flags and numbers possibly none, sex declared or not."""
    return Words(
        statuses=draw(_subset(STATUSES, 0)),
        residence=draw(_subset(RESIDENCES, 1)),
        flags=draw(_subset(FLAGS, 0)),
        choices=draw(_subset(CHOICES, 1)),
        amounts=draw(_subset(AMOUNTS, 1)),
        numbers=draw(_subset(NUMBERS, 0)),
        sex=draw(st.one_of(st.none(), st.sampled_from(SEX_LABELS))),
    )


def _bounds(bound: st.SearchStrategy[int]) -> st.SearchStrategy[dict[str, int]]:
    """min, max, or both (min at most max)."""
    return st.one_of(
        st.builds(lambda low: {"min": low}, bound),
        st.builds(lambda high: {"max": high}, bound),
        st.builds(lambda pair: {"min": min(pair), "max": max(pair)}, st.tuples(bound, bound)),
    )


@st.composite
def _age(draw: st.DrawFn, vocab: Words) -> dict[str, Any]:
    """Age bounds; with sex declared, sometimes other bounds for men, women or both (each
    sex's bounds replace those beside them, so they must not cross those they keep)."""
    bound = st.sampled_from(AGES)
    age: dict[str, Any] = draw(_bounds(bound))
    if vocab.sex is not None and draw(st.booleans()):
        for sex in draw(st.lists(st.sampled_from(SEXES), min_size=1, max_size=2, unique=True)):
            own = draw(_bounds(bound))
            merged = {**age, **own}
            if merged.get("min", 0) <= merged.get("max", 200):
                age[sex] = own
    return {"age": age}


def _input_values(vocab: Words, field: str) -> st.SearchStrategy[Any]:
    if field == "residence":
        return st.sampled_from(vocab.residence)
    if field == "sex":
        return st.sampled_from((*SEXES, None))
    if field in vocab.flags:
        return st.booleans()
    if field in vocab.whole_numbers:
        return st.one_of(st.none(), st.sampled_from(WHOLE_NUMBERS))
    return st.sampled_from(_COMPARED)


@st.composite
def _input(draw: st.DrawFn, vocab: Words) -> dict[str, Any]:
    sex = ("sex",) if vocab.sex is not None else ()
    fields = ("residence", *sex, *vocab.flags, *vocab.whole_numbers, *vocab.amounts)
    field = draw(st.sampled_from(fields))
    if field in vocab.whole_numbers and draw(st.booleans()):
        # a whole-number input within bounds (unknown fails)
        return {"input": {"field": field, **draw(_bounds(st.sampled_from(WHOLE_NUMBERS)))}}
    values = _input_values(vocab, field)
    if draw(st.booleans()):
        return {"input": {"field": field, "equals": draw(values)}}
    return {"input": {"field": field, "in": draw(st.lists(values, min_size=1, max_size=3))}}


def _leaves(vocab: Words) -> st.SearchStrategy[dict[str, Any]]:
    leaves = [_age(vocab), _input(vocab)]
    if vocab.sex is not None:
        leaves.append(st.builds(lambda sex: {"sex": sex}, st.sampled_from(SEXES)))
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
    """A condition over ``vocab``: leaves (age, per sex too, sex, statuses, flag, input by value
    or whole-number bounds, a named condition)
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
