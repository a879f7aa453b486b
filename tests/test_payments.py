"""Payment files read like rosters: every row a payment or a problem naming line and field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import contribpolicy
from contribpolicy.collection import Payment, read_payments

HEADER = "person_id,id_number,scheme,year,amount,date,channel,kind\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "payments.csv"
    path.write_text(text, encoding=encoding)
    return str(path)


def test_a_good_row_is_a_payment(tmp_path: Path, policy_2025: contribpolicy.Policy) -> None:
    """Every column read into its type; a blank kind is regular."""
    path = write(tmp_path, HEADER + "SC1,,medical,2025,400.00,2024-11-02,agent,\n")
    found = read_payments(path, policy_2025)
    assert found.payments == (
        Payment("medical", 2025, Decimal("400.00"), date(2024, 11, 2), "agent", "regular",
                "SC1", None, 2),
    )  # fmt: skip
    assert found.problems == ()


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (",,medical,2025,400,2024-11-02,agent,", "person_id"),
        ("SC1,,dental,2025,400,2024-11-02,agent,", "scheme"),
        ("SC1,,medical,2024,400,2024-11-02,agent,regular", "year"),
        ("SC1,,medical,2026,400,2024-11-02,agent,back_payment", "year"),
        ("SC1,,medical,2025,4OO,2024-11-02,agent,", "amount"),
        ("SC1,,medical,2025,400.001,2024-11-02,agent,", "amount"),
        ("SC1,,medical,2025,0,2024-11-02,agent,", "amount"),
        ("SC1,,medical,2025,400,2024-02-30,agent,", "date"),
        ("SC1,,medical,2025,400,2024-11-02,,", "channel"),
        ("SC1,,medical,2025,400,2024-11-02,bank,", "channel"),
        ("SC1,,medical,2025,400,2024-11-02,agent,refund", "kind"),
        ("SC1,370406198001011234,medical,2025,400,2024-11-02,agent,", "id_number"),
        ("SC1,,medical,2025,400,2024-11-02", "cells"),
    ],
)
def test_a_bad_row_is_named_by_line_and_field(
    tmp_path: Path, policy_2025: contribpolicy.Policy, row: str, field: str
) -> None:
    """The bad row is line 3 (the header is line 1); the good rows around it are kept."""
    good = "SC2,,medical,2025,400,2024-11-02,self,\n"
    path = write(tmp_path, HEADER + good + row + "\n" + good)
    found = read_payments(path, policy_2025)
    assert [(p.row, p.field) for p in found.problems] == [(3, field)]
    assert [p.line for p in found.payments] == [2, 4]
    assert found.rows == 3


def test_id_number_alone_names_the_person(
    tmp_path: Path, policy_2025: contribpolicy.Policy
) -> None:
    """A tax export may carry only the ID number: the payment is keyed by it."""
    path = write(tmp_path, HEADER + ",37040620231001474X,medical,2025,400,2024-11-02,self,\n")
    (payment,) = read_payments(path, policy_2025).payments
    assert payment.key == "id:37040620231001474X"


def test_chinese_channel_and_kind_words(tmp_path: Path, policy_2025: contribpolicy.Policy) -> None:
    """委托代收 and 补缴 as a Chinese export writes them, in a GB18030 file."""
    path = write(
        tmp_path, HEADER + "SC1,,medical,2024,400,2025-03-01,委托代收,补缴\n", encoding="gb18030"
    )
    (payment,) = read_payments(path, policy_2025).payments
    assert (payment.channel, payment.kind, payment.year) == ("agent", "back_payment", 2024)


def test_header_needs_an_identity_column(tmp_path: Path, policy_2025: contribpolicy.Policy) -> None:
    """Neither person_id nor id_number: the file is refused at its header line."""
    path = write(tmp_path, "scheme,year,amount,date,channel\nmedical,2025,400,2024-11-02,self\n")
    with pytest.raises(contribpolicy.InputError) as caught:
        read_payments(path, policy_2025)
    assert (caught.value.field, caught.value.row) == ("person_id", 1)
