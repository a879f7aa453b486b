"""``batch`` on the columnar evaluator: the same files as the row-by-row path, byte for byte.

The row-by-row path (``--row-by-row``) defines the answer; every test here runs both and
compares the output CSV, the summary JSON and the errors file, and checks which path ran
(``--verbose`` says so on stderr).
"""

from __future__ import annotations

import csv
import importlib.util
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contribpolicy.cli import run
from contribpolicy.rosters import _fast as _batch_columnar
from contribpolicy.rosters import _repeats as _batch_repeats

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
FAST = "batch: read with the columnar evaluator\n"
SLOW = "batch: read with the row-by-row reader\n"
AGAIN = "batch: not plain CSV after all; read again row by row\n"

_spec = importlib.util.spec_from_file_location(
    "generate_roster", ROOT / "examples/generate_roster.py"
)
assert _spec is not None
assert _spec.loader is not None
generator: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generator)
HEADER: tuple[str, ...] = generator.COLUMNS


def batch(roster: Path, out: Path, *options: str) -> tuple[int, str, bytes, bytes, bytes]:
    """Exit code, stderr, and the output, summary and errors files of one run."""
    summary, errors = out.with_suffix(".json"), out.with_suffix(".errors.csv")
    stderr = io.StringIO()
    argv = ["batch", POLICY, str(roster), "-o", str(out), "--summary-json", str(summary)]
    # Rosters of malformed rows alone are compared too: no exit 1 for them here. The policy's
    # static checks (0.35 s a run, test_batch_exit.py) are not what these tests compare.
    argv += ["--errors", str(errors), "--quiet", "--verbose", "--max-malformed", "100%"]
    argv += ["--no-check", *options]
    code = run(argv, io.StringIO(), stderr, io.StringIO())
    return code, stderr.getvalue(), out.read_bytes(), summary.read_bytes(), errors.read_bytes()


def both(roster: Path, tmp: Path) -> str:
    """Run both paths, assert the same files, and return which way the default run went:
    ``fast``, ``again`` (a block was not plain: started again row by row) or ``slow``."""
    code, way, *files = batch(roster, tmp / "fast.csv")
    slow_code, slow_way, *slow_files = batch(roster, tmp / "slow.csv", "--row-by-row")
    assert slow_way == SLOW
    assert (code, files) == (slow_code, slow_files)
    return {FAST: "fast", FAST + AGAIN: "again", SLOW: "slow"}[way]


def write_roster(path: Path, rows: Sequence[Sequence[str]], *, ending: str = "\n") -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator=ending).writerows([HEADER, *rows])
    return path


def generated(rows: int, seed: int, *, with_bad_rows: bool = False) -> list[list[str]]:
    made: list[list[str]] = generator.generate(rows, seed, with_bad_rows=with_bad_rows)
    return made


def padded(rows: list[list[str]]) -> list[list[str]]:
    """Short rows made full (the generator plants one cell short): a roster read fast."""
    return [row + [""] * (len(HEADER) - len(row)) for row in rows]


def test_example_roster_same_files_row_by_row(tmp_path: Path) -> None:
    """examples/roster-2025.csv has a row a cell short: read again row by row, the same
    files."""
    assert both(ROOT / "examples" / "roster-2025.csv", tmp_path) == "again"


def test_generated_roster_read_fast_same_files(tmp_path: Path) -> None:
    """A clean generated roster is read fast, and gives the row-by-row path's bytes."""
    roster = write_roster(tmp_path / "r.csv", generated(3000, 7))
    assert both(roster, tmp_path) == "fast"


def test_bad_rows_read_fast_are_error_rows(tmp_path: Path) -> None:
    """Malformed cells (Feb 30, a wrong check digit, 三百五 ...) are error rows on the fast
    path too, with the same messages and the same errors file."""
    roster = write_roster(tmp_path / "r.csv", padded(generated(2000, 3, with_bad_rows=True)))
    assert both(roster, tmp_path) == "fast"


def test_generated_bad_rows_with_short_row_read_row_by_row(tmp_path: Path) -> None:
    """--with-bad-rows plants a row a cell short: the file is read again row by row."""
    roster = write_roster(tmp_path / "r.csv", generated(2000, 3, with_bad_rows=True))
    assert both(roster, tmp_path) == "again"


