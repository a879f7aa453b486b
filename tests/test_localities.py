"""Three other localities' plans, written in YAML alone (docs/localities.md), proven as a user
proves theirs: ``validate``, ``check`` and ``test --coverage`` pass on each; and the new kinds
and facts they use (a contribution range, shares of a base, fixed-sum reliefs, first_match,
sex, whole-number inputs, not_paying and referred) give the same results per person and
columnar on generated rosters."""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

import contribpolicy
from contribpolicy.checks import check_policy
from contribpolicy.cli import run
from test_columnar import assert_rows_match

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "examples" / "localities"
NAMES = ("range-plan", "category-premium", "county-plan")
SETTINGS = settings(max_examples=40, deadline=None)


def _cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, io.StringIO())
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("name", NAMES)
def test_plan_validates_checks_and_its_cases_cover_every_rule(name: str) -> None:
    """validate, check and test --coverage (100% of rules) all pass on the example plan."""
    policy, cases = PLANS / f"{name}.yaml", PLANS / "tests" / f"{name}.yaml"
    assert _cli("validate", str(policy)) == (0, f"{policy}: ok\n")
    assert _cli("check", str(policy)) == (0, f"{policy}: ok\n")
    code, out = _cli("test", str(cases), "--coverage")
    assert code == 0, out
    assert "(100.0%)" in out


def _plan(name: str, replace: tuple[str, str] | None = None) -> contribpolicy.Policy:
    text = (PLANS / f"{name}.yaml").read_text(encoding="utf-8")
    if replace is not None:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    return contribpolicy.loads_policy(text)


def test_first_match_entry_after_a_catch_all_is_unreachable() -> None:
    """A student rate written after the catch-all adult rate can never apply: check.unreachable
    names the entry that takes its people."""
    text = (PLANS / "category-premium.yaml").read_text(encoding="utf-8")
    start = text.index("      - id: premium-adult")
    end = text.index("      - id: relief-dibao")
    adult = text[start:end]
    moved = text[:start] + text[end:]
    moved = moved.replace("      - id: premium-student", adult + "      - id: premium-student", 1)
    findings = check_policy(contribpolicy.loads_policy(moved))
    unreachable = {f.rule_id for f in findings if f.code == "check.unreachable"}
    assert unreachable == {"premium-student", "premium-minor"}
    assert all("premium-adult" in f.message for f in findings if f.code == "check.unreachable")


def test_fixed_sum_reliefs_do_not_depend_on_rule_order_4_2() -> None:
    """280 for 低保 and 200 for severe disability, most favourable: 280 in either order."""
    person = {
        "person_id": "k",
        "birth_date": "1980-01-01",
        "residence": "local",
        "statuses": ["dibao", "disability_1"],
    }
    plan = _plan("county-plan")
    text = (PLANS / "county-plan.yaml").read_text(encoding="utf-8")
    first = text.index("      - id: medical-relief-severe-disability")
    second = text.index("      - id: medical-relief-dibao")
    third = text.index("      - id: medical-relief-extreme-poverty")
    reordered = text[:first] + text[second:third] + text[first:second] + text[third:]
    swapped = contribpolicy.loads_policy(reordered)
    for policy in (plan, swapped):
        medical = policy.evaluate(person)["medical"]
        assert (medical.individual, medical.components["relief"]) == (Decimal(120), Decimal(280))


def test_share_of_the_standard_stays_400_when_the_person_owes_more_4_2() -> None:
    """特困 relieves all of the standard 400 (of: standard), not all of what the person owes:
    a late enrolment that pays the whole 1070 still gets 400 relieved."""
    late = (
        "        total: 1070\n        individual: 400\n        government: {fiscal: 670}\n",
        "        total: 1070\n        individual: 1070\n        standard: 400\n"
        "        government: {}\n",
    )
    policy = _plan("county-plan", late)
    medical = policy.evaluate(
        {"person_id": "k", "birth_date": "1980-01-01", "residence": "local",
         "statuses": ["extreme_poverty"]}
    )["medical"]  # fmt: skip
    assert medical.components["relief"] == 400


# --- per person and columnar agree on the new kinds and facts ----------------------------------


def _id_number(born: date, serial: int) -> str:
    body = f"370406{born:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


