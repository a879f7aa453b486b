"""When medical cover starts (五（二）, 国办发〔2024〕38号), worked out by hand (2025 policy).

2025 policy: concentrated period 2024-09-01..2024-12-31; fixed waiting period 3 months;
1 variable month per year of break beyond the first; 1 month fewer per year back-paid; at least
6 months in all after 4 or more years of break; newborns within 90 days covered from birth;
assistance statuses exempt. The contribution is 400.00.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import contribpolicy
from contribpolicy.model.payment import Payment

POLICY = Path(__file__).resolve().parent.parent / "policies" / "2025.yaml"
ADULT = {"person_id": "c-1", "birth_date": "1980-02-02", "residence": "local"}


def pay(day: date, amount: str = "400", *, year: int = 2025, kind: str = "regular") -> Payment:
    return Payment("medical", year, Decimal(amount), day, "self", kind, "c-1")


def cover(
    policy: contribpolicy.Policy, payments: list[Payment], **fields: str
) -> contribpolicy.Cover:
    return policy.coverage({**ADULT, **fields}, payments)


def test_paid_on_the_last_day_of_the_period_covers_the_whole_year_5_2(
    policy_2025: contribpolicy.Policy,
) -> None:
    """Paid 2024-12-31, the period's last day, no break: covered 2025-01-01..2025-12-31."""
    result = cover(policy_2025, [pay(date(2024, 12, 31))], insured_years="2024")
    assert (result.start, result.end, result.waiting_months) == (
        date(2025, 1, 1), date(2025, 12, 31), 0
    )  # fmt: skip


def test_paid_the_day_after_the_period_waits_3_months_38(
    policy_2025: contribpolicy.Policy,
) -> None:
    """Paid 2025-01-01, outside the period: the fixed 3 months (38号), from 2025-04-01."""
    result = cover(policy_2025, [pay(date(2025, 1, 1))], insured_years="2024")
    assert (result.start, result.fixed_months, result.variable_months) == (date(2025, 4, 1), 3, 0)
    assert [reason.code for reason in result.reasons][-2:] == ["fixed", "starts"]
    assert all(reason.cite for reason in result.reasons)


def test_two_years_of_break_add_one_variable_month_38(policy_2025: contribpolicy.Policy) -> None:
    """Last insured 2022: 2023 and 2024 are a break; the second year adds 1 month (Qingdao's
    reading): 3 + 1 = 4 months from 2025-01-01 even though paid in the period."""
    result = cover(policy_2025, [pay(date(2024, 11, 1))], insured_years="2021;2022")
    assert (result.break_years, result.fixed_months, result.variable_months) == (2, 3, 1)
    assert result.start == date(2025, 5, 1)


def test_back_paid_year_removes_a_variable_month_only_38(policy_2025: contribpolicy.Policy) -> None:
    """Break 2022-2024 (3 years: 2 variable months); 2024 back-paid at 400.00: 1 month fewer;
    paid 2025-02-10: 3 + 1 = 4 months, cover from 2025-06-10."""
    payments = [pay(date(2025, 2, 10)), pay(date(2025, 2, 10), year=2024, kind="back_payment")]
    result = cover(policy_2025, payments, insured_years="2021")
    assert (result.variable_months, result.back_paid_years, result.start) == (
        1, 1, date(2025, 6, 10)
    )  # fmt: skip


def test_back_payments_never_shorten_the_fixed_months_38(policy_2025: contribpolicy.Policy) -> None:
    """One year of break (no variable month) and a back payment: still the fixed 3 months."""
    payments = [pay(date(2025, 2, 10)), pay(date(2025, 2, 10), year=2024, kind="back_payment")]
    result = cover(policy_2025, payments, insured_years="2023")
    assert (result.fixed_months, result.variable_months, result.start) == (3, 0, date(2025, 5, 10))


