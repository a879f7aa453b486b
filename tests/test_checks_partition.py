"""The partition behind the static checks: one representative per class stands for everyone.

The property that makes ``check`` a proof rather than a sample: for any person, the class they
fall in gets the same status, applies the same rules and (when no continuous amount is given)
pays the same amounts as they do. Persons come from the shared hypothesis strategies.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings

import contribpolicy
from contribpolicy.checks.partition import Cell, Partition, partition, reads_of, status_groups
from contribpolicy.checks.space import SchemeSpace, outcome
from contribpolicy.engine.records import RecordParser
from strategies import records


@pytest.fixture(scope="module")
def spaces(policy_2025: contribpolicy.Policy) -> dict[str, tuple[Partition, SchemeSpace]]:
    found = {}
    for name, scheme in policy_2025.schemes.items():
        split = partition(policy_2025, scheme.rules, 1_000_000)
        assert isinstance(split, Partition)
        found[name] = (split, SchemeSpace(policy_2025, scheme, split.cells))
    return found


def test_2025_classes_are_few_and_split_on_the_plan_s_ages_4_5_1(
    spaces: dict[str, tuple[Partition, SchemeSpace]],
) -> None:
    """Pension splits at 16 and 60 (四), medical at 60 and 70 (五（一）); the counts stay small."""
    pension, medical = spaces["pension"][0], spaces["medical"][0]
    assert (pension.ages, medical.ages) == ((0, 16, 60), (0, 60, 70))
    # ages 3 x statuses 4 x residence 2 x flags 4 x tiers 10 (8 offered, 1 not, none)
    # x years paid 4 (none, 14, 15, and one more: the referral's bound, READING 四)
    assert len(pension.cells) == 3 * 4 * 2 * 4 * 10 * 4
    # ages 3 x statuses 2 x residence 2 x employee_medical 2 x sponsor 4 (none, 0, 0.01, over)
    assert len(medical.cells) == 3 * 2 * 2 * 2 * 4


def test_unread_statuses_form_no_group(policy_2025: contribpolicy.Policy) -> None:
    """Grades 3 and 4 are read by no rule: left out; 1 and 2 are one group, in declared order."""
    rules = [rule for scheme in policy_2025.schemes.values() for rule in scheme.rules]
    groups = status_groups(
        reads_of(rules, policy_2025.vocabulary).status_tests, policy_2025.vocabulary.statuses
    )
    assert groups == [
        ("extreme_poverty", "dibao", "returned_to_poverty", "dibao_edge", "poverty_monitoring"),
        ("disability_1", "disability_2"),
    ]


def _class_of(
    policy: contribpolicy.Policy, split: Partition, scheme: str, record: Mapping[str, Any]
) -> Cell:
    """The class a person falls in, worked out from their facts and the class values."""
    facts = RecordParser(policy).parse(record).facts
    age = max(age for age in split.ages if age <= facts.age)
    rules = policy.schemes[scheme].rules
    reads = reads_of(rules, policy.vocabulary)
    statuses = tuple(
        group[0]
        for group in status_groups(reads.status_tests, policy.vocabulary.statuses)
        if facts.statuses & set(group)
    )
    options: dict[str, set[Any]] = {}
    for cell in split.cells:
        for name, value in cell.values:
            options.setdefault(name, set()).add(value)
    values = []
    for name, choices in options.items():
        value = facts.values[name]
        if name == "residence":
            value = next(
                v
                for v in policy.vocabulary.residence
                if v in choices
                and all((v in allowed) == (value in allowed) for allowed in reads.residence_sets)
            )
        elif name == "pension_years_paid" and value is not None:
            value = 14 if value <= 14 else 15  # the referral's bound: fewer than 15 (四)
        elif isinstance(value, Decimal) and value not in choices:
            value = policy.money.quantum  # a small amount: same rules, other amounts
        elif value not in choices:
            value = next(v for v in choices if v is not None and v not in reads.inputs[name])
        values.append((name, value))
    return Cell(age, statuses, tuple(values))


@settings(max_examples=300, deadline=None)
@given(record=records())
def test_every_person_gets_what_their_class_gets(
    policy_2025: contribpolicy.Policy,
    spaces: dict[str, tuple[Partition, SchemeSpace]],
    record: dict[str, Any],
) -> None:
    """Status and rules applied equal the class's; amounts too unless a sponsor amount is given."""
    assessment = policy_2025.evaluate(record)
    for scheme, (split, space) in spaces.items():
        cell = _class_of(policy_2025, split, scheme, record)
        [sample] = [sample for sample in space.samples if sample.cell == cell]
        assert sample.result is not None
        mine, theirs = assessment[scheme], sample.result
        assert mine.status == theirs.status
        applied = {entry.rule_id for entry in mine.trace if entry.applied}
        assert applied == {rule_id for rule_id in sample.trace if sample.applied(rule_id)}
        if not record.get("medical_sponsor"):
            assert outcome(mine) == outcome(theirs)
