"""The ``contribpolicy`` command, driven through ``run`` with string streams."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from _policy_edit import POLICY_TEXT, edit, position, write
from contribpolicy.cli import run

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
EXAMPLE_ROSTER = ROOT / "examples" / "roster-2025.csv"


class Result:
    """What one command run left: exit code and both streams."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err


def cli(*argv: str, stdin: str = "") -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, io.StringIO(stdin))
    return Result(code, out.getvalue(), err.getvalue())


# A policy with one planted mistake: a rule kind nobody provides.
PLANTED = ("        kind: relief\n        label: 特困", "        kind: relif\n        label: 特困")


def broken_policy(tmp_path: Path) -> tuple[Path, str]:
    """The broken copy and the ``file:line:col`` where its mistake must be reported."""
    text = edit(PLANTED)
    path = write(tmp_path, text)
    line, column = position(text, PLANTED[1], "relif")
    return path, f"{path}:{line}:{column}"


def test_validate_valid_policy() -> None:
    """A valid policy: exit 0 and 'POLICY: ok'."""
    result = cli("validate", POLICY)
    assert (result.code, result.out, result.err) == (0, f"{POLICY}: ok\n", "")


def test_validate_reports_the_planted_mistake_where_it_is(tmp_path: Path) -> None:
    """An invalid policy: exit 1, one line per problem, at the planted file:line:col."""
    path, where = broken_policy(tmp_path)
    result = cli("validate", str(path))
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{where}: error: unknown rule kind 'relif'")
    assert lines[0].endswith(" [medical-relief-assistance]")


def test_validate_json(tmp_path: Path) -> None:
    """--format json lists every problem as an object with both coordinates."""
    path, where = broken_policy(tmp_path)
    result = cli("validate", "--format", "json", str(path), POLICY)
    assert result.code == 1
    [issue] = json.loads(result.out)
    assert f"{issue['file']}:{issue['line']}:{issue['column']}" == where
    assert issue["pointer"] == "/schemes/medical/rules/3/kind"
    assert (issue["code"], issue["severity"], issue["rule_id"]) == (
        "semantic.unknown-kind",
        "error",
        "medical-relief-assistance",
    )
    assert set(issue) == {
        "file",
        "line",
        "column",
        "pointer",
        "code",
        "severity",
        "message",
        "rule_id",
    }


def test_validate_json_of_valid_policy_is_an_empty_list() -> None:
    """No problems, no objects: the JSON output is []."""
    result = cli("validate", "--format", "json", POLICY)
    assert (result.code, json.loads(result.out)) == (0, [])


def test_validate_missing_file(tmp_path: Path) -> None:
    """A file that cannot be read is an I/O error: exit 2, said on stderr."""
    missing = tmp_path / "missing.yaml"
    result = cli("validate", str(missing))
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"{missing}: error: cannot read")


def test_validate_checks_every_file(tmp_path: Path) -> None:
    """Every file is checked; the worst outcome sets the exit code."""
    path, _ = broken_policy(tmp_path)
    result = cli("validate", POLICY, str(path), str(tmp_path / "missing.yaml"))
    assert result.code == 2
    assert result.out.splitlines()[0] == f"{POLICY}: ok"
    assert len(result.out.splitlines()) == 2


def test_no_arguments_is_a_usage_error() -> None:
    """No command: argparse's usage message and exit 2, without leaving run()."""
    result = cli()
    assert result.code == 2
    assert "usage: contribpolicy" in result.err


def test_unknown_format_is_a_usage_error() -> None:
    """An unknown --format value is refused by argparse with exit 2."""
    assert cli("validate", "--format", "xml", POLICY).code == 2


def test_help_exits_0() -> None:
    """--help prints usage to stdout and exits 0."""
    result = cli("batch", "--help")
    assert (result.code, result.err) == (0, "")
    assert "--summary-json" in result.out


def person_file(tmp_path: Path, record: Any) -> str:
    path = tmp_path / "person.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return str(path)


# 65 on 2025-01-01, an ordinary local resident (READING 五（一）): medical 400 halved for 60-69,
# so individual 200.00, government 670 fiscal + 200 relief = 870.00, total 1070.00;
# no pension contribution (aged 60 or over).
SIXTY_FIVE = {"person_id": "P65", "birth_date": "1959-06-01", "residence": "local"}


