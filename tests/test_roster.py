"""Reading roster CSVs, batch evaluation and its summary (contribpolicy.roster)."""

from __future__ import annotations

import csv
import importlib.util
import io
import os
import stat
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

import contribpolicy
from contribpolicy.engine.records import roster_columns
from contribpolicy.model.results import Amounts
from contribpolicy.rosters._summary_text import render_summary
from contribpolicy.rosters.batch import BatchSummary, Duplicate, run_batch
from contribpolicy.rosters.reader import RosterReader, RosterRow, output_columns
from contribpolicy.support.atomic import atomic_writer

ROOT = Path(__file__).resolve().parent.parent

HEADER = (
    "person_id,id_number,name,village,birth_date,residence,statuses,"
    "employee_pension,employee_medical,student,pension_tier,pension_years_paid,medical_sponsor"
)


def read(policy: contribpolicy.Policy, text: str) -> list[RosterRow]:
    return list(RosterReader(io.StringIO(text, newline=""), roster_columns(policy)))


def batch(policy: contribpolicy.Policy, text: str) -> tuple[list[list[str]], BatchSummary]:
    written: list[list[str]] = []
    summary = run_batch(policy, read(policy, text), written.append)
    return written, summary


def header_error(policy: contribpolicy.Policy, text: str) -> contribpolicy.InputError:
    with pytest.raises(contribpolicy.InputError) as caught:
        RosterReader(io.StringIO(text, newline=""), roster_columns(policy))
    return caught.value


def test_columns_are_core_fields_then_declared_inputs(policy_2025: contribpolicy.Policy) -> None:
    """The accepted columns are exactly the documented roster columns for the 2025 policy."""
    assert ",".join(roster_columns(policy_2025)) == HEADER


def test_output_columns_follow_scheme_order(policy_2025: contribpolicy.Policy) -> None:
    """Output columns are person_id, five per scheme in policy order, then message."""
    assert output_columns(policy_2025) == [
        "person_id",
        "pension_status",
        "pension_individual",
        "pension_government",
        "pension_sponsor",
        "pension_total",
        "medical_status",
        "medical_individual",
        "medical_government",
        "medical_sponsor",
        "medical_total",
        "message",
    ]


def test_bom_is_not_part_of_the_first_column(
    policy_2025: contribpolicy.Policy, tmp_path: Path
) -> None:
    """A roster saved by Excel as 'CSV UTF-8' (with a BOM) reads like one without."""
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffperson_id,birth_date,residence\r\nA1,1980-06-01,local\r\n".encode())
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = RosterReader(stream, roster_columns(policy_2025))
        rows = list(reader)
    assert reader.header == ("person_id", "birth_date", "residence")
    assert rows == [
        (2, {"person_id": "A1", "birth_date": "1980-06-01", "residence": "local"}, None)
    ]


def test_bom_left_in_the_text_is_ignored_too(policy_2025: contribpolicy.Policy) -> None:
    """A BOM that reached the text (file opened as plain utf-8) still does not hide person_id."""
    rows = read(policy_2025, "\ufeffperson_id,birth_date,residence\nA1,1980-06-01,local\n")
    assert rows[0][1]["person_id"] == "A1"


def test_yes_no_in_chinese(policy_2025: contribpolicy.Policy) -> None:
    """是 sets a flag and 否 clears it, as 1 and 0 do."""
    text = (
        "person_id,birth_date,residence,employee_pension,pension_tier\n"
        "A1,1980-06-01,local,是,350\n"
        "A2,1980-06-01,local,否,350\n"
    )
    written, _ = batch(policy_2025, text)
    assert [row[1] for row in written] == ["ineligible", "eligible"]


def test_statuses_separated_by_semicolons(policy_2025: contribpolicy.Policy) -> None:
    """'dibao;disability_3' is two statuses: dibao makes the medical individual part 0."""
    text = "person_id,birth_date,residence,statuses\nA1,1980-06-01,local,dibao; disability_3\n"
    written, _ = batch(policy_2025, text)
    medical = written[0][6:11]
    assert medical == ["eligible", "0.00", "1070.00", "0.00", "1070.00"]


def test_absent_columns_are_absent_inputs(policy_2025: contribpolicy.Policy) -> None:
    """Only person_id is required: a roster without flag or sponsor columns is assessed."""
    written, summary = batch(policy_2025, "person_id,birth_date,residence\nA1,1950-01-01,local\n")
    assert summary.malformed == 0
    assert written[0][6:11] == ["eligible", "0.00", "1070.00", "0.00", "1070.00"]


