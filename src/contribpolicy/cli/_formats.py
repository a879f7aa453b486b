"""Problems and test results rendered for people and for CI systems.

One renderer per format, shared by ``validate``, ``check`` and ``test``: the one-line text form
``file:line:col: severity: message [rule-id]``; JSON; GitHub workflow commands, which annotate
the pull request at the line; SARIF 2.1.0 for code scanning; JUnit XML for test reports. A load
problem (``PolicyIssue``), a static-check finding and a failed test case all have the same
shape (``Reportable``), so each format is written once.
"""

from __future__ import annotations

import hashlib
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from contribpolicy.errors import Location
from contribpolicy.i18n import N_, SOURCE_LANGUAGE, translator

#: Severity words of a finding, for a reader of another language.
_SEVERITIES = {"error": N_("severity: error"), "warning": N_("severity: warning")}

__all__ = [
    "FINDING_FORMATS",
    "TEST_FORMATS",
    "Reportable",
    "as_dict",
    "github_line",
    "junit_xml",
    "sarif_log",
    "severity_word",
    "text_lines",
]

FINDING_FORMATS = ("text", "json", "github", "sarif")
TEST_FORMATS = ("text", "json", "github", "junit")
_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


class Reportable(Protocol):
    """What every reported problem has; findings add ``counterexample`` and ``silenced``."""

    @property
    def location(self) -> Location: ...

    @property
    def severity(self) -> str: ...

    @property
    def message(self) -> str: ...

    @property
    def code(self) -> str: ...

    @property
    def rule_id(self) -> str | None: ...


def severity_word(severity: str, lang: str) -> str:
    """``error`` or ``warning`` as a reader of ``lang`` says it (the code itself in English)."""
    if lang == SOURCE_LANGUAGE:
        return severity
    return translator(lang).gettext(_SEVERITIES.get(severity, severity))


def _extra(problem: Reportable, name: str) -> str | None:
    value = getattr(problem, name, None)
    return value if isinstance(value, str) else None


def text_lines(
    problem: Reportable, *, counterexample: bool = False, lang: str = SOURCE_LANGUAGE
) -> list[str]:
    """``file:line:col: severity: message [rule-id]``, then the counterexample case, indented;
    the severity and message in ``lang`` (a message from the catalog is translated)."""
    suffix = f" [{problem.rule_id}]" if problem.rule_id else ""
    silenced = _extra(problem, "silenced")
    note = f" (silenced: {silenced})" if silenced else ""
    severity, message = severity_word(problem.severity, lang), problem.message
    if lang != SOURCE_LANGUAGE:
        message = translator(lang).message(message)
    lines = [f"{problem.location}: {severity}: {message}{suffix}{note}"]
    example = _extra(problem, "counterexample")
    if counterexample and example:
        lines.extend("    " + line if line else "" for line in example.rstrip("\n").split("\n"))
    return lines


def as_dict(problem: Reportable) -> dict[str, Any]:
    """The JSON form: both coordinates, code, severity, message, rule, and any extras."""
    where = problem.location
    result: dict[str, Any] = {
        "file": where.file,
        "line": where.line,
        "column": where.column,
        "pointer": where.pointer,
        "code": problem.code,
        "severity": problem.severity,
        "message": problem.message,
        "rule_id": problem.rule_id,
    }
    for name in ("counterexample", "silenced"):
        if hasattr(problem, name):
            result[name] = getattr(problem, name)
    return result


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(problem: Reportable, title: str | None = None) -> str:
    """A workflow command that annotates the file at the line in the pull request."""
    level = {"error": "error", "warning": "warning"}.get(problem.severity, "notice")
    where = problem.location
    fields = {"file": where.file, "line": where.line, "col": where.column}
    heading = title or problem.code + (f" [{problem.rule_id}]" if problem.rule_id else "")
    parts = [f"{key}={_escape_property(str(value))}" for key, value in fields.items() if value]
    parts.append(f"title={_escape_property(heading)}")
    return f"::{level} {','.join(parts)}::{_escape_data(problem.message)}"


