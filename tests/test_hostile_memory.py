"""Rosters whose memory is bounded before they are read (issue 15, item 11).

A 1 MB .xlsx with a 1 GiB cell reached 2.86 GB (a MemoryError traceback with --errors); a 3 MB
zip of whitespace 3.17 GB; a 20 MB CSV of blank lines 1.7 GB on the columnar path and minutes
on both. Each is refused first, with a message saying what the file is.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from contribpolicy.cli import run
from contribpolicy.rosters import _limits
from contribpolicy.rosters.reader import MAX_BLANK_LINES

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
HEADER = "person_id,birth_date,residence,statuses,employee_pension,employee_medical,student\n"


def batch(roster: Path, *options: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["batch", POLICY, str(roster), "--quiet", *options], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("way", ["--row-by-row", "--verbose"])
def test_csv_of_blank_lines_is_refused_once_past_the_limit(tmp_path: Path, way: str) -> None:
    """A header and 200,000 blank lines: a file error at the first blank line past the limit,
    on both paths (the columnar one never builds a block of them)."""
    roster = tmp_path / "blank.csv"
    roster.write_text(HEADER + "\n" * 200_000, encoding="utf-8")
    code, _, err = batch(roster, way)
    assert code == 1
    assert (
        f"more than {MAX_BLANK_LINES} blank lines (the last read at line {MAX_BLANK_LINES + 2})"
        in err
    )


def test_a_few_blank_lines_are_still_skipped(tmp_path: Path) -> None:
    roster = tmp_path / "few.csv"
    roster.write_text(HEADER + "\n" * 50 + "p1,1980-05-01,local,,0,0,0\n", encoding="utf-8")
    code, out, _ = batch(roster)
    assert code == 0
    assert "\np1,error," in out or "\np1,eligible," in out or "\np1,not_paying," in out


def workbook_with(tmp_path: Path, name: str, data: bytes) -> Path:
    """A real workbook with one entry replaced (or added) by ``data``."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(HEADER.strip().split(","))
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    hostile = tmp_path / "hostile.xlsx"
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        target.writestr(name, data)
    return hostile


def test_whitespace_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    """20 MB of whitespace packed into about 20 KB: refused by its packing ratio."""
    roster = workbook_with(tmp_path, "xl/worksheets/sheet1.xml", b" " * (20 << 20))
    code, _, err = batch(roster)
    assert code == 1
    assert "xl/worksheets/sheet1.xml unpacks " in err
    assert "filler, not a roster (a zip bomb)" in err


def test_workbook_over_the_unpacked_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook unpacking past MAX_UNPACKED_BYTES (made small here) is refused whole."""
    monkeypatch.setattr(_limits, "MAX_UNPACKED_BYTES", 4096)
    roster = workbook_with(tmp_path, "xl/sharedStrings.xml", bytes(range(256)) * 64)
    code, _, err = batch(roster, "--errors", str(tmp_path / "errors.csv"))
    assert code == 1
    assert "over the limit of 0.0 MB for a workbook roster; save it as CSV" in err
    assert not (tmp_path / "errors.csv").exists()


def test_parquet_row_group_over_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are read a row group at a time: one unpacking past the limit is refused first."""
    pa = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setattr(_limits, "MAX_UNPACKED_BYTES", 1000)
    table = pa.table({"person_id": [f"p{i}" for i in range(500)], "village": ["x" * 20] * 500})
    path = tmp_path / "r.parquet"
    parquet.write_table(table, path)
    code, _, err = batch(path)
    assert code == 1
    assert "row group 0 unpacks to " in err
    assert "write the file with smaller row groups" in err


def test_blank_line_file_stays_under_one_gib(tmp_path: Path) -> None:
    """The issue's 20 MB of blank lines, run as a command with its address space capped at
    1 GiB (it reached 1.7 GB on the columnar path): the file error, no MemoryError."""
    import resource
    import subprocess
    import sys

    roster = tmp_path / "blank.csv"
    roster.write_bytes(HEADER.encode() + b"\n" * (20 << 20))

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    command = [sys.executable, "-m", "contribpolicy", "batch", POLICY, str(roster), "--quiet"]
    done = subprocess.run(
        [*command, "-o", str(tmp_path / "out.csv")],
        capture_output=True, text=True, preexec_fn=cap, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "more than 10000 blank lines" in done.stderr
    assert "MemoryError" not in done.stderr