def test_blank_id_and_birth_date_cells_are_dropped(policy_2025: contribpolicy.Policy) -> None:
    """Blank (even whitespace-only) id_number and birth_date cells are not passed on."""
    rows = read(policy_2025, "person_id,id_number,birth_date,name\nA1, ,  ,张三\n")
    assert rows == [(2, {"person_id": "A1", "name": "张三"}, None)]


def test_missing_person_id_column(policy_2025: contribpolicy.Policy) -> None:
    """A header without person_id is an error of the whole file, at row 1."""
    error = header_error(policy_2025, "name,birth_date,residence\n张三,1980-06-01,local\n")
    assert (error.field, error.row) == ("person_id", 1)


def test_empty_file(policy_2025: contribpolicy.Policy) -> None:
    """An empty file has no header: reported as the missing person_id column."""
    error = header_error(policy_2025, "")
    assert (error.field, error.row) == ("person_id", 1)


def test_unknown_column_with_suggestion(policy_2025: contribpolicy.Policy) -> None:
    """A misspelt column is named, with the column it probably meant."""
    error = header_error(policy_2025, "person_id,vilage\nA1,王峪村\n")
    assert (error.field, error.row) == ("vilage", 1)
    assert "did you mean 'village'?" in error.reason


def test_repeated_column(policy_2025: contribpolicy.Policy) -> None:
    """A column named twice would silently lose one of the cells, so it is refused."""
    error = header_error(policy_2025, "person_id,village,village\nA1,王峪村,东江村\n")
    assert (error.field, error.row) == ("village", 1)


def test_ragged_rows_are_row_errors(policy_2025: contribpolicy.Policy) -> None:
    """Rows with too few or too many cells are malformed rows; the rows after them are read."""
    text = (
        "person_id,birth_date,residence\n"
        "A1,1980-06-01\n"
        "A2,1980-06-01,local,extra\n"
        "A3,1980-06-01,local\n"
    )
    rows = read(policy_2025, text)
    problems = [(line, p.field, p.row) if p else (line, None, None) for line, _, p in rows]
    assert problems == [(2, "cells", 2), (3, "cells", 3), (4, None, None)]
    assert rows[0][1]["person_id"] == "A1"


def test_line_numbers_count_blank_lines_and_quoted_newlines(
    policy_2025: contribpolicy.Policy,
) -> None:
    """Rows are numbered by the file line they start on, so a collector finds them."""
    text = (
        "person_id,name,birth_date,residence\n"
        '"A1","two\nlines",1980-06-01,local\n'
        "\n"
        "A2,x,1980-13-01,local\n"
    )
    rows = read(policy_2025, text)
    assert [line for line, _, _ in rows] == [2, 5]
    written, _ = batch(policy_2025, text)
    assert written[1][-1] == (
        "row 5: birth_date: expected an ISO date YYYY-MM-DD, found '1980-13-01'"
    )


def test_not_utf8_is_a_file_error(policy_2025: contribpolicy.Policy, tmp_path: Path) -> None:
    """A roster saved as GBK is refused as a whole, naming the encoding and the line."""
    path = tmp_path / "gbk.csv"
    path.write_bytes("person_id,name\nA1,张三\n".encode("gbk"))
    with (
        path.open(encoding="utf-8-sig", newline="") as stream,
        pytest.raises(contribpolicy.InputError) as caught,
    ):
        list(RosterReader(stream, roster_columns(policy_2025)))
    assert caught.value.field == "encoding"


# A roster worked by hand (READING 五（一）; ages on 2025-01-01):
# 王峪村 A1 44, tier 500      pension 500 + subsidy 60;       medical 400 + 670
# 王峪村 A2 69, no tier       pension ineligible (age);        medical 200 + 670 + relief 200
# 王峪村 A3 35, dibao, 100    pension 100 + subsidy 30;        medical 0 + 670 + relief 400
# 东江村 B1 24, disability_1  pension default 100 proxy-paid:  0 + subsidy 30 + proxy 100;
#        sponsor 150          medical 250 + 670 + sponsor 150
# 东江村 B2 39, permit, 400   pension error (400 not offered); medical 400 + 670
# 东江村 B3 bad birth date    malformed
SMALL = (
    "person_id,village,birth_date,residence,statuses,pension_tier,medical_sponsor\n"
    "A1,王峪村,1980-06-01,local,,500,\n"
    "A2,王峪村,1955-03-01,local,,,\n"
    "A3,王峪村,1990-01-01,local,dibao,100,\n"
    "B1,东江村,2000-05-05,local,disability_1,,150\n"
    "B2,东江村,1985-07-07,permit,,400,\n"
    "B3,东江村,1985-13-01,local,,350,\n"
)


