"""Number cells in rosters (issue 12): IDs stored as numbers refused, date serials read as dates,
every other number read exactly or refused, never guessed."""

# openpyxl ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from contribpolicy.cli import run
from contribpolicy.rosters._cells import NumberCell

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
HEADER = ["person_id", "id_number", "village", "birth_date", "residence", "pension_tier"]
#: Valid 18-digit IDs (check digits computed by GB 11643) of people born 1981-09-02.
IDS = ["370406198109025755", "370406198109025771", "370406198109025798", "370406198109025827"]


def batch(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["batch", POLICY, *args, "--quiet"], out, err)
    return code, out.getvalue(), err.getvalue()


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def output_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_numeric_id_cells_are_error_rows_and_no_made_up_id_is_written(tmp_path: Path) -> None:
    """Rows 2 and 4 hold their ID numbers as numbers (Excel's float): exactly those rows are
    error rows saying so, every other row is assessed, and no output row carries an ID (nor a
    repeat) that is not in the input."""
    rows: list[list[object]] = [
        ["p1", float(IDS[0]), "东村", None, "local", 350],
        ["p2", IDS[1], "东村", None, "local", 350],
        ["p3", float(IDS[2]), "东村", None, "local", 350],
        ["p4", IDS[3], "东村", None, "local", 350],
    ]
    roster = workbook(tmp_path / "r.xlsx", rows)
    out = tmp_path / "out.csv"
    code, _, err = batch(str(roster), "-o", str(out))
    assert code == 0, err
    result = output_rows(out)
    errors = [row["person_id"] for row in result if row["pension_status"] == "error"]
    assert errors == ["p1", "p3"]
    assert all("was stored as a number" in row["message"] for row in result[::2])
    assert "format the column as Text" in result[0]["message"]
    assert [row["pension_status"] for row in result[1::2]] == ["eligible", "eligible"]
    assert "repeated identities" not in out.read_text(encoding="utf-8")


def test_big_numeric_person_id_is_refused_and_not_carried(tmp_path: Path) -> None:
    """A person_id typed as an 18-digit number is refused and left out of the output row
    (its digits would be made up); a small whole number is read exactly."""
    rows: list[list[object]] = [
        [370406198109025755.0, IDS[0], "东村", None, "local", 350],
        [1001, IDS[1], "东村", None, "local", 350],
    ]
    out = tmp_path / "out.csv"
    code, _, _ = batch(str(workbook(tmp_path / "r.xlsx", rows)), "-o", str(out))
    assert code == 0
    first, second = output_rows(out)
    assert first["person_id"] == ""
    assert "person_id: was stored as a number (3.70406198109026E+17)" in first["message"]
    assert second["person_id"] == "1001"
    assert second["pension_status"] == "eligible"


def test_scientific_notation_ids_in_a_csv_are_refused_alike_on_both_paths(tmp_path: Path) -> None:
    """A CSV saved by Excel holds 3.70406E+17 for a number-typed ID: an error row, the same from
    the columnar path and the row-by-row reader, and two such rows are no repeat."""
    roster = tmp_path / "r.csv"
    lines = [",".join(HEADER), "p1,3.70406E+17,东村,,local,350", "p2,3.70406E+17,东村,,local,350"]
    lines += [f"p3,{IDS[0]},东村,,local,350", "3.70406E+17,,东村,1980-01-01,local,350"]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast, slow = tmp_path / "fast.csv", tmp_path / "slow.csv"
    assert batch(str(roster), "-o", str(fast))[0] == 0
    assert batch(str(roster), "-o", str(slow), "--row-by-row")[0] == 0
    assert fast.read_bytes() == slow.read_bytes()
    result = output_rows(slow)
    assert [row["pension_status"] for row in result] == ["error", "error", "eligible", "error"]
    assert [row["person_id"] for row in result] == ["p1", "p2", "p3", ""]
    assert "repeats" not in slow.read_text(encoding="utf-8")


def test_excel_date_serial_in_a_date_column_is_that_date(tmp_path: Path) -> None:
    """29,647 in a General-format birth_date cell is 1981-03-01 (Excel's 1900 system): the same
    amounts as the row with the date typed as text."""
    rows: list[list[object]] = [
        ["p1", None, "东村", 29647, "local", 350],
        ["p2", None, "东村", "1981-03-01", "local", 350],
        ["p3", None, "东村", datetime.datetime(1981, 3, 1), "local", 350],
    ]
    out = tmp_path / "out.csv"
    assert batch(str(workbook(tmp_path / "r.xlsx", rows)), "-o", str(out))[0] == 0
    first, second, third = output_rows(out)
    assert first["pension_status"] == "eligible"
    assert {k: v for k, v in first.items() if k != "person_id"} == {
        k: v for k, v in second.items() if k != "person_id"
    }
    assert third["pension_total"] == second["pension_total"]


def test_fractional_serial_or_inexact_number_is_refused(tmp_path: Path) -> None:
    """A date serial with a time of day, and a tier 350.0000000000001 (a formula's float), are
    refused with what the cell held, not rounded into something nobody typed."""
    rows: list[list[object]] = [
        ["p1", None, "东村", 29647.5, "local", 350],
        ["p2", None, "东村", "1981-03-01", "local", 350 + 1e-13],
        ["p3", None, "东村", "1981-03-01", "local", 350],
    ]
    out = tmp_path / "out.csv"
    assert batch(str(workbook(tmp_path / "r.xlsx", rows)), "-o", str(out))[0] == 0
    first, second, _ = output_rows(out)
    assert "birth_date: holds the number 29647.5, not a date" in first["message"]
    assert second["pension_status"] == "error"
    assert "pension_tier: holds 350" in second["message"]
    assert "more digits than Excel keeps" in second["message"]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_cell_text_is_exact_or_flagged(number: float) -> None:
    """A number cell's text is either exactly the number with at most 15 significant digits,
    or flagged inexact: never a silently different number."""
    cell = NumberCell(number)
    if cell.exact:
        assert float(cell) == number
        digits = str(cell).lower().partition("e")[0].lstrip("-").replace(".", "").strip("0")
        assert len(digits) <= 15
    else:
        assert number.is_integer() or len(repr(number).partition("e")[0]) > 15


@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_integer_cells_are_exact(number: int) -> None:
    """An integer cell (a workbook stores it without a decimal point) is its digits."""
    assert str(NumberCell(number)) == str(number)
    assert NumberCell(number).exact