def test_evaluate_prints_the_assessment(tmp_path: Path) -> None:
    """evaluate prints to_dict() as JSON: the amounts worked by hand, and the trace."""
    result = cli("evaluate", POLICY, "--person", person_file(tmp_path, SIXTY_FIVE))
    assert (result.code, result.err) == (0, "")
    data = json.loads(result.out)
    medical = data["schemes"]["medical"]
    assert (medical["individual"], medical["government"], medical["total"]) == (
        "200.00",
        "870.00",
        "1070.00",
    )
    assert medical["components"] == {"fiscal": "670.00", "relief": "200.00"}
    assert data["schemes"]["pension"]["status"] == "ineligible"
    assert data["receipt"]["policy_id"] == "shancheng-2025"
    assert [entry["rule_id"] for entry in medical["trace"]] == [
        "medical-resident",
        "medical-not-employee",
        "medical-premium",
        "medical-relief-assistance",
        "medical-relief-70-plus",
        "medical-relief-60-69",
        "medical-sponsorship",
    ]


def test_evaluate_writes_chinese_as_is(tmp_path: Path) -> None:
    """Messages keep their Chinese characters (ensure_ascii=False), indented by two."""
    result = cli("evaluate", POLICY, "--person", person_file(tmp_path, SIXTY_FIVE))
    assert "不在养老保险缴费年龄" in result.out
    assert '\n  "schemes": {' in result.out


def test_evaluate_no_trace_from_stdin() -> None:
    """'-' reads the record from stdin; --no-trace leaves the trace out."""
    result = cli("evaluate", POLICY, "--person", "-", "--no-trace", stdin=json.dumps(SIXTY_FIVE))
    assert result.code == 0
    data = json.loads(result.out)
    assert "trace" not in data["schemes"]["medical"]
    assert data["schemes"]["medical"]["total"] == "1070.00"


def test_evaluate_reads_json_decimals_exactly(tmp_path: Path) -> None:
    """A JSON amount with a decimal point is read as Decimal: sponsor 150.5 pays 150.50."""
    record = '{"person_id": "S", "birth_date": "1980-06-01", "residence": "local",'
    record += ' "medical_sponsor": 150.5}'
    result = cli("evaluate", POLICY, "--person", "-", "--no-trace", stdin=record)
    assert result.code == 0
    medical = json.loads(result.out)["schemes"]["medical"]
    assert (medical["individual"], medical["sponsor"]) == ("249.50", "150.50")


def test_evaluate_malformed_record(tmp_path: Path) -> None:
    """A malformed record: exit 1 and 'field: reason' on stderr, nothing on stdout."""
    record = {**SIXTY_FIVE, "birth_date": "1959-02-30"}
    result = cli("evaluate", POLICY, "--person", person_file(tmp_path, record))
    assert (result.code, result.out) == (1, "")
    assert result.err == "birth_date: expected an ISO date YYYY-MM-DD, found '1959-02-30'\n"


@pytest.mark.parametrize(
    ("text", "start"),
    [("{", "<stdin>:1:2: error: invalid JSON"), ("[]", "<stdin>: error: expected a JSON object")],
)
def test_evaluate_not_a_record(text: str, start: str) -> None:
    """Text that is not one JSON object is a malformed record: exit 1."""
    result = cli("evaluate", POLICY, "--person", "-", stdin=text)
    assert result.code == 1
    assert result.err.startswith(start)


def test_evaluate_missing_person_file(tmp_path: Path) -> None:
    """A person file that cannot be read: exit 2."""
    result = cli("evaluate", POLICY, "--person", str(tmp_path / "nobody.json"))
    assert result.code == 2
    assert "cannot read" in result.err


def test_evaluate_bad_policy(tmp_path: Path) -> None:
    """An invalid policy: exit 1 with its problems on stderr."""
    path, where = broken_policy(tmp_path)
    result = cli("evaluate", str(path), "--person", "-", stdin=json.dumps(SIXTY_FIVE))
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith(where)


def test_evaluate_missing_policy(tmp_path: Path) -> None:
    """A policy that cannot be read: exit 2."""
    result = cli("evaluate", str(tmp_path / "no.yaml"), "--person", "-", stdin="{}")
    assert result.code == 2


