"""The commands for CI (check, validate with checks, test, schema), their exit codes and formats,
the committed schema and modeline, the pre-commit hooks and the workflow of docs/ci.md."""

from __future__ import annotations

import io
import json
import re
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from _policy_edit import POLICY_TEXT, edit, position, write
from contribpolicy.cli import _parser, run

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
TESTS_2025 = str(ROOT / "policies" / "tests" / "2025")
SCHEMA = ROOT / "schema" / "policy-1.schema.json"
HOLE = ("when: {age: {min: 60, max: 69}}", "when: {age: {min: 60, max: 68}}")


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err


def cli(*argv: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, io.StringIO())
    return Result(code, out.getvalue(), err.getvalue())


def holed(tmp_path: Path) -> tuple[Path, str]:
    """A policy with an age hole, and the file:line:col where it must be reported."""
    text = edit(HOLE)
    path = write(tmp_path, text)
    line, column = position(text, HOLE[1], "{min")
    return path, f"{path}:{line}:{column}"


# --- check and validate -------------------------------------------------------------------------


def test_check_clean_policy() -> None:
    """The 2025 policy: exit 0, 'ok', nothing on stderr."""
    result = cli("check", POLICY)
    assert (result.code, result.out, result.err) == (0, f"{POLICY}: ok\n", "")


def test_check_reports_the_finding_at_its_line_with_the_counterexample(tmp_path: Path) -> None:
    """A warning is a finding: exit 1; the line, then the case indented under it."""
    path, where = holed(tmp_path)
    result = cli("check", str(path))
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith(f"{where}: warning: age band medical-relief-60-69 (60 to 68)")
    assert lines[0].endswith("[medical-relief-60-69]")
    assert lines[1].startswith("    # Counterexample for check.age-hole")
    assert "    - name: age-hole-medical-relief-60-69" in lines


def test_validate_runs_the_static_checks_one_line_each(tmp_path: Path) -> None:
    """validate reports what check finds, without counterexamples."""
    path, where = holed(tmp_path)
    result = cli("validate", str(path))
    assert result.code == 1
    [line] = result.out.splitlines()
    assert line.startswith(f"{where}: warning: age band")


def test_fail_on_error_lets_warnings_pass(tmp_path: Path) -> None:
    """--fail-on error: warnings are printed, the exit code is 0."""
    path, where = holed(tmp_path)
    result = cli("check", "--fail-on", "error", str(path))
    assert result.code == 0
    assert result.out.startswith(where)


def test_missing_policy_could_not_run(tmp_path: Path) -> None:
    """A file that cannot be read: exit 2, on stderr, even beside a clean policy."""
    result = cli("check", str(tmp_path / "none.yaml"), POLICY)
    assert result.code == 2
    assert "cannot read" in result.err


def test_check_json_and_silenced_findings() -> None:
    """--format json: a list; with --show-silenced the accepted findings and their reasons."""
    assert json.loads(cli("check", "--format", "json", POLICY).out) == []
    result = cli("check", "--format", "json", "--show-silenced", POLICY)
    assert result.code == 0
    found = json.loads(result.out)
    assert [(f["code"], f["line"], f["silenced"] is not None) for f in found] == [
        (
            "check.unread-status",
            position(POLICY_TEXT, "    disability_3:", "disability_3")[0],
            True,
        ),
        (
            "check.unread-status",
            position(POLICY_TEXT, "    disability_4:", "disability_4")[0],
            True,
        ),
    ]


def test_check_github_annotations(tmp_path: Path) -> None:
    """--format github: one workflow command per finding, at the line."""
    path, where = holed(tmp_path)
    _, line, column = where.rsplit(":", 2)
    result = cli("check", "--format", "github", str(path))
    assert result.code == 1
    assert result.out.startswith(
        f"::warning file={path},line={line},col={column},"
        "title=check.age-hole [medical-relief-60-69]::age band"
    )


def test_check_sarif_keeps_silenced_findings_as_suppressions() -> None:
    """--format sarif: valid-looking SARIF; the 2025 accepted findings carry their reason."""
    result = cli("check", "--format", "sarif", POLICY)
    assert result.code == 0
    log = json.loads(result.out)
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["check.unread-status", "check.unread-status"]
    assert all(r["suppressions"][0]["justification"] for r in results)


def test_load_problems_in_every_format(tmp_path: Path) -> None:
    """A policy that does not load is reported, with its code, in json and sarif too."""
    text = edit(
        (
            "        combine: most_favourable\n\n      - id: medical-relief-70-plus",
            "        combin: most_favourable\n\n      - id: medical-relief-70-plus",
        )
    )
    path = write(tmp_path, text)
    found = json.loads(cli("validate", "--format", "json", str(path)).out)
    assert {f["code"] for f in found} == {"schema.unknown-key", "schema.required"}
    unknown = next(f for f in found if f["code"] == "schema.unknown-key")
    assert "did you mean 'combine'?" in unknown["message"]
    sarif = json.loads(cli("validate", "--format", "sarif", str(path)).out)
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == found_codes(found)


def found_codes(found: list[dict[str, str]]) -> set[str]:
    return {f["code"] for f in found}


# --- test ---------------------------------------------------------------------------------------


def test_test_passes_on_the_2025_cases() -> None:
    """All 2025 cases pass: exit 0 and a summary line."""
    result = cli("test", TESTS_2025)
    assert result.code == 0
    assert re.fullmatch(r"(\d+) cases in 5 files: \1 passed, 0 failed\n", result.out)


