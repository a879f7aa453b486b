"""The command with hostile inputs: a clear message and exit code, never a traceback.

Exit codes as documented: 1 when the input was read and is wrong, 2 when the command could not
do its work.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from contribpolicy.cli import run
from contribpolicy.cli._evaluate import MAX_RECORD_CHARS

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")


def cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param('{"person_id": ' + "9" * 5000 + "}", "ValueError", id="5000-digit-int"),
        pytest.param("[" * 40_000 + "]" * 40_000, "RecursionError", id="nesting"),
        pytest.param(" " * (MAX_RECORD_CHARS + 1), f"more than {MAX_RECORD_CHARS}", id="huge"),
    ],
)
def test_evaluate_unreadable_json(text: str, words: str) -> None:
    """JSON that Python cannot read safely is exit 1 with the reason, not a traceback."""
    code, out, err = cli("evaluate", POLICY, "--person", "-", stdin=text)
    assert (code, out) == (1, "")
    assert err.startswith("<stdin>: error: ")
    assert words in err


def test_evaluate_nan_amount_is_an_input_error() -> None:
    """NaN in JSON becomes Decimal NaN, refused as an amount: exit 1 naming the field."""
    record = '{"person_id": "1", "birth_date": "1980-05-01", "residence": "local", '
    code, _, err = cli(
        "evaluate", POLICY, "--person", "-", stdin=record + '"medical_sponsor": NaN}'
    )
    assert code == 1
    assert err.startswith("medical_sponsor: expected a finite amount")


def test_evaluate_escape_codes_in_a_field_name_are_printed_escaped() -> None:
    """An unknown field of terminal escape codes reaches the terminal escaped."""
    record = '{"person_id": "1", "birth_date": "1980-05-01", "residence": "local", "\\u001b[2J": 1}'
    code, _, err = cli("evaluate", POLICY, "--person", "-", stdin=record)
    assert code == 1
    assert "\x1b" not in err
    assert "\\x1b[2J" in err


def test_batch_of_a_workbook_is_refused(tmp_path: Path) -> None:
    """An .xlsx handed in as the roster: exit 1, saying what it is; no output written."""
    roster = tmp_path / "roster.csv"
    roster.write_bytes(b"PK\x03\x04" + bytes(200))
    output = tmp_path / "out.csv"
    code, _, err = cli("batch", POLICY, str(roster), "-o", str(output))
    assert code == 1
    assert "Excel .xlsx workbook" in err
    assert not output.exists()


def first_row(path: Path) -> dict[str, str]:
    return next(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_batch_max_amount_raises_the_limit(tmp_path: Path) -> None:
    """--max-amount 50000 reads a sponsorship of 40000, which then pays the 400 (五（一）)."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "person_id,birth_date,residence,medical_sponsor\nA1,1980-05-01,local,40000\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.csv"
    # The only row is malformed, so the run exits 1 (every row malformed: issue 12).
    assert cli("batch", POLICY, str(roster), "-o", str(output))[0] == 1
    default = first_row(output)
    assert default["message"].startswith("row 2: medical_sponsor: 40000 is over the limit")
    assert cli("batch", POLICY, str(roster), "-o", str(output), "--max-amount", "50000")[0] == 0
    raised = first_row(output)
    assert (raised["medical_individual"], raised["medical_sponsor"]) == ("0.00", "400.00")


def test_batch_max_amount_must_be_an_amount() -> None:
    """--max-amount that is not a non-negative amount is a usage error, exit 2."""
    code, _, err = cli("batch", POLICY, "roster.csv", "--max-amount", "lots")
    assert code == 2
    assert "not an amount" in err
