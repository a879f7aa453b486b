"""Outputs a hostile roster or policy cannot turn against the operator (issue 15, items 5, 6,
12, 13).

An output path equal to an input replaced it; `-o` onto a link or a device replaced it with a
plain file; the `--errors` CSV copied `=1+1` raw; a policy label starting with `=` became a
formula in the .xlsx header; Parquet stored person_id `-12` as `'-12`; the .xlsx bytes changed
from run to run; a raw NUL from a person_id was copied into error rows; duplicate keys in
`--person` JSON were resolved silently.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import time
from pathlib import Path

import pytest

from _policy_edit import POLICY_TEXT, write
from contribpolicy.cli import run

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
HEADER = "person_id,birth_date,residence,statuses,employee_pension,employee_medical,student\n"
ROW = "{},1980-05-01,local,,0,0,0\n"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def roster(tmp_path: Path, *person_ids: str, name: str = "roster.csv") -> Path:
    """A roster of ordinary adults with these person_ids, quoted as a spreadsheet would."""
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER.strip().split(","))
        for pid in person_ids:
            writer.writerow([pid, *ROW.strip().split(",")[1:]])
    return path


# --- item 5: an output is never an input, a link, a device or a FIFO -----------------------------


@pytest.mark.parametrize("option", ["-o", "--errors", "--summary-json"])
def test_output_equal_to_the_roster_is_refused(tmp_path: Path, option: str) -> None:
    path = roster(tmp_path, "a1")
    before = path.read_bytes()
    code, _, err = cli("batch", POLICY, str(path), option, str(path), "--quiet")
    assert code == 2
    assert err == f"{path}: is the same file as the roster: {option} would replace it\n"
    assert path.read_bytes() == before


def test_errors_file_equal_to_the_policy_is_refused(tmp_path: Path) -> None:
    policy = write(tmp_path, POLICY_TEXT)
    before = policy.read_bytes()
    code, _, err = cli("batch", str(policy), str(roster(tmp_path, "a1")), "--errors", str(policy))
    assert code == 2
    assert "is the same file as the policy: --errors would replace it" in err
    assert policy.read_bytes() == before


def test_output_through_a_link_or_hard_link_to_the_roster_is_refused(tmp_path: Path) -> None:
    path = roster(tmp_path, "a1")
    os.link(path, tmp_path / "hard.csv")
    (tmp_path / "soft.csv").symlink_to(path)
    for other in ("hard.csv", "soft.csv"):
        code, _, _err = cli("batch", POLICY, str(path), "-o", str(tmp_path / other), "--quiet")
        assert code == 2, other
    assert (tmp_path / "soft.csv").is_symlink()


def test_output_onto_a_symlink_is_refused(tmp_path: Path) -> None:
    """A link elsewhere: renaming over it would replace the link, not write its target."""
    target = tmp_path / "target.csv"
    target.write_text("previous\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(target)
    code, _, err = cli(
        "batch", POLICY, str(roster(tmp_path, "a1")), "-o", str(tmp_path / "link.csv")
    )
    assert code == 2
    assert "is a symbolic link" in err
    assert (tmp_path / "link.csv").is_symlink()


def test_output_onto_a_device_is_refused(tmp_path: Path) -> None:
    """A character device (a copy of /dev/null's, made in tmp_path: were the check to fail, the
    test must not replace the real one) is refused, and stays a device."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    code, _, err = cli("batch", POLICY, str(roster(tmp_path, "a1")), "-o", str(device))
    assert (code, err) == (
        2,
        f"{device}: is a character device, not a file an output may replace\n",
    )
    assert device.is_char_device()


def test_output_onto_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    code, _, err = cli("batch", POLICY, str(roster(tmp_path, "a1")), "-o", str(fifo))
    assert code == 2
    assert "is a FIFO (named pipe), not a file" in err


def test_two_outputs_naming_one_file_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    code, _, err = cli(
        "batch", POLICY, str(roster(tmp_path, "a1")), "-o", str(out), "--errors", str(out)
    )
    assert code == 2
    assert err == f"{out}: is the same file as the output of -o: --errors would replace it\n"
    assert not out.exists()


# --- item 6: one escaping rule for every spreadsheet-bound output -------------------------------

HOSTILE_IDS = ("=1+1", '=HYPERLINK("http://x","y")', "@P5", "+1", "-12")


