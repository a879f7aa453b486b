"""Policy test cases: reading case files, running them, rule coverage, and the pytest plugin."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import contribpolicy
from _policy_edit import POLICY_TEXT, position
from contribpolicy.policytests import (
    find_case_files,
    is_case_file,
    load_case_file,
    run_case,
    run_tests,
)

ROOT = Path(__file__).resolve().parent.parent
TESTS_2025 = ROOT / "policies" / "tests" / "2025"

ONE_CASE = """\
cases:
  - name: ordinary-resident-pays-400
    cite: 五（一）
    person: {person_id: m-1, birth_date: 1980-05-01, residence: local}
    expect:
      medical: {status: eligible, individual: "400.00", government: "670.00", total: "1070.00"}
"""


def project(tmp_path: Path, cases: str, name: str = "cases.yaml") -> Path:
    """A policy repository with the 2025 policy and one case file; returns the case file."""
    policies = tmp_path / "policies"
    (policies / "tests" / "2025").mkdir(parents=True, exist_ok=True)
    (policies / "2025.yaml").write_text(POLICY_TEXT, encoding="utf-8")
    path = policies / "tests" / "2025" / name
    path.write_text(cases, encoding="utf-8")
    return path


# --- the bundled cases --------------------------------------------------------------------------


def test_2025_cases_pass_and_cover_every_rule() -> None:
    """policies/tests/2025 passes and every rule of policies/2025.yaml applies in some case."""
    report = run_tests([TESTS_2025])
    assert (report.failed, report.problems, report.unusable) == ((), (), ())
    assert len(report.results) >= 20
    [coverage] = report.coverage
    assert coverage.policy == os.path.normpath(ROOT / "policies" / "2025.yaml")
    assert [rule.rule_id for rule in coverage.rules if not rule.cases] == []
    assert coverage.percent == 100


# --- reading case files -------------------------------------------------------------------------


def test_folder_name_selects_the_policy(tmp_path: Path) -> None:
    """policies/tests/2025/x.yaml tests policies/2025.yaml when it names no policy."""
    path = project(tmp_path, ONE_CASE)
    assert load_case_file(path).policy == str(tmp_path / "policies" / "2025.yaml")


def test_policy_key_is_relative_to_the_case_file(tmp_path: Path) -> None:
    """`policy:` names the policy relative to the case file."""
    path = project(tmp_path, "policy: ../../other.yaml\n" + ONE_CASE)
    assert load_case_file(path).policy == str(tmp_path / "policies" / "other.yaml")


def test_misspelt_case_key_gets_a_suggestion_at_its_line(tmp_path: Path) -> None:
    """`expected:` for `expect:` is refused at the key, with a suggestion."""
    text = ONE_CASE.replace("    expect:", "    expected:")
    path = project(tmp_path, text)
    with pytest.raises(contribpolicy.PolicyError) as caught:
        load_case_file(path)
    unknown = [i for i in caught.value.issues if i.code == "schema.unknown-key"]
    assert "unknown key 'expected'; did you mean 'expect'?" in unknown[0].message
    line, column = position(text, "    expected:", "expected")
    assert (unknown[0].location.line, unknown[0].location.column) == (line, column)


def test_amount_written_as_a_number_is_refused(tmp_path: Path) -> None:
    """Amounts are text, so that 400 and 400.00 are one spelling of an exact decimal."""
    text = ONE_CASE.replace('individual: "400.00"', "individual: 400")
    with pytest.raises(contribpolicy.PolicyError) as caught:
        load_case_file(project(tmp_path, text))
    [issue] = caught.value.issues
    assert issue.code == "schema.type"
    assert issue.location.pointer == "/cases/0/expect/medical/individual"
    assert 'written as text (in quotes): "400"' in issue.message


def test_a_bare_list_of_cases_is_told_to_start_with_cases(tmp_path: Path) -> None:
    """The cases written as a list without `cases:`: one line saying what a case file is,
    never the whole file dumped back."""
    text = "\n".join(line[2:] for line in ONE_CASE.split("\n")[1:])
    with pytest.raises(contribpolicy.PolicyError) as caught:
        load_case_file(project(tmp_path, text))
    [issue] = caught.value.issues
    assert issue.message == (
        "a case file is a mapping that starts with cases: (and may name its policy:); found a list"
    )


def test_duplicate_case_name(tmp_path: Path) -> None:
    """Two cases of one name in a file are refused at the second, naming the first's line."""
    second = ONE_CASE.split("\n", 1)[1]
    with pytest.raises(contribpolicy.PolicyError) as caught:
        load_case_file(project(tmp_path, ONE_CASE + second))
    [issue] = caught.value.issues
    assert (issue.code, issue.location.line) == ("case.duplicate-name", 7)
    assert "already used at line 2" in issue.message