def test_summary_counts(policy_2025: contribpolicy.Policy) -> None:
    """Each scheme's statuses and the malformed rows add up to the rows; B2 holds a residence
    permit, which is the medical scheme only (READING 四, revised)."""
    _, summary = batch(policy_2025, SMALL)
    assert (summary.rows, summary.malformed) == (6, 1)
    pension, medical = summary.schemes["pension"], summary.schemes["medical"]
    assert (pension.eligible, pension.ineligible, pension.error) == (3, 2, 0)
    assert (pension.not_paying, pension.referred) == (0, 0)
    assert (medical.eligible, medical.ineligible, medical.error) == (5, 0, 0)
    assert pension.assessed + summary.malformed == medical.assessed + summary.malformed == 6


def test_not_paying_and_referred_are_counted_apart_4(policy_2025: contribpolicy.Policy) -> None:
    """No tier chosen is not_paying, 60+ with 14 years paid is referred: neither is an error,
    and every scheme's counts still add up to the rows (READING 四, added)."""
    text = (
        "person_id,birth_date,residence,pension_tier,pension_years_paid\n"
        "N1,1980-06-01,local,,\n"
        "N2,1964-06-01,local,,14\n"
        "N3,1980-06-01,local,600,\n"
        "N4,1980-06-01,local,500,\n"
    )
    _, summary = batch(policy_2025, text)
    pension = summary.schemes["pension"]
    counts = (pension.eligible, pension.ineligible, pension.error, pension.not_paying)
    assert (*counts, pension.referred) == (1, 0, 1, 1, 1)
    assert pension.assessed + summary.malformed == summary.rows == 4
    assert summary.to_dict()["schemes"]["pension"]["not_paying"] == 1


def test_summary_totals_by_scheme(policy_2025: contribpolicy.Policy) -> None:
    """Scheme totals are the sums worked by hand above."""
    _, summary = batch(policy_2025, SMALL)
    assert summary.schemes["pension"].amounts == Amounts(
        Decimal("600.00"), Decimal("220.00"), Decimal("0.00")
    )
    assert summary.schemes["medical"].amounts == Amounts(
        Decimal("1250.00"), Decimal("3950.00"), Decimal("150.00")
    )


def test_summary_totals_by_village(policy_2025: contribpolicy.Policy) -> None:
    """Village totals, in order of first appearance, with their rows and malformed rows."""
    _, summary = batch(policy_2025, SMALL)
    by_village = {
        v.village: (v.rows, v.malformed, v.amounts["pension"], v.amounts["medical"])
        for v in summary.villages
    }
    assert list(by_village) == ["王峪村", "东江村"]
    assert by_village["王峪村"] == (
        3,
        0,
        Amounts(Decimal("600.00"), Decimal("90.00"), Decimal("0.00")),
        Amounts(Decimal("600.00"), Decimal("2610.00"), Decimal("0.00")),
    )
    assert by_village["东江村"] == (
        3,
        1,
        Amounts(Decimal("0.00"), Decimal("130.00"), Decimal("0.00")),
        Amounts(Decimal("650.00"), Decimal("1340.00"), Decimal("150.00")),
    )


def test_summary_json_has_exact_amount_strings(policy_2025: contribpolicy.Policy) -> None:
    """The JSON form keeps amounts as exact strings with the policy's two places."""
    _, summary = batch(policy_2025, SMALL)
    data = summary.to_dict()
    assert data["schemes"]["medical"]["government"] == "3950.00"
    assert data["schemes"]["medical"]["total"] == "5350.00"
    assert data["villages"][1]["schemes"]["pension"] == {
        "individual": "0.00",
        "government": "130.00",
        "sponsor": "0.00",
        "total": "130.00",
    }


def test_error_row_and_scheme_messages(policy_2025: contribpolicy.Policy) -> None:
    """A malformed row is error everywhere with empty amounts; a scheme error says why."""
    written, _ = batch(policy_2025, SMALL)
    assert [row[0] for row in written] == ["A1", "A2", "A3", "B1", "B2", "B3"]
    assert written[5] == ["B3", *(["error", "", "", "", ""] * 2), written[5][-1]]
    assert written[5][-1].startswith("row 7: birth_date: ")
    assert written[4][1] == "ineligible"
    assert written[4][-1].startswith("pension: 居民养老保险在户籍地参保")
    assert written[1][-1].startswith("pension: 不在养老保险缴费年龄")


def test_repeated_identities_are_reported(policy_2025: contribpolicy.Policy) -> None:
    """The same person_id or ID number twice is listed (the plan warns of paying twice, 七)."""
    text = (
        "person_id,id_number,residence\n"
        "A1,370406198001011235,local\n"
        "A2,370406198001011235,local\n"
        "A1,,local\n"
    )
    written, summary = batch(policy_2025, text)
    assert len(written) == 3
    assert summary.duplicates == (
        Duplicate("id_number", "370406198001011235", 2, 3),
        Duplicate("person_id", "A1", 2, 4),
    )