@st.composite
def _rows(draw: st.DrawFn, name: str) -> dict[str, Any]:
    policy = _plan(name)
    vocabulary = policy.vocabulary
    born = draw(st.dates(min_value=date(1940, 1, 1), max_value=date(2025, 12, 31)))
    row: dict[str, Any] = {"person_id": f"p{draw(st.integers(0, 10**6))}"}
    if draw(st.booleans()):
        row["id_number"] = _id_number(born, draw(st.integers(0, 999)))
        if bool(vocabulary.sex) and draw(st.booleans()):
            row["sex"] = draw(st.sampled_from(["male", "female", "男", "女"]))
    else:
        row["birth_date"] = born.isoformat()
        if bool(vocabulary.sex) and draw(st.integers(0, 9)) > 0:
            row["sex"] = draw(st.sampled_from(["male", "female", "m", "女"]))
    row["residence"] = draw(st.sampled_from(list(vocabulary.residence)))
    codes = draw(st.lists(st.sampled_from(list(vocabulary.statuses)), max_size=2, unique=True))
    row["statuses"] = ";".join(codes)
    for flag in vocabulary.flags:
        row[flag] = draw(st.sampled_from(["", "1", "0"]))
    for choice in vocabulary.choices:
        values = st.sampled_from(["", "200", "300", "500", "950", "1000", "1999", "2000", "9000"])
        row[choice] = draw(values | st.integers(900, 9100).map(str))
    return row


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_columnar_equals_per_person_on_the_new_kinds_and_facts(
    name: str, data: st.DataObject
) -> None:
    """evaluate_table gives every generated row what Policy.evaluate gives it: ranges, shares
    of a base, fixed-sum reliefs, first_match, sex from ID numbers and fields, not_paying."""
    rows = data.draw(st.lists(_rows(name), min_size=1, max_size=25))
    columns = sorted({key for row in rows for key in row})
    table = pa.Table.from_pylist(
        [{key: row.get(key) for key in columns} for row in rows],
        schema=pa.schema([(key, pa.string()) for key in columns]),
    )
    assert_rows_match(_plan(name), table)


def test_gap_names_the_age_bands_on_both_sides() -> None:
    """A category plan with no premium at 18: the gap is reported at the band below it, naming
    the bands on both sides (not a rule far away)."""
    text = (PLANS / "category-premium.yaml").read_text(encoding="utf-8")
    adult = "        first_match: premium\n        total: 1070\n"
    assert adult in text
    text = text.replace(
        adult,
        "        first_match: premium\n        when: {age: {min: 19}}\n        total: 1070\n",
        1,
    )
    gaps = [f for f in check_policy(contribpolicy.loads_policy(text)) if f.code == "check.gap"]
    assert [f.rule_id for f in gaps] == ["premium-minor"]
    assert (
        "age 18 falls between premium-minor (age 17 or under) and premium-adult (age 19 or over)"
        in gaps[0].message
    )


def test_parts_sum_names_the_earlier_premium_that_added_the_parts() -> None:
    """Overlapping category premiums without first_match: the parts-sum finding blames the
    premium before, whose parts stay on top, not "the rules after it"."""
    text = (PLANS / "category-premium.yaml").read_text(encoding="utf-8")
    text = text.replace("        first_match: premium\n", "")
    findings = check_policy(contribpolicy.loads_policy(text))
    messages = [f.message for f in findings if f.code == "check.parts-sum"]
    assert any("rule premium-student, before it, added parts" in m for m in messages), messages
    assert not any("the rules after it" in m for m in messages)


def test_gap_names_the_bands_of_the_sex_it_falls_in() -> None:
    """Adults from 18, women from 20 (an age band by sex): the gap of women aged 18 and 19 is
    reported between the bands as they are for women, not with the minor band alone; only the
    band that differs by sex is said to be the women's."""
    text = (PLANS / "category-premium.yaml").read_text(encoding="utf-8")
    text = text.replace("  flags:\n", "  sex: {male: 男, female: 女}\n  flags:\n", 1)
    adult = "        first_match: premium\n        total: 1070\n"
    text = text.replace(
        adult,
        "        first_match: premium\n"
        "        when: {age: {min: 18, female: {min: 20}}}\n        total: 1070\n",
        1,
    )
    gaps = [f for f in check_policy(contribpolicy.loads_policy(text)) if f.code == "check.gap"]
    assert [f.rule_id for f in gaps] == ["premium-minor"]
    assert "2 of 96 classes, e.g. age 18, no status, residence local, sex female" in gaps[0].message
    assert (
        "age 18 falls between premium-minor (age 17 or under) and "
        "premium-adult (age 20 or over for women)" in gaps[0].message
    )
