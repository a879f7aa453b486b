"""The input space of a scheme split into the finite classes its own rules can tell apart.

A rule reads a person only through its conditions (ages, statuses, residence, flags, compared
inputs) and through inputs its parameters name (``choice: pension_tier``,
``amount_from: medical_sponsor``). Two people whom no condition and no named input tells apart
get the same outcome, so one representative per class proves a property for everyone:

* ages: one per interval between the breakpoints of every age range (``min``, ``max + 1``);
* statuses: statuses read by exactly the same status tests are interchangeable, so they form a
  group; a class holds none of a group, one of it, or (when an ``all_statuses`` test reads it)
  all of it. Statuses no rule reads are left out: they change nothing;
* residence: values that every residence test treats alike form one group;
* flags: set or not; choices: every value compared or offered, one value not offered, none;
  amounts: none, zero, the smallest amount, and one over every amount the policy names.

The split is exact for the built-in kinds. A third-party kind that reads facts its conditions
and parameters do not name is sampled, not proven: every class still runs it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from contribpolicy.model.conditions import (
    AgeBySex,
    AgeRange,
    AllOf,
    AnyOf,
    AnyStatus,
    Condition,
    FlagSet,
    HasAllStatuses,
    InputIn,
    InputRange,
    NoStatus,
    Not,
    walk,
)
from contribpolicy.model.parts import Rule, Vocabulary
from contribpolicy.model.person import EARLIEST_BIRTH_YEAR
from contribpolicy.model.policy import Policy

__all__ = [
    "Cell",
    "Partition",
    "Reads",
    "atoms",
    "partition",
    "reads_of",
    "rule_conditions",
    "status_codes",
]

_WALK_DEPTH = 6


@attrs.frozen
class Cell:
    """One class of the partition: a representative person's facts."""

    age: int
    statuses: tuple[str, ...]
    values: tuple[tuple[str, Any], ...]

    def record(self, reference: date, person_id: str = "check") -> dict[str, Any]:
        """A person record with these facts, as ``Policy.evaluate`` and a test case take it."""
        record: dict[str, Any] = {"person_id": person_id, "birth_date": _born(reference, self.age)}
        if self.statuses:
            record["statuses"] = list(self.statuses)
        for name, value in self.values:
            if value is None or value is False:
                continue
            record[name] = str(value) if isinstance(value, Decimal) else value
        return record

    def describe(self) -> str:
        """The class in words, for finding messages."""
        parts = [f"age {self.age}"]
        parts.append("statuses " + ", ".join(self.statuses) if self.statuses else "no status")
        for name, value in self.values:
            if value is True:
                parts.append(name)
            elif value is not None and value is not False:
                parts.append(f"{name} {value}")
        return ", ".join(parts)


def _born(reference: date, age: int) -> date:
    """A birth date that makes a person exactly ``age`` on the reference date."""
    try:
        return reference.replace(year=reference.year - age)
    except ValueError:  # 29 February in a year without it: the day before still counts
        return date(reference.year - age, 2, 28)


@attrs.frozen
class Reads:
    """What a set of rules reads about a person."""

    age_breaks: frozenset[int]
    status_tests: tuple[Condition, ...]
    residence_sets: tuple[frozenset[Any], ...]
    inputs: Mapping[str, frozenset[Any]]

    @property
    def statuses(self) -> frozenset[str]:
        """Every status code the status tests of this partition read."""
        return frozenset(code for test in self.status_tests for code in _codes(test))


@attrs.frozen
class Partition:
    """A scheme's classes, and the dimensions they were built from."""

    cells: tuple[Cell, ...]
    ages: tuple[int, ...]
    max_age: int


def rule_conditions(rule: Rule) -> Iterator[Condition]:
    """Every condition a rule tests: its ``when`` and those compiled into its effect."""
    if rule.when is not None:
        yield rule.when
    yield from _conditions_in(rule.effect, _WALK_DEPTH)


def _conditions_in(value: object, depth: int) -> Iterator[Condition]:
    if depth == 0 or isinstance(value, str | bytes | Decimal | int | float):
        return
    cls = type(value)
    if isinstance(value, Condition):
        yield value
    elif attrs.has(cls):
        for field in attrs.fields(cls):
            yield from _conditions_in(getattr(value, field.name), depth - 1)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _conditions_in(item, depth - 1)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _conditions_in(item, depth - 1)