def test_unknown_scheme_and_rule_are_problems_of_the_file(tmp_path: Path) -> None:
    """A scheme or rule id the policy does not have: the file's problem, not a failed case."""
    text = ONE_CASE.replace("      medical:", "      medicl:") + "    applies: [medical-relif]\n"
    report = run_tests([project(tmp_path, text)])
    assert report.results == ()
    assert [issue.code for issue in report.problems] == ["case.unknown-scheme", "case.unknown-rule"]
    assert report.problems[1].location.line == 7
    scheme, rule = (issue.message for issue in report.problems)
    assert scheme == "scheme 'medicl' is not in the policy; did you mean 'medical'?"
    assert rule.startswith("rule 'medical-relif' is not in the policy shancheng-")
    assert "; did you mean 'medical-relief-" in rule


def test_a_case_without_expect_or_refused_is_said_in_words(tmp_path: Path) -> None:
    """`expcet:` leaves a case with neither expect nor refused: plain words, never jsonschema's
    dump of the case; a status not allowed lists the allowed ones as words."""
    text = ONE_CASE.replace("    expect:", "    expcet:")
    with pytest.raises(contribpolicy.PolicyError) as caught:
        load_case_file(project(tmp_path, text))
    messages = [issue.message for issue in caught.value.issues]
    assert messages[0].startswith("a case gives either expect (what each scheme gives) or refused")
    assert not any("valid under any" in message or "{" in message for message in messages)
    text = ONE_CASE.replace("status: eligible", "status: not_paid")
    with pytest.raises(contribpolicy.PolicyError) as caught:
        load_case_file(project(tmp_path, text, "status.yaml"))
    [issue] = caught.value.issues
    assert issue.message == (
        "'not_paid' is not one of eligible, ineligible, error, not_paying, referred"
    )


# --- running ------------------------------------------------------------------------------------


def test_wrong_amount_fails_at_the_expected_value(tmp_path: Path) -> None:
    """A case expecting 390 for an ordinary resident fails at that value, with both amounts."""
    text = ONE_CASE.replace('individual: "400.00"', 'individual: "390.00"')
    report = run_tests([project(tmp_path, text)])
    [result] = report.failed
    [failure] = result.failures
    assert failure.location.line == 6
    assert failure.location.pointer == "/cases/0/expect/medical/individual"
    assert failure.message == (
        "case 'ordinary-resident-pays-400' (五（一）): medical individual is 400.00, "
        "expected 390.00"
    )


def test_amounts_are_compared_as_decimals(tmp_path: Path) -> None:
    """ "400" and "400.00" are the same amount."""
    text = ONE_CASE.replace('individual: "400.00"', 'individual: "400"')
    assert run_tests([project(tmp_path, text)]).failed == ()


def test_components_are_compared_as_a_whole(tmp_path: Path) -> None:
    """Expected components must be exactly the government parts (zero parts aside)."""
    text = ONE_CASE.replace('total: "1070.00"}', 'components: {fiscal: "670.00", relief: "0"}}')
    assert run_tests([project(tmp_path, text)]).failed == ()
    text = ONE_CASE.replace('total: "1070.00"}', 'components: {relief: "670.00"}}')
    [result] = run_tests([project(tmp_path, text, "other.yaml")]).failed
    assert (
        "components are {fiscal: 670.00}, expected {relief: 670.00}" in result.failures[0].message
    )


def test_rules_expected_to_apply_or_not(tmp_path: Path) -> None:
    """`applies` and `not_applies` read the trace: a wrong expectation fails at its entry."""
    text = ONE_CASE + "    applies: [medical-relief-60-69]\n    not_applies: [medical-premium]\n"
    [result] = run_tests([project(tmp_path, text)]).failed
    assert [(f.location.pointer, f.message.split(": ", 1)[1]) for f in result.failures] == [
        ("/cases/0/applies/0", "rule medical-relief-60-69 did not apply"),
        ("/cases/0/not_applies/0", "rule medical-premium applied"),
    ]


