"""Hostile rosters: every row accounted for, each problem at its row or, if rows can no longer be
told apart, at the file.

A row-level problem becomes an ``error`` row naming the line; a file-level one raises InputError
before any output. Persons are assessed once (七): a repeated person_id or ID number is an
error row naming the line of the first.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

import contribpolicy
from contribpolicy.engine.records import roster_columns
from contribpolicy.rosters._output import write_csv_rows
from contribpolicy.rosters._summary_text import render_summary
from contribpolicy.rosters.batch import BatchSummary, Duplicate, run_batch
from contribpolicy.rosters.reader import MAX_LINE_CHARS, RosterReader, check_not_binary
from test_person import id_number

HEADER = "person_id,id_number,name,village,birth_date,residence,pension_tier,medical_sponsor\n"
ADULT = "1980-05-01,local,500,"  # age 44: pension 500 + subsidy 60; medical 400 + 670 (五（一）)


def reader(policy: contribpolicy.Policy, text: str) -> RosterReader:
    return RosterReader(io.StringIO(text, newline=""), roster_columns(policy))


def batch(policy: contribpolicy.Policy, text: str) -> tuple[list[list[str]], BatchSummary]:
    written: list[list[str]] = []
    summary = run_batch(policy, reader(policy, text), written.append)
    return written, summary


def file_error(policy: contribpolicy.Policy, text: str) -> contribpolicy.InputError:
    with pytest.raises(contribpolicy.InputError) as caught:
        list(reader(policy, text))
    return caught.value


# --- the file as a whole ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", [pytest.param("", id="empty"), pytest.param("\n \n\r\n", id="blank-lines")]
)
def test_roster_without_a_header(policy_2025: contribpolicy.Policy, text: str) -> None:
    """An empty file, or one of blank lines, is refused as a whole: no header row."""
    error = file_error(policy_2025, text)
    assert (error.field, error.row) == ("person_id", 1)
    assert "empty" in error.reason


def test_header_missing_data_first(policy_2025: contribpolicy.Policy) -> None:
    """A roster whose first line is a person, not column names, is told so."""
    error = file_error(policy_2025, f"A1,{id_number('19800501')},张三,王峪村,{ADULT}\n")
    assert (error.field, error.row) == ("person_id", 1)
    assert error.reason.startswith("no header row: line 1 names none of the columns (A1, ...)")


def test_header_after_blank_lines_is_found(policy_2025: contribpolicy.Policy) -> None:
    """Blank lines before the header are skipped, and rows keep their file line numbers."""
    rows = list(reader(policy_2025, "\n\nperson_id,birth_date,residence\nA1,1980-05-01,local\n"))
    assert [(line, problem) for line, _, problem in rows] == [(4, None)]


def test_header_with_escape_codes_is_shown_escaped(policy_2025: contribpolicy.Policy) -> None:
    """A header cell of terminal escape codes is named escaped, so printing it is harmless."""
    error = file_error(policy_2025, "person_id,\x1b[2Jname\nA1,x\n")
    assert error.field == "'\\x1b[2Jname'"
    assert "\x1b" not in str(error)


@pytest.mark.parametrize(
    ("head", "what"),
    [
        pytest.param(b"PK\x03\x04\x14\x00", "xlsx", id="xlsx"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1", "xls", id="xls"),
        pytest.param(b"\xff\xfep\x00e\x00", "UTF-16", id="utf-16"),
        pytest.param(b"%PDF-1.7", "PDF", id="pdf"),
    ],
)
def test_file_that_is_not_csv_text_is_named(head: bytes, what: str) -> None:
    """A workbook, UTF-16 text or PDF handed in as the roster is refused, saying what it is."""
    with pytest.raises(contribpolicy.InputError) as caught:
        check_not_binary(head)
    assert caught.value.field == "encoding"
    assert what in caught.value.reason
    check_not_binary(b"person_id,")  # CSV text passes


def test_binary_garbage_is_a_file_error(policy_2025: contribpolicy.Policy, tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are refused as a whole, naming the encoding."""
    path = tmp_path / "garbage.csv"
    path.write_bytes(HEADER.encode() + bytes(range(128, 256)) * 64)
    with path.open(encoding="utf-8-sig", newline="") as stream:
        error = file_error_from(policy_2025, stream)
    assert error.field == "encoding"


def file_error_from(
    policy: contribpolicy.Policy, stream: io.TextIOBase
) -> contribpolicy.InputError:
    with pytest.raises(contribpolicy.InputError) as caught:
        list(RosterReader(stream, roster_columns(policy)))
    return caught.value


def test_overlong_line_is_refused_before_it_fills_memory(policy_2025: contribpolicy.Policy) -> None:
    """A line longer than MAX_LINE_CHARS (a binary file, /dev/zero) is refused at that line."""
    text = "person_id,name\nA1,ok\n" + "x" * (MAX_LINE_CHARS + 10) + "\nA3,ok\n"
    error = file_error(policy_2025, text)
    assert (error.field, error.row) == ("csv", 3)


def test_unclosed_quote_is_a_file_error(policy_2025: contribpolicy.Policy) -> None:
    """A quote never closed swallows every later line: refused as a whole, naming its line."""
    text = (
        'person_id,name,birth_date,residence\nA1,"张三,1980-05-01,local\nA2,李四,1980-05-01,local\n'
    )
    error = file_error(policy_2025, text)
    assert (error.field, error.row) == ("csv", 2)
    assert "never closed" in error.reason


# --- one row at a time --------------------------------------------------------------------------


