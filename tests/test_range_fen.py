"""A contribution range to the fen (issue 11: "minimum, maximum, step (whole yuan, or fen)").

``range: {min: 1000, max: 9000, step: 0.01}`` offers any amount to the fen; the person's amount
is read from a declared amount input (a choice holds whole numbers), and subsidy bands end at
``to: 1999.99``. Expected amounts are worked by hand; the columnar path gives every row what the
per-person path gives it; the checks reason over the range by its ends and the amounts next to
each band's bounds (800,001 amounts, never listed).
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import contribpolicy
from contribpolicy.checks import check_policy
from contribpolicy.errors import InputError, PolicyError
from contribpolicy.i18n import translator
from contribpolicy.testing import assert_columnar_agrees

PLAN = """\
format: 1
id: fen-range
version: "1"
title: 区间缴费，精确到分
source: {number: 示例, issuer: 示例, date: 2024-09-20}
coverage_year: 2025
age_basis: {reference_date: 2025-01-01, method: completed_years}
money: {currency: CNY, places: 2, rounding: ROUND_HALF_UP}
inputs:
  statuses: {dibao: 低保}
  residence: {local: 本地}
  amounts:
    contribution: 年缴费金额（元）
schemes:
  pension:
    label: 养老
    rules:
      - id: pension-amount
        kind: tier_choice
        label: 1000元至9000元之间任选，精确到分
        cite: 三（一）
        choice: contribution
        range: {min: 1000, max: 9000, step: 0.01}
        default:
          - when: {any_status: [dibao]}
            tier: 1000.5
      - id: pension-bands
        kind: tier_subsidy
        label: 分段补贴
        cite: 三（二）
        brackets:
          - {from: 1000, to: 1999.99, amount: 60}
          - {from: 2000, share: 0.05, cap: 150}