def test_malformed_person_fails_the_case_naming_the_field(tmp_path: Path) -> None:
    """A person record the policy refuses fails the case at that field."""
    text = ONE_CASE.replace("residence: local}", "residence: abroad}")
    [result] = run_tests([project(tmp_path, text)]).failed
    [failure] = result.failures
    assert failure.location.pointer == "/cases/0/person/residence"
    assert "residence: 'abroad' is not one of: local (山城街道户籍)" in failure.message


def test_message_contains(policy_2025: contribpolicy.Policy, tmp_path: Path) -> None:
    """`message_contains` compares a part of a stopped scheme's message."""
    text = ONE_CASE.replace(
        'medical: {status: eligible, individual: "400.00", government: "670.00", total: "1070.00"}',
        "pension: {status: not_paying, message_contains: no pension_tier chosen}",
    )
    case_file = load_case_file(project(tmp_path, text))
    assert run_case(policy_2025, case_file, case_file.cases[0]).passed


def test_coverage_counts_the_cases_each_rule_applied_in(tmp_path: Path) -> None:
    """An ordinary resident with no tier: 5 pension rules apply (4 requirements, then the tier
    choice, which finds nothing chosen: not paying stops the scheme) and 4 medical ones (no
    relief): 9 of 15 (the referral, for 60+, does not apply)."""
    report = run_tests([project(tmp_path, ONE_CASE)])
    [coverage] = report.coverage
    counts = {rule.rule_id: rule.cases for rule in coverage.rules}
    assert counts["medical-premium"] == 1
    assert counts["medical-relief-60-69"] == 0
    assert counts["pension-tier"] == 1
    assert counts["pension-subsidy"] == 0
    assert coverage.covered == 9
    assert coverage.percent == Decimal("60.0")


# --- finding case files -------------------------------------------------------------------------


def test_only_yaml_under_policies_tests_is_a_case_file(tmp_path: Path) -> None:
    """A project's own YAML (CI config, the policies themselves) is never taken for cases."""
    path = project(tmp_path, ONE_CASE)
    (tmp_path / "config.yaml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    assert is_case_file(path)
    assert not is_case_file(tmp_path / "policies" / "2025.yaml")
    assert not is_case_file(tmp_path / "config.yaml")
    assert find_case_files([tmp_path]) == ([path], [])


def test_nothing_found_is_unusable_not_success(tmp_path: Path) -> None:
    """No case file, or a path that does not exist, makes the run unusable (exit 2)."""
    report = run_tests([tmp_path, tmp_path / "missing"])
    assert [issue.code for issue in report.unusable] == ["io.read", "case.none-found"]
    assert report.results == ()


def test_missing_policy_is_unusable(tmp_path: Path) -> None:
    """A case file whose policy does not exist cannot be run."""
    path = project(tmp_path, "policy: ../../2024.yaml\n" + ONE_CASE)
    [issue] = run_tests([path]).unusable
    assert issue.code == "case.no-policy"
    assert issue.location.line == 1


# --- the pytest plugin --------------------------------------------------------------------------


def _pytest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)


def test_plugin_runs_the_2025_cases_with_plain_pytest() -> None:
    """`pytest policies/tests/2025` collects each case as a test, through the entry point."""
    result = _pytest(str(TESTS_2025), cwd=ROOT)
    cases = len(run_tests([TESTS_2025]).results)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{cases} passed" in result.stdout


def test_plugin_reports_a_failed_case_at_its_line(tmp_path: Path) -> None:
    """A failing case fails its test item with file:line:col and the amounts."""
    text = ONE_CASE.replace('individual: "400.00"', 'individual: "390.00"')
    path = project(tmp_path, text)
    (tmp_path / "config.yaml").write_text("not: [a, case, file\n", encoding="utf-8")
    result = _pytest(cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed" in result.stdout
    assert f"{path}:6:" in result.stdout
    assert "medical individual is 400.00, expected 390.00" in result.stdout


def test_plugin_reports_a_bad_case_file_as_a_collection_error(tmp_path: Path) -> None:
    """A case file that does not read is an error of collection, located, never skipped."""
    project(tmp_path, ONE_CASE.replace("    expect:", "    expected:"))
    result = _pytest(cwd=tmp_path)
    assert result.returncode != 0
    assert "did you mean 'expect'?" in result.stdout