def test_stray_quote_is_a_row_error_and_the_next_rows_are_read(
    policy_2025: contribpolicy.Policy,
) -> None:
    """`"张"三` is an error of its row (the lenient reader would make it 张三); A3 is assessed."""
    text = (
        "person_id,name,birth_date,residence\n"
        "A1,李四,1980-05-01,local\n"
        'A2,"张"三,1980-05-01,local\n'
        "A3,王五,1980-05-01,local\n"
    )
    written, summary = batch(policy_2025, text)
    assert [row[0] for row in written] == ["A1", "", "A3"]
    assert written[1][-1].startswith("row 3: csv: ")
    assert (summary.rows, summary.malformed) == (3, 1)


def test_quoted_cell_with_a_line_break_is_a_row_error(policy_2025: contribpolicy.Policy) -> None:
    """A name typed with Alt+Enter is one row, refused for its line break, numbered where it
    starts; the rows after it keep their own numbers."""
    text = (
        "person_id,name,birth_date,residence\n"
        'A1,"张\n三",1980-05-01,local\n'
        'A2,"李""四",1980-05-01,local\n'
    )
    written, summary = batch(policy_2025, text)
    assert [row[0] for row in written] == ["A1", "A2"]
    assert written[0][-1].startswith("row 2: name: contains a control character (U+000A)")
    assert written[1][6] == "eligible"  # medical; a doubled quote is a quote: 李"四
    assert (summary.rows, summary.malformed) == (2, 1)


def test_nul_bytes_are_a_row_error(policy_2025: contribpolicy.Policy) -> None:
    """A NUL inside a cell is an error of that row, not of the file."""
    text = (
        "person_id,name,birth_date,residence\n"
        "A1,张\x00三,1980-05-01,local\n"
        "A2,李四,1980-05-01,local\n"
    )
    written, _ = batch(policy_2025, text)
    assert written[0][-1].startswith("row 2: name: contains")
    assert written[1][6] == "eligible"  # medical


def test_wrong_column_counts_are_row_errors(policy_2025: contribpolicy.Policy) -> None:
    """Too few and too many cells are both row errors; the row count is kept."""
    text = (
        "person_id,birth_date,residence\nA1\nA2,1980-05-01,local,extra,more\nA3,1980-05-01,local\n"
    )
    written, summary = batch(policy_2025, text)
    assert [row[-1] for row in written[:2]] == [
        "row 2: cells: found 1, the header has 3",
        "row 3: cells: found 5, the header has 3",
    ]
    assert (summary.rows, summary.malformed) == (3, 2)


# --- a person pays once -------------------------------------------------------------------------


def test_repeated_person_id_is_an_error_row_and_not_paid_twice(
    policy_2025: contribpolicy.Policy,
) -> None:
    """The second A1 is an error row naming line 2; the totals hold A1 once (七)."""
    text = HEADER + f"A1,,张三,王峪村,{ADULT}\nA1,,张三,王峪村,{ADULT}\n"
    written, summary = batch(policy_2025, text)
    assert written[0][1] == "eligible"
    assert written[1][1:11] == ["error", "", "", "", ""] * 2
    assert written[1][-1] == (
        "row 3: person_id: A1 repeats line 2: each person is assessed once (七), on the first row"
    )
    medical = summary.schemes["medical"]
    assert (medical.eligible, summary.malformed) == (1, 1)
    assert medical.amounts.individual == Decimal("400.00")
    assert summary.duplicates == (Duplicate("person_id", "A1", 2, 3),)


def test_repeated_id_number_in_full_width_is_the_same_person(
    policy_2025: contribpolicy.Policy,
) -> None:
    """An ID number typed again in full-width digits, with a lower-case x, is still a repeat."""
    number = id_number("19800501")
    again = number.translate(str.maketrans("0123456789", "０１２３４５６７８９")).lower()
    text = HEADER + f"A1,{number},张三,王峪村,,local,500,\nA2,{again},张三,王峪村,,local,500,\n"
    written, summary = batch(policy_2025, text)
    assert written[1][-1].startswith(f"row 3: id_number: {number} repeats line 2")
    assert summary.schemes["pension"].eligible == 1


def test_summary_shows_escape_codes_escaped(policy_2025: contribpolicy.Policy) -> None:
    """A village or repeated id of escape codes is printed escaped in the summary table."""
    text = HEADER + f"A1,,张三,\x1b[2J,{ADULT}\nA1,,张三,\x1b[2J,{ADULT}\n"
    _, summary = batch(policy_2025, text)
    rendered = render_summary(summary)
    assert "\x1b" not in rendered
    assert "'\\x1b[2J'" in rendered


def test_formula_in_person_id_is_refused_and_kept_as_text(
    policy_2025: contribpolicy.Policy,
) -> None:
    """A person_id a spreadsheet would run as a formula is an error row; the row keeps the
    data as read, and the CSV writer (one rule for every spreadsheet-bound output, see
    test_hostile_outputs) starts its cell with ', so Excel shows it as text."""
    text = HEADER + f'"=HYPERLINK(""http://x"")",,张三,王峪村,{ADULT}\n'
    written, _ = batch(policy_2025, text)
    assert written[0][0] == '=HYPERLINK("http://x")'
    out = io.StringIO()
    write_csv_rows(out, ["person_id"])(written[0][:1])
    assert out.getvalue() == 'person_id\r\n"\'=HYPERLINK(""http://x"")"\r\n'
    assert written[0][-1].startswith("row 2: person_id: starts with '='")