"""


def _policy(text: str = PLAN) -> contribpolicy.Policy:
    return contribpolicy.loads_policy(text)


def _person(contribution: str | None, **more: Any) -> dict[str, Any]:
    record = {"person_id": "p", "birth_date": "1980-05-01", "residence": "local", **more}
    if contribution is not None:
        record["contribution"] = contribution
    return record


@pytest.mark.parametrize(
    ("given", "individual", "subsidy"),
    [
        ("1000", "1000.00", "60.00"),  # the lowest amount, the first band
        ("1999.99", "1999.99", "60.00"),  # the last fen of the first band
        ("2000", "2000.00", "100.00"),  # 5% of 2000
        ("2345.67", "2345.67", "117.28"),  # 5% = 117.2835, half up to the fen
        ("5000.01", "5000.01", "150.00"),  # 5% = 250.0005, capped at 150
        ("9000", "9000.00", "150.00"),  # the highest amount
    ],
)
def test_any_amount_to_the_fen_with_its_band_3_1(given: str, individual: str, subsidy: str) -> None:
    """An amount in fen is the individual part; the band it falls in gives the subsidy."""
    result = _policy().evaluate(_person(given))["pension"]
    assert str(result.status) == "eligible"
    assert (str(result.individual), str(result.government)) == (individual, subsidy)


def test_an_amount_off_the_range_names_the_range_by_its_bounds() -> None:
    """999.99 is below the range: an error naming the range, never listing it."""
    result = _policy().evaluate(_person("999.99"))["pension"]
    assert str(result.status) == "error"
    assert result.message == (
        "contribution 999.99 is not offered; offered tiers: any amount from 1000 to 9000 in "
        "steps of 0.01"
    )


def test_a_chinese_reader_reads_the_range_in_chinese() -> None:
    """The range inside "offered tiers" is a catalog message too: no English in zh output."""
    result = _policy().evaluate(_person("999.99"))["pension"]
    assert result.message is not None
    assert translator("zh").message(result.message, contribution="年缴费金额（元）") == (
        "年缴费金额（元）没有999.99这一档；可选档次：1000元至9000元之间、以0.01元为单位的任意金额"
    )


def test_listed_tiers_and_a_range_read_in_chinese() -> None:
    """Listed tiers next to a whole range: both parts in Chinese, joined by a Chinese semicolon."""
    plan = PLAN.replace(
        "contribution: 年缴费金额（元）", "contribution: 年缴费金额（元）\n  choices: {tier: 档次}"
    )
    plan = plan.replace(
        "choice: contribution\n        range: {min: 1000, max: 9000, step: 0.01}",
        "choice: tier\n        tiers: [200, 500]\n        range: {min: 1000, max: 9000}",
    )
    plan = plan.replace("tier: 1000.5", "tier: 1000")
    plan = plan.replace("from: 1000, to: 1999.99", "from: 200, to: 1999")
    result = contribpolicy.loads_policy(plan).evaluate(_person(None, tier="300"))["pension"]
    assert result.message is not None
    assert translator("zh").message(result.message, tier="档次") == (
        "档次没有300这一档；可选档次：200, 500；1000元至9000元之间的任意整数金额"
    )


def test_a_default_in_fen_is_taken_when_no_amount_is_given() -> None:
    """A 低保 member who gave no amount takes the default 1000.50 (band 1: 60)."""
    result = _policy().evaluate(_person(None, statuses="dibao"))["pension"]
    assert (str(result.individual), str(result.government)) == ("1000.50", "60.00")


def test_an_amount_finer_than_the_fen_is_refused_naming_the_field() -> None:
    """1000.005 has three places: the record is refused, naming contribution."""
    with pytest.raises(InputError) as caught:
        _policy().evaluate(_person("1000.005"))
    assert caught.value.field == "contribution"


def test_a_step_in_fen_with_a_whole_number_choice_is_refused_at_the_choice() -> None:
    """A choice holds whole numbers: a range in fen needs its amount from inputs.amounts."""
    text = PLAN.replace("  amounts:\n    contribution:", "  choices:\n    contribution:")
    with pytest.raises(PolicyError) as caught:
        _policy(text)
    problems = [(p.location.pointer, p.code) for p in caught.value.issues]
    assert ("/schemes/pension/rules/0/choice", "semantic.undeclared") in problems


def test_a_fen_between_two_bands_is_found_at_load() -> None:
    """A first band ending at 1999.98 leaves 1999.99 in no band: reported when loading."""
    text = PLAN.replace("to: 1999.99", "to: 1999.98")
    with pytest.raises(PolicyError) as caught:
        _policy(text)
    messages = [p.message for p in caught.value.issues]
    assert any("offered tier 1999.99 falls in no bracket" in m for m in messages), messages


def test_a_band_ending_on_a_whole_yuan_leaves_a_gap_said_by_its_ends() -> None:
    """A first band ending at 1999 (not 1999.99) leaves 1999.01 to 1999.99 in no band: one
    problem naming the gap by its ends, not one per amount the checks looked at."""
    with pytest.raises(PolicyError) as caught:
        _policy(PLAN.replace("to: 1999.99", "to: 1999"))
    assert [p.message for p in caught.value.issues if p.code == "semantic.bracket-cover"] == [
        "offered tiers from 1999.01 to 1999.99 fall in no bracket; every offered tier must be "
        "in exactly one"
    ]


def test_a_step_finer_than_money_places_is_refused() -> None:
    """step: 0.001 with money.places 2: reported at /range/step."""
    text = PLAN.replace("step: 0.01", "step: 0.001")
    with pytest.raises(PolicyError) as caught:
        _policy(text)
    problems = [(p.location.pointer, p.code) for p in caught.value.issues]
    assert ("/schemes/pension/rules/0/range/step", "semantic.money-places") in problems


def test_the_checks_find_nothing_in_the_fen_plan() -> None:
    """The plan is gap- and overlap-free over its 800,001 amounts (reasoned by interval)."""
    assert [f.code for f in check_policy(_policy())] == []


AMOUNTS = st.one_of(
    st.decimals(990, 9010, places=2).map(str),
    st.sampled_from(["1999.99", "2000", "2000.00", "999.99", "9000.01", "1000.005", "", "x"]),
)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(AMOUNTS, st.sampled_from(["", "dibao"])), min_size=1, max_size=20))
def test_columnar_equals_per_person_on_amounts_in_fen(rows: list[tuple[str, str]]) -> None:
    """evaluate_table gives every row what Policy.evaluate gives it, messages included."""
    table = pa.table(
        {
            "person_id": [f"p{i}" for i in range(len(rows))],
            "birth_date": ["1980-05-01"] * len(rows),
            "residence": ["local"] * len(rows),
            "statuses": [status for _, status in rows],
            "contribution": [amount for amount, _ in rows],
        }
    )
    assert_columnar_agrees(_policy(), table)


def test_a_whole_range_still_reads_a_whole_number_choice() -> None:
    """Without places, a range reads inputs.choices as before: 1500 is 1500.00."""
    text = PLAN.replace("  amounts:\n    contribution:", "  choices:\n    contribution:")
    text = text.replace(", step: 0.01}", "}").replace("tier: 1000.5", "tier: 1000")
    text = text.replace("to: 1999.99", "to: 1999")
    result = _policy(text).evaluate(_person("1500"))["pension"]
    assert (str(result.individual), str(result.government)) == ("1500.00", "60.00")
    assert Decimal(result.individual) == Decimal(1500)