def test_rendered_village_table_lines_up(policy_2025: contribpolicy.Policy) -> None:
    """Village names are wide characters; the table's columns still end at the same place."""
    _, summary = batch(policy_2025, SMALL)
    text = render_summary(summary)
    rows = [line for line in text.splitlines() if line.startswith(("王峪村", "东江村", "total"))]
    ends = {len(line) + sum(1 for char in line if "\u4e00" <= char <= "\u9fff") for line in rows}
    assert len(rows) == 3
    assert len(ends) == 1


def write_half_and_fail(target: Path) -> None:
    with atomic_writer(target) as handle:
        handle.write("half")
        raise RuntimeError("half-way")


def test_atomic_writer_leaves_nothing_on_failure(tmp_path: Path) -> None:
    """A failed write keeps the old file and leaves no temporary file behind."""
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError, match="half-way"):
        write_half_and_fail(target)
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_atomic_writer_gives_an_ordinary_file_mode(tmp_path: Path) -> None:
    """The file gets the mode open() would give it, not the temporary file's 0600."""
    target = tmp_path / "out.csv"
    with atomic_writer(target) as handle:
        handle.write("new\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert target.read_text() == "new\n"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_roster", ROOT / "examples" / "generate_roster.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated(rows: int, seed: int, *, bad: bool) -> str:
    module = load_generator()
    out = io.StringIO()
    write: Callable[[list[list[str]], io.StringIO], None] = module.write
    write(module.generate(rows, seed, with_bad_rows=bad), out)
    return out.getvalue()


def test_generator_is_deterministic() -> None:
    """The same seed gives the same roster; another seed another one."""
    assert generated(50, 7, bad=True) == generated(50, 7, bad=True)
    assert generated(50, 7, bad=True) != generated(50, 8, bad=True)


def test_generated_rows_are_well_formed_without_bad_rows(
    policy_2025: contribpolicy.Policy,
) -> None:
    """Every generated row, ID numbers included, is a valid record unless bad rows are asked."""
    _, summary = batch(policy_2025, generated(400, 3, bad=False))
    assert (summary.rows, summary.malformed) == (400, 0)
    assert summary.duplicates == ()


def test_fast_generator_draws_unique_well_formed_rows(
    policy_2025: contribpolicy.Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--fast (the benchmark's rosters): the same seed the same file; every row a valid record,
    no person_id or ID number twice, also across its blocks and past 999 births on one day."""
    module = load_generator()
    monkeypatch.setattr(module, "FAST_BLOCK", 700)
    first, again, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    module.write_fast(3000, 5, str(first))
    module.write_fast(3000, 5, str(again))
    module.write_fast(3000, 6, str(other))
    text = first.read_text(encoding="utf-8")
    assert text == again.read_text(encoding="utf-8") != other.read_text(encoding="utf-8")
    assert text.startswith(",".join(module.COLUMNS) + "\n")
    _, summary = batch(policy_2025, text)
    assert (summary.rows, summary.malformed, summary.duplicates) == (3000, 0, ())
    rows = list(csv.DictReader(io.StringIO(text)))
    ages = {row["birth_date"][:4] for row in rows if row["birth_date"]}
    assert len(ages) > 80  # the whole age range is drawn
    monkeypatch.setattr(module, "AGE_BANDS", (1.0,))  # everyone 0-4: many births a day
    monkeypatch.setattr(module, "SEQUENCES", 2)  # and few numbers a day: other districts
    module.write_fast(5000, 5, str(first))
    crowded = first.read_text(encoding="utf-8")
    _, summary = batch(policy_2025, crowded)
    assert (summary.rows, summary.malformed, summary.duplicates) == (5000, 0, ())
    assert {row["id_number"][:6] for row in csv.DictReader(io.StringIO(crowded))} >= {
        "370406",
        "370402",
        "370403",
    }


def test_generated_bad_rows_are_all_malformed(policy_2025: contribpolicy.Policy) -> None:
    """--with-bad-rows plants one malformed row of each kind, all accounted for."""
    text = generated(300, 2025, bad=True)
    written, summary = batch(policy_2025, text)
    planted = len(load_generator().BAD_ROWS)
    assert summary.malformed == planted
    assert len(written) == 300
    assert sum(1 for row in written if row[-1].startswith("row ")) == planted


def test_bundled_example_is_the_generators_output() -> None:
    """examples/roster-2025.csv is what the documented command writes (seed 2025, bad rows)."""
    bundled = (ROOT / "examples" / "roster-2025.csv").read_text(encoding="utf-8")
    assert bundled == generated(300, 2025, bad=True)
    assert len(list(csv.reader(io.StringIO(bundled)))) == 301