def test_repeats_across_blocks_name_the_first_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person_id or ID number met again, in the same block or a later one, is an error row
    naming the first line (七), as row by row."""
    monkeypatch.setattr(_batch_columnar, "_BLOCK_BYTES", 4096)
    rows = generated(600, 11)
    rows[400][0] = rows[3][0]  # person_id again, blocks later
    rows[401][1] = rows[5][1] or "370406198001011239"  # ID number again (or a new one)
    rows[10][1] = rows[10][1].lower()  # the same ID in lower case: not a repeat by itself
    rows[12] = list(rows[11])  # both again, in the same block
    rows[500][1] = rows[12][1] and " " + rows[12][1].replace("X", "x") + " "
    roster = write_roster(tmp_path / "r.csv", rows)
    assert both(roster, tmp_path) == "fast"
    assert b"repeats line 5" in (tmp_path / "fast.csv").read_bytes()


def test_hash_collisions_never_make_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Identities are compared by 64-bit hashes first; with every hash made to collide, the
    exact second look still finds only the real repeats (七), as row by row."""
    monkeypatch.setattr(_batch_columnar, "_BLOCK_BYTES", 4096)

    original = _batch_repeats.key_hashes

    def colliding(keys: Any) -> Any:  # two hash values for every identity there is
        hashes = original(keys)
        return np.where(hashes != 0, np.uint64(1) | (hashes & np.uint64(2)), np.uint64(0))

    monkeypatch.setattr(_batch_columnar, "key_hashes", colliding)
    monkeypatch.setattr(_batch_repeats, "key_hashes", colliding)
    rows = generated(300, 5)
    assert both(write_roster(tmp_path / "unique.csv", rows), tmp_path) == "fast"
    assert b"repeats line" not in (tmp_path / "fast.csv").read_bytes()
    rows[250][0] = rows[7][0]
    assert both(write_roster(tmp_path / "repeated.csv", rows), tmp_path) == "fast"
    assert b"repeats line 9" in (tmp_path / "fast.csv").read_bytes()


def test_identity_hashes_tell_apart_what_batch_tells_apart() -> None:
    """Equal identities hash alike; empty ones hash to 0 (nobody's); long ones are hashed."""
    long = "P" * 100
    keys = pa.array(["SC1", "SC1", "", "SC2", long, long + "x", long], pa.string())
    hashes = _batch_repeats.key_hashes(keys)
    assert hashes[0] == hashes[1] != 0
    assert hashes[2] == 0
    assert len({int(h) for h in hashes}) == 5
    assert hashes[4] == hashes[6] != hashes[5]
    assert _batch_repeats.suspects([[hashes[:3], hashes[3:]]]) is not None
    assert _batch_repeats.suspects([[hashes[2:6]]]) is None


def write_parquet(path: Path, rows: Sequence[Sequence[str]], *, nulls: bool = True) -> Path:
    """Text columns; empty cells as nulls (as a data system writes them) when ``nulls``."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    columns = {
        name: pa.array(
            [None if nulls and not row[index] else row[index] for row in rows], pa.string()
        )
        for index, name in enumerate(HEADER)
    }
    pq.write_table(pa.table(columns), path, row_group_size=128)
    return path


def test_parquet_roster_of_text_columns_read_fast_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Parquet roster of text columns takes the columnar path, with the per-row path's files:
    bad rows, repeats across blocks, empty cells as nulls or as ""."""
    monkeypatch.setattr(_batch_columnar, "_PARQUET_ROWS", 100)
    rows = padded(generated(500, 23, with_bad_rows=True))
    rows[450][0] = rows[4][0]  # a person_id again, blocks later
    rows[10][2] = "张,三"  # a comma in a name: a character like any other here
    assert both(write_parquet(tmp_path / "r.parquet", rows), tmp_path) == "fast"
    assert b"repeats line 6" in (tmp_path / "fast.csv").read_bytes()
    assert both(write_parquet(tmp_path / "e.parquet", rows, nulls=False), tmp_path) == "fast"


@pytest.mark.parametrize(
    ("change", "way"),
    [
        (lambda rows: rows.__setitem__(7, [""] * len(HEADER)), "again"),  # skipped row by row
        (lambda rows: rows[7].__setitem__(0, "SC,7"), "again"),  # output would need quotes
        (lambda rows: rows[7].__setitem__(2, 'say "hi"'), "again"),
    ],
)
def test_parquet_rows_the_per_row_reader_reads_otherwise_start_again(
    tmp_path: Path, change: Callable[[list[list[str]]], None], way: str
) -> None:
    """A blank row, or a cell the fast path would write differently, starts again row by row."""
    rows = padded(generated(50, 3))
    change(rows)
    assert both(write_parquet(tmp_path / "r.parquet", rows), tmp_path) == way


def test_typed_parquet_is_read_row_by_row(tmp_path: Path) -> None:
    """A Parquet roster with a typed column (integers here) is read row by row."""
    import pyarrow.parquet as pq

    rows = padded(generated(30, 3))
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(HEADER)})
    tier = pa.array([int(row[10]) if row[10] else None for row in rows], pa.int64())
    table = table.set_column(10, "pension_tier", tier)
    pq.write_table(table, tmp_path / "typed.parquet")
    assert both(tmp_path / "typed.parquet", tmp_path) == "slow"


def test_minus_person_ids_are_guarded(tmp_path: Path) -> None:
    """A person_id starting with a minus (accepted: "-12") gets a leading ' on the fast path
    too, so a spreadsheet shows it as text."""
    rows = generated(50, 5)
    rows[3][0] = "-" + rows[3][0]
    roster = write_roster(tmp_path / "r.csv", rows)
    assert both(roster, tmp_path) == "fast"
    assert b"\r\n'-SC000004," in (tmp_path / "fast.csv").read_bytes()


