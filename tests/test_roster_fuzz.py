"""Fuzzing the roster reader and batch: every input row comes out once, or the file is refused.

Rows are drawn with hostile cells (quotes, commas, line breaks, NUL, escape codes, full-width
digits, spaces) and a ragged number of them, written as CSV the way a spreadsheet writes it,
then read and assessed. Whatever they hold, the batch writes exactly one output row per input
row, in order, and its summary counts them all; or the file as a whole raises InputError.
Raw bytes (a corrupted export) may make rows impossible to count from outside, so for them the
batch's own accounting is checked: rows written == rows counted, every one in a status.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import contribpolicy
from contribpolicy.engine.records import roster_columns
from contribpolicy.rosters.batch import BatchSummary, run_batch
from contribpolicy.rosters.reader import RosterReader

BUDGET = settings(
    max_examples=100,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
POLICY = contribpolicy.load_policy("policies/2025.yaml")
COLUMNS = list(roster_columns(POLICY))

cells = st.one_of(
    st.text(alphabet="ab张三0123456789０１２-.,;=@+\"'\n\r\t\x00\x1b \u3000\ufeffXx", max_size=12),
    st.sampled_from(
        ["1980-05-01", "local", "permit", "dibao", "350", "150.50", "是", "", "1", "40000"]
    ),
)
rows = st.lists(st.lists(cells, max_size=14), max_size=25)
headers = st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=len(COLUMNS), unique=True)


def assess(stream: io.TextIOBase | io.StringIO) -> tuple[list[list[str]], BatchSummary]:
    written: list[list[str]] = []
    summary = run_batch(POLICY, RosterReader(stream, COLUMNS), written.append)
    return written, summary


def accounted(written: list[list[str]], summary: BatchSummary) -> None:
    """Every written row is counted once, and in each scheme in exactly one status."""
    assert summary.rows == len(written)
    for name, scheme in summary.schemes.items():
        statuses = scheme.eligible + scheme.ineligible + scheme.error + summary.malformed
        assert statuses == summary.rows, name
    assert sum(village.rows for village in summary.villages) == summary.rows


@BUDGET
@given(headers, rows)
def test_every_row_comes_out_once(header: list[str], people: list[list[str]]) -> None:
    """Rows written as CSV come out one for one, in order, each with its person_id: the
    CSV is well-formed, so no hostile cell may make the file as a whole unreadable."""
    header = ["person_id", *(column for column in header if column != "person_id")]
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(people)
    written, summary = assess(io.StringIO(text.getvalue(), newline=""))
    people = [row for row in people if row]  # a row without cells is a blank line
    assert len(written) == len(people)
    for out, row in zip(written, people, strict=True):
        # the data as read; escaped only by a spreadsheet-bound writer (test_hostile_outputs)
        assert out[0] == row[0].strip()
    accounted(written, summary)


@BUDGET
@given(st.binary(max_size=600))
def test_any_bytes_are_rows_or_a_file_error(data: bytes) -> None:
    """Bytes after a valid header, read as the command reads a file: every row accounted."""
    raw = io.BytesIO(b"\xef\xbb\xbfperson_id,name,birth_date,residence\r\n" + data)
    stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        written, summary = assess(stream)
    except contribpolicy.InputError:
        return
    accounted(written, summary)
