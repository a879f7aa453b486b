"""Rosters that lost or garbled rows silently (issue 15, items 3, 4 and 7).

A workbook whose sheet declares a `<dimension>` smaller than its rows was read short (10 people
declaring A1 gave `rows: 0`, exit 0); a quoted cell over the csv module's limit and many lines
made 5 people come out as 12 rows, two of them lost; an unclosed quote was blamed on the wrong
line; a UTF-8 roster with one GBK row was read whole as GB18030 (城市社区 became 鍩庡競绀惧尯).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from contribpolicy.cli import run

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
HEADER = "person_id,village,birth_date,residence,statuses,employee_pension,employee_medical,student"


def person(number: int, village: str = "城市社区") -> list[str]:
    return [f"p{number}", village, "1980-05-01", "local", "", "0", "0", "0"]


def batch(roster: Path, *options: str) -> tuple[int, list[list[str]], str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["batch", POLICY, str(roster), "--quiet", *options], out, err)
    rows = list(csv.reader(out.getvalue().splitlines()))
    return code, rows[1:], err.getvalue()


# --- item 3: a sheet's <dimension> is not trusted ---------------------------------------------


@pytest.mark.parametrize("declared", ["A1", "A1:C11"])
def test_xlsx_dimension_that_lies_does_not_drop_rows(tmp_path: Path, declared: str) -> None:
    """Ten people; the sheet says A1 (one cell) or A1:C11 (three columns): all ten, whole."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for number in range(1, 11):
        sheet.append(person(number))
    honest = tmp_path / "honest.xlsx"
    book.save(honest)
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(honest) as source, zipfile.ZipFile(lying, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{declared}"'.encode(), data
                )
                assert count == 1
            target.writestr(info, data)
    code, rows, err = batch(lying)
    assert code == 0, err
    assert [row[0] for row in rows] == [f"p{n}" for n in range(1, 11)]
    assert all(row[6] == "eligible" for row in rows)  # medical: residence read, not blamed


# --- item 4: a long quoted cell over many lines ---------------------------------------------------


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER.split(","))
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("way", ["--row-by-row", "--verbose"])
def test_long_quoted_cell_over_many_lines_costs_one_row(tmp_path: Path, way: str) -> None:
    """Five people, the third's village a 200,000-character cell over 1,000 lines: five rows,
    the third an error naming the lines of the cell, the others assessed."""
    long = "\n".join(["x" * 200] * 1000)
    rows = [person(1), person(2), person(3, long), person(4), person(5)]
    code, out, err = batch(write_rows(tmp_path / "r.csv", rows), way)
    assert code == 0, err
    assert [row[0] for row in out] == ["p1", "p2", "", "p4", "p5"]
    assert out[2][-1] == (
        "row 4: csv: a cell is longer than 131072 characters (a quoted cell from line 4 to line "
        "1003)"
    )


def test_short_quoted_cell_over_lines_keeps_the_row_accounting(tmp_path: Path) -> None:
    """A quoted line break in one cell: one row, at the line where it starts; later rows keep
    their own lines."""
    rows = [person(1), person(2, "a\nb\nc"), person(3, "-1")]
    code, out, _ = batch(write_rows(tmp_path / "r.csv", rows))
    assert code == 0
    assert [row[0] for row in out] == ["p1", "p2", "p3"]
    assert out[1][-1].startswith("row 3: village:")


def test_unclosed_quote_names_the_line_where_it_opens(tmp_path: Path) -> None:
    """A row (line 3) whose first quoted cell closes on line 4, where another quote opens and
    never closes: the quote opened on line 4, not where the row (or the first cell) began."""
    text = HEADER + '\np1,x,1980-05-01,local,,0,0,0\np2,"a\nb","never closed,local\np3,x\n'
    roster = tmp_path / "r.csv"
    roster.write_text(text, encoding="utf-8")
    code, _, err = batch(roster)
    assert code == 1
    assert "a quoted cell opened on line 4 is never closed: lines 4 to 5 would be one cell" in err


# --- item 7: one encoding from first byte to last -------------------------------------------------


def mixed(path: Path, encodings: list[str]) -> Path:
    """A roster whose row i is written in encodings[i] (the header is ASCII)."""
    data = (HEADER + "\n").encode("ascii")
    for number, encoding in enumerate(encodings, start=1):
        line = ",".join(person(number, ["城市社区", "花泉社区", "沈庄社区"][number % 3])) + "\n"
        data += line.encode(encoding)
    path.write_bytes(data)
    return path


def test_one_gbk_row_in_a_utf8_roster_is_named(tmp_path: Path) -> None:
    """UTF-8 rows read as UTF-8 (not garbled as GB18030); the GBK row is an error naming it."""
    roster = mixed(tmp_path / "r.csv", ["utf-8", "utf-8", "gbk", "utf-8"])
    code, out, err = batch(roster, "--row-by-row")
    assert code == 0, err
    assert [row[0] for row in out] == ["p1", "p2", "", "p4"]
    assert out[2][-1].startswith("row 4: encoding: line 4 is not UTF-8 text")
    summary = io.StringIO()
    run(
        ["batch", POLICY, str(roster), "--quiet", "-o", str(tmp_path / "o.csv")],
        summary,
        io.StringIO(),
    )
    assert "花泉社区" in summary.getvalue()
    assert "鍩" not in summary.getvalue()


def test_one_utf8_row_in_a_gbk_roster_is_named(tmp_path: Path) -> None:
    """A GB18030 file: its UTF-8 row would decode as GB18030 garbage; it is named instead."""
    roster = mixed(tmp_path / "r.csv", ["gbk", "gbk", "gbk", "utf-8"])
    code, out, err = batch(roster)
    assert code == 0, err
    assert [row[0] for row in out] == ["p1", "p2", "p3", ""]
    assert out[3][-1] == (
        "row 5: encoding: line 5 is UTF-8 text, while the file is GB18030: read as GB18030 it "
        "would be garbled; save the roster in one encoding"
    )


def test_wholly_gbk_roster_is_still_read(tmp_path: Path) -> None:
    roster = mixed(tmp_path / "r.csv", ["gbk", "gbk", "gbk"])
    code, out, _ = batch(roster)
    assert code == 0
    assert [row[0] for row in out] == ["p1", "p2", "p3"]
    assert all(row[6] == "eligible" for row in out)
