"""Named conditions are a DAG, bounded in depth (issue 15, items 1 and 2).

A 13 KB policy whose named conditions each name the one before twice (a "diamond") made every
walk of a condition double per level: `validate` took 21 s at depth 16, `evaluate` 13.5 s per
person at depth 25. A chain of 248 named conditions ended in a RecursionError. Now each named
condition is tested once per person and walked once by the static checks, and the depth is a
declared limit reported where it is passed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import contribpolicy
from _policy_edit import POLICY_TEXT, edit, issues_of, keys, position, write
from contribpolicy import Limits, PolicyError
from contribpolicy.checks import check_policy
from contribpolicy.cli import run
from contribpolicy.model.conditions import InputIn
from contribpolicy.model.facts import Facts

PERSON = {
    "person_id": "p1",
    "id_number": "",
    "birth_date": "1980-05-01",
    "residence": "local",
    "statuses": "",
    "employee_pension": "0",
    "employee_medical": "0",
    "student": "0",
}


def diamond(depth: int) -> str:
    """The 2025 policy whose residence test is reached through `depth` named conditions, each
    naming the one before twice: 2**depth paths from a rule down to the test."""
    named = ["conditions:\n", "  d0:\n    input: {field: residence, in: [local, permit]}\n"]
    for level in range(1, depth + 1):
        named.append(
            f"  d{level}:\n    all:\n      - condition: d{level - 1}\n"
            f"      - condition: d{level - 1}\n"
        )
    text = POLICY_TEXT.replace("conditions:\n", "".join(named), 1)
    assert text.count("{condition: resident}") == 1  # medical only: the pension is hukou (四)
    return text.replace("{condition: resident}", f"{{condition: d{depth}}}")


def chain(length: int) -> str:
    """The 2025 policy with a chain of `length` named conditions before the residence test."""
    named = ["conditions:\n", "  c0:\n    input: {field: residence, in: [local, permit]}\n"]
    named += [f"  c{i}:\n    condition: c{i - 1}\n" for i in range(1, length + 1)]
    text = POLICY_TEXT.replace("conditions:\n", "".join(named), 1)
    return text.replace("{condition: resident}", f"{{condition: c{length}}}")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every test of an input condition (the diamond's one leaf)."""
    calls = [0]
    original = InputIn.failure

    def failure(self: InputIn, facts: Facts) -> object:
        calls[0] += 1
        return original(self, facts)

    monkeypatch.setattr(InputIn, "failure", failure)
    return calls


def test_diamond_of_named_conditions_is_tested_once_per_person(
    tmp_path: Path, counted: list[int]
) -> None:
    """Depth 20: 2**20 paths to the residence test, which runs once per rule that reads it."""
    policy = contribpolicy.load_policy(write(tmp_path, diamond(20)))
    plain = contribpolicy.loads_policy(POLICY_TEXT)
    result = policy.evaluate(PERSON)
    assert counted[0] <= 4  # the two rules naming d20, and medical's own residence tests
    expected = plain.evaluate(PERSON)
    for scheme in ("pension", "medical"):
        assert result[scheme].total == expected[scheme].total
        assert result[scheme].status == expected[scheme].status


def test_diamond_person_outside_gets_the_same_reason(tmp_path: Path) -> None:
    """Someone failing the test deep in the diamond: ineligible, the reason names residence."""
    policy = contribpolicy.load_policy(write(tmp_path, diamond(20)))
    result = policy.evaluate({**PERSON, "residence": "none"})["medical"]
    assert result.status == "ineligible"
    assert "(residence is none; the rule requires residence is one of" in (result.message or "")


def test_diamond_static_checks_walk_each_named_condition_once(
    tmp_path: Path, counted: list[int]
) -> None:
    """`validate` runs the static checks: at depth 16 they took 21 s, 2**16 tests per class."""
    policy = contribpolicy.load_policy(write(tmp_path, diamond(16)))
    check_policy(policy)
    assert counted[0] < 20_000


def test_diamond_batch_row_by_row(tmp_path: Path) -> None:
    """`batch --row-by-row` (102 s for 300 rows at depth 20) gives the plain policy's rows."""
    path = write(tmp_path, diamond(20))
    roster = tmp_path / "roster.csv"
    header = ",".join(PERSON)
    rows = [
        ",".join(f"p{i}" if k == "person_id" else v for k, v in PERSON.items()) for i in range(300)
    ]
    roster.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    outputs = []
    for policy in (path, Path(contribpolicy.__file__).parents[2] / "policies" / "2025.yaml"):
        out, err = io.StringIO(), io.StringIO()
        assert run(["batch", "--row-by-row", str(policy), str(roster)], out, err) == 0, err
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]


def test_chain_of_named_conditions_is_refused_at_the_depth_limit(tmp_path: Path) -> None:
    """248 named conditions in a chain raised RecursionError; now semantic.condition-depth at
    the reference that passes 64 (c32 naming c31: each link is two levels, c0 is two)."""
    text = chain(300)
    issues = issues_of(tmp_path, text)
    line, column = position(text, "  c32:\n    condition: c31\n", "c31\n")
    assert keys(issues)[0] == (
        "/conditions/c32/condition",
        line,
        column,
        "semantic.condition-depth",
    )
    assert {issue.code for issue in issues} == {"semantic.condition-depth"}
    assert "max_condition_depth (64)" in issues[0].message


def test_condition_depth_is_a_limit_that_can_be_raised(tmp_path: Path) -> None:
    """Limits(max_condition_depth=...) lets a deeper chain load, and evaluate."""
    policy = contribpolicy.loads_policy(chain(100), limits=Limits(max_condition_depth=300))
    assert policy.evaluate(PERSON)["medical"].status == "eligible"


def test_nested_unnamed_conditions_count_too() -> None:
    """`not: {not: ...}` 40 deep inside one named condition, named from a 30-link chain."""
    nested = "{not: " * 40 + "{input: {field: residence, in: [local]}}" + "}" * 40
    text = chain(30).replace(
        "  c0:\n    input: {field: residence, in: [local, permit]}\n", f"  c0: {nested}\n"
    )
    with pytest.raises(PolicyError) as caught:
        contribpolicy.loads_policy(text, file="deep.yaml")
    assert {issue.code for issue in caught.value.issues} == {"semantic.condition-depth"}


def test_policy_2025_is_far_from_the_depth_limit() -> None:
    """The bundled policy loads with a tenth of the default depth."""
    contribpolicy.loads_policy(POLICY_TEXT, limits=Limits(max_condition_depth=6))


def test_edit_helper_still_plants(tmp_path: Path) -> None:
    """A cycle is still a cycle, not a depth problem."""
    text = edit(
        ("    any:\n      - condition: severe_disability", "    any:\n      - condition: hardship")
    )
    assert [issue.code for issue in issues_of(tmp_path, text)] == ["semantic.condition-cycle"]