# Worked by hand (READING 五（一）; ages on 2025-01-01): see the comment on each row.
ROSTER = (
    "person_id,village,birth_date,residence,statuses,pension_tier,medical_sponsor\n"
    # 44, tier 500: pension 500 + subsidy 60 = 560; medical 400 + 670
    "A1,王峪村,1980-06-01,local,,500,\n"
    # malformed: 30 February
    "A2,王峪村,1980-02-30,local,,500,\n"
    # 75: pension ineligible; medical 0 + 670 + relief 400
    "B1,东江村,1949-12-31,local,,,\n"
    # 30, tier 100 without hardship: pension error; medical 400 - sponsor 100: 300 + 670 + 100
    "B2,东江村,1994-07-01,local,,100,100\n"
    # a cell short: malformed
    "B3,东江村,1994-07-01,local,,100\n"
)


def roster_file(tmp_path: Path, text: str = ROSTER) -> str:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_batch_one_output_row_per_input_row(tmp_path: Path) -> None:
    """Rows in == rows out, in order; malformed rows are error rows naming field and line."""
    output = tmp_path / "out.csv"
    result = cli("batch", POLICY, roster_file(tmp_path), "-o", str(output))
    assert (result.code, result.err) == (0, "")
    rows = read_csv(output)
    assert [row["person_id"] for row in rows] == ["A1", "A2", "B1", "B2", "B3"]
    a1, a2, _b1, b2, b3 = rows
    assert (a1["pension_status"], a1["pension_total"], a1["medical_total"]) == (
        "eligible",
        "560.00",
        "1070.00",
    )
    assert a2["pension_status"] == a2["medical_status"] == "error"
    assert a2["pension_individual"] == a2["medical_total"] == ""
    assert a2["message"] == "row 3: birth_date: expected an ISO date YYYY-MM-DD, found '1980-02-30'"
    assert b3["message"] == "row 6: cells: found 6, the header has 7"
    assert b2["pension_status"] == "error"
    assert b2["message"].startswith("pension: pension_tier 100 is only for")
    assert (b2["medical_individual"], b2["medical_sponsor"]) == ("300.00", "100.00")


def test_batch_summary_numbers(tmp_path: Path) -> None:
    """The summary JSON holds the counts and totals worked by hand above."""
    summary_path = tmp_path / "summary.json"
    result = cli(
        "batch",
        POLICY,
        roster_file(tmp_path),
        "-o",
        str(tmp_path / "out.csv"),
        "--summary-json",
        str(summary_path),
    )
    assert result.code == 0
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    assert (summary["rows"], summary["malformed"]) == (5, 2)
    pension, medical = summary["schemes"]["pension"], summary["schemes"]["medical"]
    assert (pension["eligible"], pension["ineligible"], pension["error"]) == (1, 1, 1)
    assert (pension["individual"], pension["government"]) == ("500.00", "60.00")
    assert (medical["eligible"], medical["ineligible"], medical["error"]) == (3, 0, 0)
    assert (medical["individual"], medical["government"], medical["sponsor"]) == (
        "700.00",
        "2410.00",
        "100.00",
    )
    villages = {v["village"]: v for v in summary["villages"]}
    assert (villages["王峪村"]["rows"], villages["王峪村"]["malformed"]) == (2, 1)
    assert villages["东江村"]["schemes"]["medical"]["government"] == "1740.00"


def test_batch_summary_text_goes_to_stdout_with_output_file(tmp_path: Path) -> None:
    """With -o, the summary is the command's output: rows, malformed and village totals."""
    result = cli("batch", POLICY, roster_file(tmp_path), "-o", str(tmp_path / "out.csv"))
    assert result.out.startswith("rows: 5, malformed: 2\n")
    total = next(line for line in result.out.splitlines() if line.startswith("total"))
    assert total.split() == [
        "total",
        "5",
        "2",
        *("500.00", "60.00", "0.00"),
        *("700.00", "2410.00", "100.00"),
    ]


def test_batch_without_output_writes_csv_to_stdout(tmp_path: Path) -> None:
    """Without -o the CSV goes to stdout and the summary to stderr."""
    result = cli("batch", POLICY, roster_file(tmp_path))
    assert result.code == 0
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0][0] == "person_id"
    assert len(rows) == 6
    assert result.err.startswith("rows: 5, malformed: 2\n")


def test_batch_leaves_only_the_output_file(tmp_path: Path) -> None:
    """The output appears by rename: no temporary file is left beside it."""
    roster = roster_file(tmp_path)
    cli("batch", POLICY, roster, "-o", str(tmp_path / "out.csv"))
    assert sorted(os.listdir(tmp_path)) == ["out.csv", "roster.csv"]


