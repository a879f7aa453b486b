"""``contribpolicy reconcile``: exit codes, outputs, and the same answer from every input format."""

# openpyxl ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import openpyxl
import pytest

from contribpolicy.cli import run

POLICY_2025 = Path(__file__).resolve().parent.parent / "policies" / "2025.yaml"

ROSTER = [
    ["person_id", "village", "birth_date", "residence", "statuses", "pension_tier", "death_date"],
    ["P1", "王峪村", "1980-05-05", "local", "", "500", ""],
    ["P2", "王峪村", "1958-03-03", "local", "", "", ""],
    ["P3", "沃里村", "1990-01-01", "local", "dibao", "100", ""],
]
PAID = [
    ["person_id", "scheme", "year", "amount", "date", "channel", "kind"],
    ["P1", "medical", "2025", "400.00", "2024-11-02", "agent", "regular"],
    ["P1", "pension", "2025", "500", "2024-11-02", "agent", "regular"],
    ["P2", "medical", "2025", "200", "2024-10-20", "self", "regular"],
    ["P2", "medical", "2025", "200", "2024-10-21", "government", "regular"],
    ["P3", "medical", "2025", "400", "2024-10-21", "government", "regular"],
    ["P3", "pension", "2025", "100", "2024-10-21", "government", "regular"],
]