def test_person_ids_refused_as_formulas_read_row_by_row(tmp_path: Path) -> None:
    """person_ids starting = + @ are refused by Policy.evaluate but not yet by the columnar
    parser: such a file is read again row by row, and they are error rows."""
    rows = generated(50, 5)
    for row, start in zip(rows, "=+@", strict=False):
        row[0] = start + row[0]
    roster = write_roster(tmp_path / "r.csv", rows)
    assert both(roster, tmp_path) == "again"
    assert b"\r\n'=SC000001,error," in (tmp_path / "fast.csv").read_bytes()


@pytest.mark.parametrize(
    ("change", "way"),
    [
        (lambda text: text.replace("\n", "\r\n"), "fast"),  # Excel's line ends
        (lambda text: "\ufeff" + text, "fast"),  # Excel's "CSV UTF-8" BOM
        (lambda text: text.replace("城市社区", '"城市社区"', 1), "again"),  # a quote: csv reads it
        (lambda text: text.replace("\n", "\n\n", 3), "again"),  # blank lines
        (lambda text: text.replace("\n", "\r", 5), "slow"),  # old Mac line ends, header too
        (lambda text: text.replace("0\n", "0\r", 5), "fast"),  # a few lone \r line ends
        (lambda text: text.replace("local", "lo\x00cal", 1), "again"),  # a control character
        (lambda text: text + "\n", "again"),  # a blank line at the end
    ],
    ids=["crlf", "bom", "quote", "blank-lines", "cr", "lone-cr", "nul", "trailing-blank"],
)
def test_unusual_files_same_files(tmp_path: Path, change: Callable[[str], str], way: str) -> None:
    """Files read fast only when both readers read them alike; the rest row by row."""
    plain = write_roster(tmp_path / "plain.csv", generated(200, 9))
    roster = tmp_path / "r.csv"
    roster.write_bytes(change(plain.read_text(encoding="utf-8")).encode("utf-8"))
    assert both(roster, tmp_path) == way


def test_one_column_roster_with_blank_lines(tmp_path: Path) -> None:
    """A roster of person_ids alone: its blank lines hold no person, row by row; such a file is
    read again row by row, the same files."""
    roster = tmp_path / "r.csv"
    roster.write_text("person_id\nA1\n\nA2\n", encoding="utf-8")
    assert both(roster, tmp_path) == "again"


def test_ragged_row_in_a_later_block_starts_again_row_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file plain at first and ragged later is read again row by row: the output files
    of the abandoned run never appear."""
    monkeypatch.setattr(_batch_columnar, "_BLOCK_BYTES", 4096)
    rows = generated(500, 13)
    rows[450] = rows[450][:-1]
    roster = write_roster(tmp_path / "r.csv", rows)
    assert both(roster, tmp_path) == "again"


def test_stdout_same_bytes(tmp_path: Path) -> None:
    """Without -o the rows stream to stdout: the same text, read fast."""
    roster = write_roster(tmp_path / "r.csv", padded(generated(500, 17, with_bad_rows=True)))
    outs = []
    for options in ([], ["--row-by-row"]):
        out, err = io.StringIO(), io.StringIO()
        code = run(["batch", POLICY, str(roster), "--verbose", *options], out, err, io.StringIO())
        outs.append((code, out.getvalue()))
        assert err.getvalue().startswith(SLOW if options else FAST)
    assert outs[0] == outs[1]


_CELLS: dict[str, list[str]] = {
    "person_id": ["P1", "P2", "P3", " P1", "-5", "", "Ｐ6"],
    "id_number": ["", "370406198001011239", "37040619800101123x", "370406201501011238", "12"],
    "name": ["", "王芳", "Ann Lee", "李 四"],
    "village": ["", "城市社区", " 花泉社区", "王峪村"],
    "birth_date": ["", "1980-01-01", "2015-01-01", "1950-06-30", "1985-02-30", "2026-01-01"],
    "residence": ["", "local", "外地", "migrant"],
    "statuses": ["", "dibao", "tekun;disabled_1", "disabled"],
    "employee_pension": ["", "0", "1", "是", "maybe"],
    "employee_medical": ["", "0", "1"],
    "student": ["", "0", "1"],
    "pension_tier": ["", "200", "350", "400", "三百五"],
    "medical_sponsor": ["", "0", "100", "12.345", "-1"],
}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(*(st.sampled_from(_CELLS[column]) for column in HEADER)), min_size=0, max_size=25
    )
)
def test_random_rosters_same_files(tmp_path: Path, rows: list[tuple[str, ...]]) -> None:
    """Any small roster of good and bad cells, repeats and ids that need a guard: the same
    files either way, read fast unless a row is all empty (commas alone: the fast path
    cannot tell it from a blank line, so it leaves such a file to the csv module)."""
    roster = write_roster(tmp_path / "r.csv", rows)
    assert both(roster, tmp_path) == ("again" if ("",) * len(HEADER) in rows else "fast")