def atoms(condition: Condition) -> Iterator[Condition]:
    """The tests a condition is built from, through all/any/not and named conditions; each
    once, however many paths of the condition DAG lead to it."""
    return (node for node in walk(condition) if not isinstance(node, AllOf | AnyOf | Not))


def status_codes(test: Condition) -> frozenset[str]:
    """The status codes an atomic test reads (none for a test of something else)."""
    return _codes(test)


def _codes(test: Condition) -> frozenset[str]:
    if isinstance(test, AnyStatus | HasAllStatuses | NoStatus):
        return test.codes
    return frozenset()


def named_inputs(rule: Rule, vocabulary: Vocabulary) -> Iterator[str]:
    """Declared inputs a rule's parameters name, which its kind reads directly."""
    declared = vocabulary.inputs()
    for value in rule.params.values():
        if isinstance(value, str) and value in declared and value != "residence":
            yield value


def reads_of(rules: Iterable[Rule], vocabulary: Vocabulary) -> Reads:
    """Everything the rules read, with the values they compare."""
    breaks: set[int] = set()
    status_tests: list[Condition] = []
    residence: list[frozenset[Any]] = []
    inputs: dict[str, set[Any]] = {}
    tier_inputs: list[tuple[str, object]] = []
    tier_points: set[Any] = set()
    for rule in rules:
        for name in named_inputs(rule, vocabulary):
            inputs.setdefault(name, set()).update(_tier_points(rule.effect))
            if callable(getattr(rule.effect, "amount_of", None)):
                tier_inputs.append((name, rule.effect))
        points = getattr(rule.effect, "bracket_points", None)
        if callable(points):  # tier_subsidy: reads the tier a tier_choice before it set
            tier_points.update(points())
        for test in (atom for condition in rule_conditions(rule) for atom in atoms(condition)):
            if _codes(test):
                if test not in status_tests:
                    status_tests.append(test)
            elif isinstance(test, InputIn) and test.field == "residence":
                residence.append(frozenset(test.allowed))
            else:
                _read_value_test(test, breaks, inputs)
    for name, effect in tier_inputs:
        # Bracket bounds that are offered tiers: the other sides of bounds are not offered,
        # and every tier not offered fails alike.
        # A range in fen: the offered tiers next to each bound (``nearest``).
        offers = effect.amount_of  # type: ignore[attr-defined]
        nearest = getattr(effect, "nearest", None)
        near = [p for b in tier_points for p in nearest(Decimal(b))] if callable(nearest) else []
        inputs[name].update(point for point in (*tier_points, *near) if offers(point) is not None)
    frozen = {name: frozenset(values) for name, values in inputs.items()}
    return Reads(frozenset(breaks), tuple(status_tests), tuple(residence), frozen)


def _read_value_test(test: Condition, breaks: set[int], inputs: dict[str, set[Any]]) -> None:
    """The age breaks and input values one test compares (statuses and residence aside)."""
    if isinstance(test, AgeRange):
        breaks.update(_age_breaks(test))
    elif isinstance(test, AgeBySex):
        for bounds in (test.default, test.male, test.female):
            if bounds is not None:
                breaks.update(_age_breaks(bounds))
        inputs.setdefault("sex", set()).update(("male", "female"))
    elif isinstance(test, InputRange):
        inputs.setdefault(test.field, set()).update(_range_points(test))
    elif isinstance(test, InputIn):
        inputs.setdefault(test.field, set()).update(test.allowed)
    elif isinstance(test, FlagSet):
        inputs.setdefault(test.flag, set())


def _tier_points(effect: object) -> Iterable[Any]:
    """The tiers that stand for all a kind offers: ``tier_points()`` when the kind reasons
    over intervals (a range, runs of tiers), else every offered tier."""
    points = getattr(effect, "tier_points", None)
    if callable(points):
        found: Iterable[Any] = points()
        return found
    offered: Iterable[Any] = getattr(effect, "offered_tiers", ())
    return offered