def test_exactly_four_years_of_break_with_back_payments_is_at_least_6_months_38(
    policy_2025: contribpolicy.Policy,
) -> None:
    """Break 2021-2024 (4 years): 3 + 3 = 6; two years back-paid would make 3 + 1 = 4, but after
    4 or more years of break the total is never below 6: cover from 2025-03-10 + 6 months."""
    payments = [
        pay(date(2025, 3, 10)),
        pay(date(2025, 3, 1), year=2023, kind="back_payment"),
        pay(date(2025, 3, 1), year=2024, kind="back_payment"),
    ]
    result = cover(policy_2025, payments, insured_years="2019;2020")
    assert (result.break_years, result.back_paid_years) == (4, 2)
    assert (result.fixed_months, result.variable_months, result.start) == (3, 3, date(2025, 9, 10))
    assert "floor" in [reason.code for reason in result.reasons]


def test_three_years_of_break_fully_back_paid_has_no_floor_38(
    policy_2025: contribpolicy.Policy,
) -> None:
    """Break 2022-2024 (3 years, under 4): both variable months back-paid away: 3 months."""
    payments = [pay(date(2025, 3, 10))] + [
        pay(date(2025, 3, 1), year=year, kind="back_payment") for year in (2023, 2024)
    ]
    result = cover(policy_2025, payments, insured_years="2021")
    assert (result.waiting_months, result.start) == (3, date(2025, 6, 10))


def test_a_back_payment_below_the_contribution_does_not_count_38(
    policy_2025: contribpolicy.Policy,
) -> None:
    """Back-paid at 300.00, not the current 400.00: the variable month stays."""
    payments = [
        pay(date(2025, 2, 10)),
        pay(date(2025, 2, 1), "300", year=2024, kind="back_payment"),
    ]
    result = cover(policy_2025, payments, insured_years="2022")
    assert (result.variable_months, result.back_paid_years) == (1, 0)


@pytest.mark.parametrize(
    ("paid", "start"),
    [
        (date(2025, 5, 30), date(2025, 3, 1)),  # day 90: covered from birth
        (date(2025, 5, 31), date(2025, 8, 31)),  # day 91: as anyone paying out of the period
    ],
)
def test_newborn_on_day_90_and_day_91_38(
    policy_2025: contribpolicy.Policy, paid: date, start: date
) -> None:
    """Born 2025-03-01: paid 90 days later, covered from birth; 91 days later, 3 months' wait."""
    result = policy_2025.coverage(
        {"person_id": "n-1", "birth_date": "2025-03-01", "residence": "local"}, [pay(paid)]
    )
    assert result.start == start


def test_assistance_status_waits_for_nothing_38(policy_2025: contribpolicy.Policy) -> None:
    """低保 after a break, paid by the government 2025-03-03: exempt, covered from that day."""
    payment = Payment("medical", 2025, Decimal(400), date(2025, 3, 3), "government", "regular")
    result = cover(policy_2025, [payment], statuses="dibao", insured_years="2020")
    assert (result.start, result.waiting_months) == (date(2025, 3, 3), 0)
    assert result.reasons[-1].code == "exempt"


def test_without_history_taken_as_continuously_enrolled_and_says_so(
    policy_2025: contribpolicy.Policy,
) -> None:
    """No insured_years: no break is assumed, and the first reason says why."""
    result = cover(policy_2025, [pay(date(2024, 10, 20))])
    assert (result.history_known, result.break_years, result.start) == (False, 0, date(2025, 1, 1))
    assert result.reasons[0].code == "no-history"


def test_not_paid_in_full_has_no_cover(policy_2025: contribpolicy.Policy) -> None:
    """300.00 of 400.00 paid: no cover until the rest is paid."""
    result = cover(policy_2025, [pay(date(2024, 10, 20), "300")])
    assert (result.covered, result.reasons[-1].code) == (False, "not-paid")


def test_waiting_past_the_year_end_is_no_cover_this_year(
    policy_2025: contribpolicy.Policy,
) -> None:
    """Paid 2025-10-15 outside the period: 3 months ends 2026-01-15, after the year."""
    result = cover(policy_2025, [pay(date(2025, 10, 15))], insured_years="2024")
    assert (result.start, result.reasons[-1].code) == (None, "too-late")