def test_test_coverage_defaults_to_requiring_every_rule() -> None:
    """--coverage with no minimum requires 100%: one file of 2025 cases covers less, exit 1."""
    one_file = str(Path(TESTS_2025) / "enrolment.yaml")
    result = cli("test", one_file, "--coverage")
    assert result.code == 1
    assert "rule coverage 73.3% is under the minimum 100%" in result.out
    assert "no case applies pension-referral-60-plus, pension-proxy-severe-disability" in result.out
    assert cli("test", one_file, "--min-coverage", "70").code == 0


def test_test_full_coverage_of_2025() -> None:
    """The 2025 cases cover every rule of the 2025 policy."""
    result = cli("test", TESTS_2025, "--coverage")
    assert result.code == 0
    assert "15 of 15 rules (100.0%)" in result.out


def test_test_failed_case_exits_1(tmp_path: Path) -> None:
    """A failing case: exit 1, its line, the summary."""
    cases = tmp_path / "policies" / "tests" / "2025"
    cases.mkdir(parents=True)
    (tmp_path / "policies" / "2025.yaml").write_text(POLICY_TEXT, encoding="utf-8")
    (cases / "x.yaml").write_text(
        "cases:\n  - name: wrong\n    person: {person_id: a, birth_date: 1980-05-01,"
        ' residence: local}\n    expect:\n      medical: {total: "1000.00"}\n',
        encoding="utf-8",
    )
    result = cli("test", str(tmp_path / "policies"))
    assert result.code == 1
    assert f"{cases / 'x.yaml'}:5:" in result.out
    assert "medical total is 1070.00, expected 1000.00" in result.out
    assert result.out.endswith("1 case in 1 file: 0 passed, 1 failed\n")


@pytest.mark.parametrize("where", ["empty", "missing"])
def test_test_with_nothing_to_run_could_not_run(tmp_path: Path, where: str) -> None:
    """No case file found, or a path that does not exist: exit 2, never a pass."""
    (tmp_path / "empty").mkdir()
    result = cli("test", str(tmp_path / where))
    assert result.code == 2
    assert result.err


def test_test_junit_and_json() -> None:
    """--format junit is JUnit XML; --format json has a summary and a result per case."""
    xml = cli("test", TESTS_2025, "--format", "junit")
    root = ET.fromstring(xml.out)
    assert (xml.code, root.tag, root.get("failures")) == (0, "testsuites", "0")
    assert len(root) == 5
    data = json.loads(cli("test", TESTS_2025, "--format", "json", "--coverage").out)
    assert data["summary"]["failed"] == 0
    assert len(data["results"]) == data["summary"]["cases"]
    assert data["coverage"][0]["percent"] == "100.0"


# --- schema -------------------------------------------------------------------------------------


def test_schema_prints_the_assembled_schema() -> None:
    """`schema` prints JSON with a branch per installed kind, the plugin's too."""
    result = cli("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    branches = schema["$defs"]["rule"]["allOf"]
    kinds = {branch["if"]["properties"]["kind"]["const"] for branch in branches}
    assert {"relief", "tier_choice", "flat_bonus"} <= kinds


def test_committed_schema_is_up_to_date() -> None:
    """schema/policy-1.schema.json is what `contribpolicy schema --builtin` prints."""
    assert SCHEMA.read_text(encoding="utf-8") == cli("schema", "--builtin").out
    assert "flat_bonus" not in SCHEMA.read_text(encoding="utf-8")


def test_schema_to_a_file(tmp_path: Path) -> None:
    """-o writes the file; a folder that does not exist cannot be written: exit 2."""
    target = tmp_path / "policy.schema.json"
    assert cli("schema", "-o", str(target)).code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["$id"]
    assert cli("schema", "-o", str(tmp_path / "no" / "such.json")).code == 2


def test_policy_modeline_points_at_the_committed_schema() -> None:
    """policies/2025.yaml starts with the yaml-language-server modeline naming the schema."""
    first = POLICY_TEXT.split("\n", 1)[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match is not None
    assert (Path(POLICY).parent / match.group(1)).resolve() == SCHEMA


# --- pre-commit and the workflow ----------------------------------------------------------------


def test_pre_commit_hooks() -> None:
    """The hooks run validate on policy files, never on case files, and test on the cases."""
    hooks = {
        hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    validate = hooks["contribpolicy-validate"]
    assert (validate["entry"], validate["language"]) == ("contribpolicy validate", "python")
    files, exclude = re.compile(validate["files"]), re.compile(validate["exclude"])
    assert files.search("policies/2025.yaml")
    assert files.search("policies/2026.yml")
    assert exclude.search("policies/tests/2025/medical.yaml")
    assert not exclude.search("policies/2025.yaml")
    assert not files.search("docs/policy.yaml")
    test = hooks["contribpolicy-test"]
    assert shlex.split(test["entry"])[:2] == ["contribpolicy", "test"]
    assert test["pass_filenames"] is False


def _workflow_commands() -> list[list[str]]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = text.split("<!-- workflow -->\n```yaml\n", 1)[1].split("```", 1)[0]
    steps = yaml.safe_load(block)["jobs"]["policies"]["steps"]
    commands = []
    for step in steps:
        line = step.get("run", "")
        if line.startswith("contribpolicy "):
            words = shlex.split(line)
            cut = next((i for i, w in enumerate(words) if w in (">", ">>", "||")), len(words))
            commands.append(words[1:cut])
    return commands


def test_workflow_runs_every_command_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each contribpolicy step of the docs/ci.md workflow parses and exits 0 on this repository."""
    commands = _workflow_commands()
    assert {c[0] for c in commands} == {"check", "test", "diff"}
    monkeypatch.chdir(ROOT)
    for argv in commands:
        _parser().parse_args(argv)
        result = cli(*argv)
        assert result.code == 0, (argv, result.out[-2000:], result.err)