@pytest.mark.parametrize("way", ["--row-by-row", "--verbose"])
def test_main_and_errors_csv_escape_formulas(tmp_path: Path, way: str) -> None:
    """Refused ids (=, +, @) and accepted `-12`: a leading ' in both CSVs, on both paths."""
    path = roster(tmp_path, *HOSTILE_IDS)
    out, errors = tmp_path / "out.csv", tmp_path / "errors.csv"
    code, _, err = cli("batch", POLICY, str(path), "-o", str(out), "--errors", str(errors), way)
    assert code == 0, err
    ids = [row[0] for row in csv.reader(out.read_text("utf-8").splitlines()[1:])]
    assert ids == ["'" + pid for pid in HOSTILE_IDS]
    error_rows = list(csv.reader(errors.read_text("utf-8-sig").splitlines()))[1:]
    assert [row[3] for row in error_rows] == ["'" + pid for pid in HOSTILE_IDS[:4]]
    for row in error_rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row


def test_parquet_keeps_person_id_as_data(tmp_path: Path) -> None:
    """Parquet is read by programs: `-12` stays `-12`, as evaluate_table returns it."""
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "out.parquet"
    assert cli("batch", POLICY, str(roster(tmp_path, "-12", "=1")), "-o", str(out))[0] == 0
    assert pq.read_table(out).column("person_id").to_pylist() == ["-12", "=1"]


def test_xlsx_cells_and_policy_labels_never_become_formulas(tmp_path: Path) -> None:
    """A scheme label `=1+1` in the Chinese header and person_ids: text cells, not formulas."""
    openpyxl = pytest.importorskip("openpyxl")
    label = "    label: 城乡居民基本养老保险\n"
    text = POLICY_TEXT.replace(label, '    label: "=1+1"\n', 1)
    assert text != POLICY_TEXT
    policy = write(tmp_path, text)
    out = tmp_path / "out.xlsx"
    code, _, err = cli(
        "batch", str(policy), str(roster(tmp_path, *HOSTILE_IDS)), "-o", str(out), "--labels", "zh"
    )
    assert code == 0, err
    sheet = openpyxl.load_workbook(out).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert any(str(cell.value).startswith("'=1+1") for cell in cells[:12])
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["'" + p for p in HOSTILE_IDS]


def test_invisible_characters_from_a_person_id_are_escaped_in_error_rows(tmp_path: Path) -> None:
    """A raw NUL or zero-width space in person_id: the error row shows `\\x00`, `\\u200b`."""
    path = tmp_path / "roster.csv"
    text = HEADER + ROW.format("a\x00b") + ROW.format("c\u200bd") + ROW.format("ok")
    path.write_text(text, encoding="utf-8")
    for way in ("--row-by-row", "--verbose"):
        out = tmp_path / f"out{way}.csv"
        assert cli("batch", POLICY, str(path), "-o", str(out), way)[0] == 0
        text = out.read_text("utf-8")
        assert "\x00" not in text
        assert "\u200b" not in text
        ids = [row[0] for row in csv.reader(text.splitlines()[1:])]
        assert ids == ["a\\x00b", "c\\u200bd", "ok"]


# --- item 12: the same inputs give the same .xlsx bytes -----------------------------------------


def test_xlsx_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    path = roster(tmp_path, "a1", "a2")
    outputs = []
    for run_number in range(2):
        out = tmp_path / f"out{run_number}.xlsx"
        assert cli("batch", POLICY, str(path), "-o", str(out))[0] == 0
        outputs.append(out.read_bytes())
        time.sleep(2.1)  # zip entry times have a two-second resolution
    assert outputs[0] == outputs[1]


# --- item 13: duplicate keys in --person JSON ---------------------------------------------------


def test_duplicate_key_in_person_json_is_refused(tmp_path: Path) -> None:
    person = tmp_path / "p.json"
    person.write_text(
        '{"person_id": "p1", "residence": "local", "residence": "none",'
        ' "birth_date": "1980-05-01"}',
        encoding="utf-8",
    )
    code, out, err = cli("evaluate", "--person", str(person), POLICY)
    assert (code, out) == (1, "")
    assert (
        err
        == f"{person}: error: the key 'residence' is written twice in one object; which is meant?\n"
    )