def save(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> str:
    if path.suffix == ".xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        book.save(path)
    else:
        with open(path, "w", encoding=encoding, newline="") as out:
            csv.writer(out).writerows(rows)
    return str(path)


def reconcile(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["reconcile", str(POLICY_2025), *args], out, err)
    return code, out.getvalue(), err.getvalue()


def test_everyone_paid_exits_0_and_balances(tmp_path: Path) -> None:
    """Every person paid what is due through the right channel: exit 0, the books balance."""
    roster = save(tmp_path / "roster.csv", ROSTER)
    payments = save(tmp_path / "payments.csv", PAID)
    code, out, err = reconcile(roster, payments, "-o", str(tmp_path / "out.csv"))
    assert (code, err) == (0, "")
    assert "Everything balances." in out
    assert "total: collected 1800.00 = dues of those who paid 1800.00 + overpaid 0.00" in out


def test_anything_to_act_on_exits_1(tmp_path: Path) -> None:
    """A payment that matches nobody: exit 1, and its row says so."""
    roster = save(tmp_path / "roster.csv", ROSTER)
    stray = ["P9", "medical", "2025", "400", "2024-11-02", "agent", "regular"]
    payments = save(tmp_path / "payments.csv", [*PAID, stray])
    code, _out, _err = reconcile(roster, payments, "-o", str(tmp_path / "out.csv"))
    assert code == 1
    with open(tmp_path / "out.csv", encoding="utf-8") as written:
        rows = list(csv.DictReader(written))
    assert [r["person_id"] for r in rows if r["status"] == "not_on_roster"] == ["P9"]


def test_a_file_that_cannot_be_read_exits_2(tmp_path: Path) -> None:
    """A payments file without its identity column could not be reconciled at all."""
    roster = save(tmp_path / "roster.csv", ROSTER)
    payments = save(tmp_path / "payments.csv", [row[1:] for row in PAID])
    code, _out, err = reconcile(roster, payments, "-o", str(tmp_path / "out.csv"))
    assert code == 2
    assert err.startswith(f"{payments}: error: row 1: person_id")


def test_output_never_overwrites_an_input(tmp_path: Path) -> None:
    """``-o`` naming the payments file is refused before anything is written."""
    roster = save(tmp_path / "roster.csv", ROSTER)
    payments = save(tmp_path / "payments.csv", PAID)
    code, _out, _err = reconcile(roster, payments, "-o", payments)
    assert code == 2
    assert Path(payments).read_text(encoding="utf-8").startswith("person_id,scheme")


@pytest.mark.parametrize(
    ("suffix", "encoding"), [(".csv", "gb18030"), (".xlsx", "utf-8"), (".csv", "utf-8-sig")]
)
def test_same_reconciliation_from_every_format(tmp_path: Path, suffix: str, encoding: str) -> None:
    """A roster and payments as UTF-8 CSV, GB18030 CSV or .xlsx reconcile to the same rows."""
    stray = ["P9", "medical", "2025", "400", "2024-11-02", "agent", "regular"]
    plain = tmp_path / "plain"
    plain.mkdir()
    expected = reconcile(
        save(plain / "roster.csv", ROSTER),
        save(plain / "payments.csv", [*PAID, stray]),
        "-o",
        str(plain / "out.csv"),
    )
    code, out, _err = reconcile(
        save(tmp_path / f"roster{suffix}", ROSTER, encoding),
        save(tmp_path / f"payments{suffix}", [*PAID, stray], encoding),
        "-o",
        str(tmp_path / "out.csv"),
    )
    assert (code, out.split("\n")[1:]) == (expected[0], expected[1].split("\n")[1:])
    assert (tmp_path / "out.csv").read_bytes() == (plain / "out.csv").read_bytes()


def test_workbook_has_a_sheet_per_status_and_a_summary(tmp_path: Path) -> None:
    """``-o OUT.xlsx``: the summary sheet first, then one sheet per status with its rows."""
    roster = save(tmp_path / "roster.csv", ROSTER)
    payments = save(tmp_path / "payments.csv", PAID)
    code, _out, _err = reconcile(roster, payments, "-o", str(tmp_path / "out.xlsx"))
    assert code == 0
    book = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    assert book.sheetnames[0] == "summary"
    paid = list(book["paid"].iter_rows(values_only=True))
    assert len(paid) == 1 + 5  # header; P1 both schemes, P2 medical, P3 both schemes
    book.close()


def test_problems_or_summary_through_a_link_to_an_input_are_refused(tmp_path: Path) -> None:
    """--problems and --summary too, links resolved (issue 15: every output of every command)."""
    roster = save(tmp_path / "roster.csv", ROSTER)
    payments = save(tmp_path / "payments.csv", PAID)
    (tmp_path / "alias.csv").symlink_to(payments)
    os.link(roster, tmp_path / "hard.csv")
    out = str(tmp_path / "out.csv")
    for option, path in (("--problems", "alias.csv"), ("--summary", "hard.csv")):
        code, _out, err = reconcile(roster, payments, "-o", out, option, str(tmp_path / path))
        assert code == 2, option
        assert "is a symbolic link" in err or "is the same file as the roster" in err
    assert Path(payments).read_text(encoding="utf-8").startswith("person_id,scheme")


EXAMPLES = POLICY_2025.parent.parent / "examples"


def test_example_payments_hold_every_situation(tmp_path: Path) -> None:
    """The shipped example reconciles to every status, balances, and exits 1 (to act on)."""
    code, out, _err = reconcile(
        str(EXAMPLES / "roster-2025-collection.csv"),
        str(EXAMPLES / "payments-2025.csv"),
        "-o",
        str(tmp_path / "out.csv"),
    )
    assert code == 1
    assert "Everything balances." in out
    with open(tmp_path / "out.csv", encoding="utf-8") as written:
        statuses = {row["status"] for row in csv.DictReader(written)}
    assert statuses == {
        "paid", "underpaid", "overpaid", "unpaid", "duplicate", "not_on_roster", "deceased",
        "not_eligible", "government_via_agent",
    }  # fmt: skip
    assert "unreadable: 3" in out


def test_example_files_are_what_the_generator_writes(tmp_path: Path) -> None:
    """examples/payments-2025.csv and the collection roster come from the seeded generator."""
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, str(EXAMPLES / "generate_payments.py"), "--roster",
         str(EXAMPLES / "roster-2025.csv"), "--with-bad-rows", "--roster-out",
         str(tmp_path / "roster.csv"), "-o", str(tmp_path / "payments.csv")],
        check=True,
    )  # fmt: skip
    assert (tmp_path / "payments.csv").read_bytes() == (EXAMPLES / "payments-2025.csv").read_bytes()
    roster = (tmp_path / "roster.csv").read_bytes()
    assert roster == (EXAMPLES / "roster-2025-collection.csv").read_bytes()
