"""Reconciliation (钱表相符, 七（二）): every status worked out by hand under the 2025 policy.

Medical 2025 (五（一）): the contribution is the individual standard 400.00; the government pays
all of it for assistance statuses (代缴 through the special channel, 五（三）3) and half of it at
60-69; a sponsor covers what is left. Pension: the tier chosen is the contribution.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import contribpolicy
from contribpolicy.collection import (
    STATUSES,
    Payment,
    ReconciliationRow,
    reconcile,
)

Y = 2025


def person(person_id: str, **fields: str) -> dict[str, str]:
    record = {
        "person_id": person_id,
        "village": "王峪村",
        "birth_date": "1980-05-05",
        "residence": "local",
        "pension_tier": "500",
    }
    record.update(fields)
    return record


def pay(person_id: str, amount: str, channel: str = "agent", **fields: object) -> Payment:
    values: dict[str, object] = {
        "scheme": "medical",
        "year": Y,
        "amount": Decimal(amount),
        "date": date(2024, 11, 2),
        "channel": channel,
        "person_id": person_id,
    }
    values.update(fields)
    return Payment(**values)  # type: ignore[arg-type]


def medical(rows: tuple[ReconciliationRow, ...], person_id: str) -> ReconciliationRow:
    (row,) = [r for r in rows if r.person_id == person_id and r.scheme == "medical"]
    return row


@pytest.fixture(scope="module")
def result(policy_2025: contribpolicy.Policy) -> contribpolicy.collection.Reconciliation:
    roster = [
        person("A"),
        person("B"),
        person("C"),
        person("D"),
        person("E"),
        person("G", death_date="2024-12-01"),
        person("H", employee_medical="1"),
        person("I", statuses="dibao"),
        person("J", birth_date="1958-03-03", pension_tier=""),
        person("K", medical_sponsor="100"),
    ]
    payments = [
        pay("A", "400"),
        pay("B", "300"),
        pay("C", "500", "self"),
        pay("E", "400", "agent"),
        pay("E", "400", "self", date=date(2024, 12, 5)),
        pay("ZZ999", "400"),
        pay("G", "400"),
        pay("H", "400"),
        pay("I", "400", "agent"),
        pay("J", "200", "agent"),
        pay("J", "200", "government"),
        pay("K", "300", "self"),
        pay("K", "100", "sponsor"),
    ]
    return reconcile(policy_2025, roster, payments)


def test_paid_in_full_is_paid_7_2(result: contribpolicy.collection.Reconciliation) -> None:
    """400.00 due, 400.00 paid by the agent: paid, nothing to refund (七（二）)."""
    row = medical(result.rows, "A")
    assert (row.status, row.due, row.paid, row.difference, row.refund) == (
        "paid", Decimal("400.00"), Decimal("400.00"), Decimal("0.00"), Decimal("0.00")
    )  # fmt: skip


def test_less_than_due_is_underpaid_7_2(result: contribpolicy.collection.Reconciliation) -> None:
    """300.00 of 400.00: underpaid by 100.00."""
    row = medical(result.rows, "B")
    assert (row.status, row.difference) == ("underpaid", Decimal("-100.00"))


def test_more_than_due_is_overpaid_with_refund_to_person_6_6(
    result: contribpolicy.collection.Reconciliation,
) -> None:
    """500.00 paid by the person for 400.00 due: 100.00 back to the person."""
    row = medical(result.rows, "C")
    assert (row.status, row.refund, row.refund_to) == ("overpaid", Decimal("100.00"), "person")


def test_nothing_paid_is_unpaid_7_2(result: contribpolicy.collection.Reconciliation) -> None:
    """No payment, 400.00 due: unpaid, to act on."""
    row = medical(result.rows, "D")
    assert (row.status, row.due, row.paid) == ("unpaid", Decimal("400.00"), Decimal("0.00"))


def test_paid_twice_across_channels_is_duplicate_6_2_6(
    result: contribpolicy.collection.Reconciliation,
) -> None:
    """By the agent and by the person (六（二）6 重复缴费): one 400.00 is refunded to the person."""
    row = medical(result.rows, "E")
    assert (row.status, row.paid, row.refund, row.refund_to) == (
        "duplicate", Decimal("800.00"), Decimal("400.00"), "person"
    )  # fmt: skip
    assert row.channel == "agent;self"


def test_payment_for_unknown_person_is_not_on_roster(
    result: contribpolicy.collection.Reconciliation,
) -> None:
    """A payment for someone the roster does not hold: a row of its own, refunded in full."""
    (row,) = [r for r in result.rows if r.status == "not_on_roster"]
    assert (row.person_id, row.due, row.paid, row.refund, row.refund_to) == (
        "ZZ999", Decimal("0.00"), Decimal("400.00"), Decimal("400.00"), "person"
    )  # fmt: skip


def test_paid_after_death_is_deceased_refund_to_heirs_6_6(
    result: contribpolicy.collection.Reconciliation,
) -> None:
    """Died 2024-12-01, before 2025 began (六（六）): nothing due, 400.00 to the heirs."""
    row = medical(result.rows, "G")
    assert (row.status, row.due, row.refund, row.refund_to) == (
        "deceased", Decimal("0.00"), Decimal("400.00"), "heirs"
    )  # fmt: skip


def test_paid_while_in_employee_scheme_is_not_eligible_4(
    result: contribpolicy.collection.Reconciliation,
) -> None:
    """In the employee medical scheme (四): not eligible, the 400.00 is refunded (退费)."""
    row = medical(result.rows, "H")
    assert (row.status, row.refund, row.refund_to) == ("not_eligible", Decimal("400.00"), "person")


def test_agent_collecting_the_government_part_5_3_3(
    result: contribpolicy.collection.Reconciliation,
) -> None:
    """低保: the government pays the 400.00 (五（一）) through the special channel (五（三）3);
    an agent collected it from the person: 400.00 back to the person."""
    row = medical(result.rows, "I")
    assert (row.status, row.due, row.refund, row.refund_to) == (
        "government_via_agent", Decimal("400.00"), Decimal("400.00"), "person"
    )  # fmt: skip


def test_half_by_person_half_by_government_at_60_69_is_paid_5_1(
    result: contribpolicy.collection.Reconciliation,
) -> None:
    """Aged 66: 200.00 personally and 200.00 by the government is one contribution, not two."""
    row = medical(result.rows, "J")
    assert (row.status, row.due, row.paid, row.channel) == (
        "paid", Decimal("400.00"), Decimal("400.00"), "agent;government"
    )  # fmt: skip


def test_sponsor_and_person_together_are_paid_5_1(
    result: contribpolicy.collection.Reconciliation,
) -> None:
    """A 100.00 sponsorship and 300.00 paid by the person: paid."""
    assert medical(result.rows, "K").status == "paid"


def test_balance_worked_by_hand_7_2(result: contribpolicy.collection.Reconciliation) -> None:
    """Collected 4,400.00 = dues of those who paid 2,800.00 (A B C E I J K at 400.00; 0.00 for
    G, dead, and H, not eligible) + overpaid 1,300.00 (C 100, E 400, G 400, H 400) - underpaid
    100.00 (B) + matching nobody 400.00 (ZZ999)."""
    total = result.summary.total
    money = result.summary.money
    assert money(total.collected) == Decimal("4400.00")
    assert money(total.dues) == Decimal("2800.00")
    assert money(total.over) == Decimal("1300.00")
    assert money(total.under) == Decimal("100.00")
    assert money(total.unmatched) == Decimal("400.00")
    assert result.summary.balanced
    assert result.summary.exit_code == 1


def test_every_status_appears_and_no_other(result: contribpolicy.collection.Reconciliation) -> None:
    """The statuses are exactly the nine of the issue, and this roster shows each of them."""
    assert {row.status for row in result.rows} == set(STATUSES)