def _range_points(test: InputRange) -> set[int]:
    """Values on both sides of each bound of a whole-number range."""
    points: set[int] = set()
    if test.minimum is not None:
        points.update({test.minimum, max(test.minimum - 1, 0)})
    if test.maximum is not None:
        points.update({test.maximum, test.maximum + 1})
    return points


def _age_breaks(test: AgeRange) -> Iterator[int]:
    if test.minimum is not None:
        yield test.minimum
    if test.maximum is not None:
        yield test.maximum + 1


def status_groups(tests: Sequence[Condition], declared: Iterable[str]) -> list[tuple[str, ...]]:
    """Declared statuses read by the same tests, in declaration order; unread ones left out."""
    groups: dict[frozenset[int], list[str]] = {}
    for code in declared:
        signature = frozenset(i for i, test in enumerate(tests) if code in _codes(test))
        if signature:
            groups.setdefault(signature, []).append(code)
    return [tuple(group) for group in groups.values()]


def _status_sets(tests: Sequence[Condition], declared: Iterable[str]) -> list[tuple[str, ...]]:
    levels = []
    for group in status_groups(tests, declared):
        options: list[tuple[str, ...]] = [(), group[:1]]
        all_tested = any(isinstance(t, HasAllStatuses) and group[0] in t.codes for t in tests)
        if all_tested and len(group) > 1:
            options.append(group)
        levels.append(options)
    return [tuple(code for part in combo for code in part) for combo in itertools.product(*levels)]


def _residences(sets: Sequence[frozenset[Any]], declared: Iterable[str]) -> list[str]:
    seen: dict[tuple[bool, ...], str] = {}
    for value in declared:
        seen.setdefault(tuple(value in allowed for allowed in sets), value)
    return list(seen.values())


def _input_values(
    name: str, compared: frozenset[Any], vocabulary: Vocabulary, money: Decimal, quantum: Decimal
) -> list[Any]:
    if name in vocabulary.flags:
        return [False, True]
    if name == "sex":
        return ["male", "female"]
    if name in vocabulary.whole_numbers:
        numbers = sorted(value for value in compared if isinstance(value, int))
        other = next(n for n in itertools.count() if n not in compared)
        return [None, *numbers, other]
    base = [None, Decimal(0), quantum, money + 1]
    extra = sorted(Decimal(v) for v in compared if v is not None and Decimal(v) not in base)
    return [*base, *extra]


def largest_amount(rules: Iterable[Rule]) -> Decimal:
    """The largest number any rule's parameters name: amounts over it exceed every cap."""
    found = [Decimal(0)]
    for rule in rules:
        found.extend(_numbers(rule.params))
        found.extend(Decimal(tier) for tier in _tier_points(rule.effect))
    return max(found)


def _numbers(value: object) -> Iterator[Decimal]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | Decimal):
        yield Decimal(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _numbers(item)


def partition(policy: Policy, rules: Sequence[Rule], limit: int) -> Partition | int:
    """The classes of ``rules``' input space, or their number when it is over ``limit``."""
    vocabulary = policy.vocabulary
    reads = reads_of(rules, vocabulary)
    reference = policy.age_basis.reference_date
    max_age = reference.year - EARLIEST_BIRTH_YEAR
    ages = tuple(sorted(age for age in reads.age_breaks | {0} if 0 <= age <= max_age))
    statuses = _status_sets(reads.status_tests, vocabulary.statuses)
    residences = _residences(reads.residence_sets, vocabulary.residence)
    everything = [rule for scheme in policy.schemes.values() for rule in scheme.rules]
    money, quantum = largest_amount(everything), policy.money.quantum
    names = [name for name in vocabulary.inputs() if name in reads.inputs]
    values = [_input_values(n, reads.inputs[n], vocabulary, money, quantum) for n in names]
    size = len(ages) * len(statuses) * len(residences)
    for options in values:
        size *= len(options)
    if size > limit:
        return size
    cells = tuple(
        Cell(age, status, (("residence", residence), *zip(names, chosen, strict=True)))
        for age, status, residence, *chosen in itertools.product(
            ages, statuses, residences, *values
        )
    )
    return Partition(cells, ages, max_age)