def _uri(file: str | None) -> str:
    """A path as SARIF wants it: relative to the working folder, with forward slashes."""
    if not file:
        return "<policy>"
    path = Path(file)
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_uri()
    return Path(os.path.normpath(path)).as_posix()


def _sarif_result(problem: Reportable, rule_index: int) -> dict[str, Any]:
    where = problem.location
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(where.file)}}
    if where.line:
        physical["region"] = {"startLine": where.line, "startColumn": where.column or 1}
    result: dict[str, Any] = {
        "ruleId": problem.code,
        "ruleIndex": rule_index,
        "level": problem.severity if problem.severity in ("error", "warning") else "note",
        "message": {"text": problem.message},
        "locations": [{"physicalLocation": physical}],
    }
    if problem.rule_id:
        result["locations"][0]["logicalLocations"] = [{"name": problem.rule_id, "kind": "member"}]
    silenced = _extra(problem, "silenced")
    if silenced:
        result["suppressions"] = [{"kind": "inSource", "justification": silenced}]
    result["partialFingerprints"] = {_FINGERPRINT: _fingerprint(problem)}
    return result


#: The name of contribpolicy's fingerprint in SARIF ``partialFingerprints``.
_FINGERPRINT = "contribpolicy/v1"


def _fingerprint(problem: Reportable) -> str:
    """What identifies a finding across runs, whatever line it moved to: its code, rule, file,
    JSON pointer and message (code scanning matches results by it)."""
    where = problem.location
    parts = (problem.code, problem.rule_id or "", where.file or "", where.pointer, problem.message)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def sarif_log(
    problems: Sequence[Reportable], version: str, descriptions: Mapping[str, tuple[str, str]]
) -> dict[str, Any]:
    """A SARIF 2.1.0 log: one run, a rule per code (``descriptions``: code -> severity,
    summary), a result per problem; silenced findings carry their reason as a suppression."""
    codes = list(dict.fromkeys([*descriptions, *(problem.code for problem in problems)]))
    rules = []
    for code in codes:
        level, summary = descriptions.get(code, ("error", code))
        rules.append(
            {
                "id": code,
                "shortDescription": {"text": summary},
                "defaultConfiguration": {"level": level},
            }
        )
    driver = {"name": "contribpolicy", "version": version, "rules": rules}
    # A finding in a base policy is found again through each policy that extends it: once.
    results: dict[str, dict[str, Any]] = {}
    for problem in problems:
        result = _sarif_result(problem, codes.index(problem.code))
        results.setdefault(result["partialFingerprints"][_FINGERPRINT], result)
    return {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": list(results.values())}],
    }


def junit_xml(
    suites: Mapping[str, Sequence[tuple[str, int | None, Sequence[Reportable]]]],
    errors: Iterable[Reportable],
) -> str:
    """JUnit XML: a suite per case file, a testcase per case (name, line, failures); problems
    that kept files from running are errors of a suite of their own."""
    root = ET.Element("testsuites", name="contribpolicy")
    for file, cases in suites.items():
        suite = ET.SubElement(root, "testsuite", name=file)
        failed = 0
        for name, line, failures in cases:
            case = ET.SubElement(suite, "testcase", classname=file, name=name, file=file)
            if line is not None:
                case.set("line", str(line))
            if failures:
                failed += 1
                text = "\n".join(
                    str(failure.location) + ": " + failure.message for failure in failures
                )
                ET.SubElement(case, "failure", message=failures[0].message).text = text
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
    listed = list(errors)
    if listed:
        suite = ET.SubElement(root, "testsuite", name="contribpolicy", tests=str(len(listed)))
        suite.set("failures", "0")
        suite.set("errors", str(len(listed)))
        for problem in listed:
            case = ET.SubElement(
                suite, "testcase", classname="contribpolicy", name=str(problem.location)
            )
            ET.SubElement(
                case, "error", message=problem.message, type=problem.code
            ).text = text_lines(problem)[0]
    _totals(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _totals(root: ET.Element) -> None:
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(suite.get(key, "0")) for suite in root)))