def test_not_eligible_has_no_cover_4(policy_2025: contribpolicy.Policy) -> None:
    """In the employee medical insurance (四): no resident cover, whatever was paid."""
    result = cover(policy_2025, [pay(date(2024, 10, 20))], employee_medical="1")
    assert (result.covered, result.reasons[-1].code) == (False, "not-eligible")


def test_death_during_the_year_ends_cover(policy_2025: contribpolicy.Policy) -> None:
    """Died 2025-07-01: covered 2025-01-01 to 2025-07-01."""
    result = cover(policy_2025, [pay(date(2024, 10, 20))], death_date="2025-07-01")
    assert (result.start, result.end) == (date(2025, 1, 1), date(2025, 7, 1))


def test_reasons_in_chinese(policy_2025: contribpolicy.Policy) -> None:
    """The reasons are text people read: from the catalog in Chinese."""
    result = policy_2025.coverage({**ADULT}, [pay(date(2025, 1, 1))], lang="zh")
    assert "固定等待期3个月" in [reason.text for reason in result.reasons]


def test_policy_case_with_a_wrong_cover_date_fails(
    policy_2025: contribpolicy.Policy, tmp_path: Path
) -> None:
    """A policy test case expecting the whole year for a payment after the period fails, at
    the expectation, naming the date the policy gives."""
    from contribpolicy.policytests import load_case_file, run_case

    path = tmp_path / "cover.yaml"
    path.write_text(
        "policy: " + str(POLICY) + "\n"
        "cases:\n"
        "  - name: late\n"
        "    person: {person_id: v, birth_date: 1980-02-02, residence: local}\n"
        "    payments: [{scheme: medical, year: 2025, amount: '400.00', date: 2025-01-01,"
        " channel: self}]\n"
        "    expect: {medical: {cover: {start: 2025-01-01}}}\n",
        encoding="utf-8",
    )
    cases = load_case_file(path)
    (failure,) = run_case(policy_2025, cases, cases.cases[0]).failures
    assert "medical cover start is 2025-04-01, expected 2025-01-01" in failure.message
    assert failure.location.line == 6


def test_cover_rules_changed_show_in_the_diff(policy_2025: contribpolicy.Policy) -> None:
    """A yearly update that changes the fixed waiting period is a change of the diff."""
    from contribpolicy.diff.compare import diff_policies

    text = POLICY.read_text(encoding="utf-8").replace("fixed_months: 3", "fixed_months: 2")
    changed = contribpolicy.loads_policy(text, file=str(POLICY))
    changes = diff_policies(policy_2025, changed).sections["coverage"]
    assert [(c.path, c.old, c.new) for c in changes] == [
        ("coverage.schemes.medical.waiting.fixed_months", 3, 2)
    ]


def test_cover_period_that_does_not_exist_is_refused_at_load() -> None:
    """coverage names a collection period by id: a wrong id is a load error at its line."""
    text = POLICY.read_text(encoding="utf-8").replace(
        "period: medical-concentrated", "period: medical-concentratd"
    )
    with pytest.raises(contribpolicy.PolicyError) as caught:
        contribpolicy.loads_policy(text, file=str(POLICY))
    (issue,) = caught.value.issues
    assert (issue.code, issue.location.pointer) == (
        "semantic.unknown-period",
        "/coverage/schemes/medical/period",
    )


def test_cover_period_for_other_schemes_is_a_finding() -> None:
    """A whole-year period declared for the pension only: check.coverage-period."""
    text = POLICY.read_text(encoding="utf-8").replace(
        "      schemes: [medical]\n      start: 2024-09-01",
        "      schemes: [pension]\n      start: 2024-09-01",
    )
    found = contribpolicy.check_policy(contribpolicy.loads_policy(text, file=str(POLICY)))
    assert [f.code for f in found if f.code.startswith("check.coverage")] == [
        "check.coverage-period"
    ]
