"""Rendering problems for people and CI: text, JSON, GitHub annotations, SARIF, JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contribpolicy import Finding, Location, PolicyIssue
from contribpolicy.checks import CODES
from contribpolicy.cli._formats import as_dict, github_line, junit_xml, sarif_log, text_lines
from contribpolicy.policytests import CaseFailure

HOLE = Finding(
    "check.age-hole",
    "age band medical-relief-60-69 (60 to 68) ends before medical-relief-70-plus: age 69",
    Location("policies/2025.yaml", 310, 21, "/schemes/medical/rules/5/when/age"),
    rule_id="medical-relief-60-69",
    counterexample="cases:\n- name: age-hole\n\n  person: {person_id: x}\n",
)
SILENCED = Finding(
    "check.unread-status",
    "status 'disability_3' is declared but no rule reads it",
    Location("policies/2025.yaml", 38, 5, "/inputs/statuses/disability_3"),
    target="disability_3",
    silenced="only grades 1 and 2 are severe",
)
ISSUE = PolicyIssue(
    Location("policies/2025.yaml", 276, 16, "/schemes/medical/rules/2/total"),
    "parts add up to 1120.00, not the total 1070.00",
    "semantic.parts-sum",
    rule_id="medical-premium",
)


def test_text_line_is_file_line_col_severity_message_rule() -> None:
    """The one-line form every command prints."""
    assert text_lines(ISSUE) == [
        "policies/2025.yaml:276:16: error: parts add up to 1120.00, not the total 1070.00 "
        "[medical-premium]"
    ]


def test_text_shows_the_counterexample_indented_only_when_asked() -> None:
    """`check` prints the case under the line; blank lines stay blank."""
    assert len(text_lines(HOLE)) == 1
    assert text_lines(HOLE, counterexample=True)[1:] == [
        "    cases:",
        "    - name: age-hole",
        "",
        "      person: {person_id: x}",
    ]


def test_text_names_the_reason_of_a_silenced_finding() -> None:
    """Shown with --show-silenced: the reason follows the line."""
    assert text_lines(SILENCED)[0].endswith("(silenced: only grades 1 and 2 are severe)")


def test_json_has_both_coordinates_and_the_extras() -> None:
    """File, line, column and pointer; code, severity, message, rule; finding extras."""
    assert as_dict(ISSUE) == {
        "file": "policies/2025.yaml",
        "line": 276,
        "column": 16,
        "pointer": "/schemes/medical/rules/2/total",
        "code": "semantic.parts-sum",
        "severity": "error",
        "message": "parts add up to 1120.00, not the total 1070.00",
        "rule_id": "medical-premium",
    }
    assert as_dict(SILENCED)["silenced"] == "only grades 1 and 2 are severe"
    assert as_dict(HOLE)["counterexample"] == HOLE.counterexample


def test_github_annotation() -> None:
    """A workflow command at the file and line, titled with the code and rule."""
    assert github_line(HOLE) == (
        "::warning file=policies/2025.yaml,line=310,col=21,"
        "title=check.age-hole [medical-relief-60-69]::" + HOLE.message
    )


def test_github_annotation_escapes_what_would_end_it() -> None:
    """%, newlines, and in properties ':' and ',' are percent-encoded."""
    problem = CaseFailure(Location("a,b:c.yaml", 3, 1), "100% wrong\nsecond line")
    assert github_line(problem, title="policy test") == (
        "::error file=a%2Cb%3Ac.yaml,line=3,col=1,title=policy test::100%25 wrong%0Asecond line"
    )


def test_github_annotation_without_a_line() -> None:
    """A problem with no line (an unreadable file) annotates the file only."""
    problem = PolicyIssue(Location("missing.yaml"), "cannot read: No such file", "io.read")
    assert (
        github_line(problem) == "::error file=missing.yaml,title=io.read::cannot read: No such file"
    )


def test_sarif_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """SARIF 2.1.0: a rule per code with its level, results located, suppressions with reasons."""
    monkeypatch.chdir(tmp_path)
    absolute = PolicyIssue(Location(str(tmp_path / "p" / "x.yaml"), 2, 3), "bad", "yaml.syntax")
    log = sarif_log([HOLE, SILENCED, ISSUE, absolute], "9.9", CODES)
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("contribpolicy", "9.9")
    rules = [rule["id"] for rule in driver["rules"]]
    assert rules[: len(CODES)] == list(CODES)
    assert rules[len(CODES) :] == ["semantic.parts-sum", "yaml.syntax"]
    hole, silenced, issue, relative = run["results"]
    assert rules[hole["ruleIndex"]] == "check.age-hole"
    assert hole["level"] == "warning"
    assert hole["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "policies/2025.yaml"},
        "region": {"startLine": 310, "startColumn": 21},
    }
    assert hole["locations"][0]["logicalLocations"] == [
        {"name": "medical-relief-60-69", "kind": "member"}
    ]
    assert "suppressions" not in hole
    assert silenced["suppressions"] == [
        {"kind": "inSource", "justification": "only grades 1 and 2 are severe"}
    ]
    assert issue["level"] == "error"
    assert driver["rules"][issue["ruleIndex"]]["defaultConfiguration"] == {"level": "error"}
    assert relative["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "p/x.yaml"}


def test_junit_xml() -> None:
    """A suite per case file, a testcase per case, failures with locations; file problems as
    errors of their own suite; totals on the root."""
    failure = CaseFailure(Location("t.yaml", 6, 21), "case 'x': medical individual is 400.00")
    xml = junit_xml(
        {"t.yaml": [("x", 2, [failure]), ("y", 8, [])]},
        [PolicyIssue(Location("u.yaml", 3, 5), "unknown key 'expected'", "schema.unknown-key")],
    )
    root = ET.fromstring(xml)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    suite, problems = root
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == ("t.yaml", "2", "1")
    first, second = suite
    assert (first.get("name"), first.get("line"), first.get("file")) == ("x", "2", "t.yaml")
    [fail] = first
    assert fail.tag == "failure"
    assert fail.text == "t.yaml:6:21: case 'x': medical individual is 400.00"
    assert list(second) == []
    [error] = problems[0]
    assert (error.tag, error.get("type")) == ("error", "schema.unknown-key")