def test_batch_bom_for_excel(tmp_path: Path) -> None:
    """--bom starts the output with a UTF-8 byte-order mark."""
    output = tmp_path / "out.csv"
    cli("batch", POLICY, roster_file(tmp_path), "-o", str(output), "--bom")
    assert output.read_bytes().startswith(b"\xef\xbb\xbfperson_id,")


def test_batch_example_roster_every_row_accounted_for(tmp_path: Path) -> None:
    """The bundled example: as many output rows as input rows, malformed ones counted."""
    output = tmp_path / "out.csv"
    summary_path = tmp_path / "summary.json"
    result = cli(
        "batch", POLICY, str(EXAMPLE_ROSTER), "-o", str(output), "--summary-json", str(summary_path)
    )
    assert result.code == 0
    with EXAMPLE_ROSTER.open(encoding="utf-8", newline="") as handle:
        ids_in = [row[0] for row in list(csv.reader(handle))[1:]]
    rows = read_csv(output)
    assert [row["person_id"] for row in rows] == ids_in
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    malformed = [row for row in rows if row["message"].startswith("row ")]
    assert summary["rows"] == len(rows)
    assert summary["malformed"] == len(malformed) > 0
    for name, scheme in summary["schemes"].items():
        statuses = ("eligible", "ineligible", "error", "not_paying", "referred", "malformed")
        assert sum(scheme[status] for status in statuses) == len(rows), name


def test_batch_bad_header(tmp_path: Path) -> None:
    """An unknown column makes the roster unusable: exit 1, no output file."""
    roster = roster_file(tmp_path, "person_id,vilage\nA1,王峪村\n")
    output = tmp_path / "out.csv"
    result = cli("batch", POLICY, roster, "-o", str(output))
    assert result.code == 1
    assert result.err.startswith(f"{roster}: error: row 1: vilage: unknown column;")
    assert not output.exists()


def test_batch_missing_roster(tmp_path: Path) -> None:
    """A roster that cannot be opened: exit 2."""
    result = cli("batch", POLICY, str(tmp_path / "none.csv"))
    assert result.code == 2
    assert str(tmp_path / "none.csv") in result.err


def test_batch_unwritable_output(tmp_path: Path) -> None:
    """An output in a folder that does not exist: exit 2, naming the output as given."""
    output = tmp_path / "no" / "out.csv"
    result = cli("batch", POLICY, roster_file(tmp_path), "-o", str(output))
    assert result.code == 2
    assert result.err.startswith(f"{output}: ")


def test_batch_invalid_policy(tmp_path: Path) -> None:
    """An invalid policy: exit 1 with its problems, before the roster is read."""
    path, where = broken_policy(tmp_path)
    result = cli("batch", str(path), roster_file(tmp_path))
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith(where)


def test_python_dash_m_entry_point() -> None:
    """`python -m contribpolicy validate policies/2025.yaml` runs the real entry point."""
    completed = subprocess.run(
        [sys.executable, "-m", "contribpolicy", "validate", "policies/2025.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (completed.returncode, completed.stdout) == (0, "policies/2025.yaml: ok\n")


def test_planted_text_is_in_the_policy() -> None:
    """The planted edit matches the bundled policy exactly once (else the tests plant nothing)."""
    assert POLICY_TEXT.count(PLANTED[0]) == 1


def test_validate_imports_only_what_validating_needs() -> None:
    """A pre-commit hook runs validate on every commit: it loads no columnar, spreadsheet,
    progress or data-frame library, and no other command's module (issue 16)."""
    script = (
        "import sys\n"
        "from contribpolicy.cli import main\n"
        f"code = main(['validate', {POLICY!r}])\n"
        "heavy = ['numpy', 'pyarrow', 'pandas', 'tqdm', 'openpyxl', 'contribpolicy.cli._batch',"
        " 'contribpolicy.cli._test', 'contribpolicy.cli._diff']\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_every_command_module_is_registered() -> None:
    """Each cli module with a ``register`` is in the lazily imported command table, so a new
    command cannot be left out of ``contribpolicy --help``."""
    import importlib
    import pkgutil

    from contribpolicy import cli

    modules = {
        info.name
        for info in pkgutil.iter_modules(cli.__path__)
        if hasattr(importlib.import_module(f"contribpolicy.cli.{info.name}"), "register")
    }
    assert modules == set(cli._COMMANDS.values())
