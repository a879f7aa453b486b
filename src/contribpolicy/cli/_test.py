"""``contribpolicy test PATH...``: run policy test cases, and report rule coverage.

PATHs are case files, or folders searched for ``*.yaml`` under a ``policies/tests/`` folder.
``--coverage`` reports, per rule, how many cases it applied in, and fails under
``--min-coverage`` (100 when not given: every rule of a bundled policy is pinned by a case).
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from contribpolicy.cli._common import FAILED, OK, PROBLEMS, Streams
from contribpolicy.cli._formats import (
    TEST_FORMATS,
    Reportable,
    as_dict,
    github_line,
    junit_xml,
    text_lines,
)
from contribpolicy.policytests import CaseResult, Coverage, RunReport, run_tests


def _percent(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a percentage: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"a percentage is from 0 to 100, not {text}")
    return value


def register(commands: Any) -> None:
    test = commands.add_parser("test", help="run policy test cases (policies/tests/...)")
    test.add_argument("paths", nargs="+", metavar="PATH", help="case files or folders")
    test.add_argument("--format", choices=TEST_FORMATS, default="text")
    test.add_argument(
        "--coverage", action="store_true", help="report how many cases each rule applied in"
    )
    test.add_argument(
        "--min-coverage",
        type=_percent,
        metavar="PCT",
        help="fail when fewer than PCT%% of a policy's rules are covered "
        "(implies --coverage; default 100 with --coverage)",
    )
    test.set_defaults(command=run)


def run(args: argparse.Namespace, streams: Streams) -> int:
    report = run_tests(args.paths)
    for problem in report.unusable:
        print(text_lines(problem)[0], file=streams.err)
    minimum = args.min_coverage
    if minimum is None and args.coverage:
        minimum = Decimal(100)
    short = [c for c in report.coverage if minimum is not None and c.percent < minimum]
    _RENDER[args.format](report, streams, minimum)
    if report.unusable:
        return FAILED
    return PROBLEMS if report.failed or report.problems or short else OK


def _failures(report: RunReport) -> list[Reportable]:
    return [*report.problems, *(f for result in report.failed for f in result.failures)]


def _summary(report: RunReport) -> str:
    files = len({result.file.path for result in report.results})
    cases, failed = len(report.results), len(report.failed)
    return (
        f"{_count(cases, 'case')} in {_count(files, 'file')}: "
        f"{cases - failed} passed, {failed} failed"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _coverage_lines(coverage: Coverage, minimum: Decimal | None) -> list[str]:
    head = (
        f"rule coverage of {coverage.policy}: {coverage.covered} of {len(coverage.rules)} "
        f"rules ({coverage.percent}%)"
    )
    width = max((len(rule.rule_id) for rule in coverage.rules), default=0)
    lines = [head]
    for rule in coverage.rules:
        cases = _count(rule.cases, "case")
        lines.append(f"  {rule.rule_id:<{width}}  {cases:>9}  {rule.location}")
    if minimum is not None and coverage.percent < minimum:
        uncovered = ", ".join(rule.rule_id for rule in coverage.rules if not rule.cases)
        lines.append(
            f"{coverage.policy}: error: rule coverage {coverage.percent}% is under the minimum "
            f"{minimum}%; no case applies {uncovered}"
        )
    return lines


def _text(report: RunReport, streams: Streams, minimum: Decimal | None) -> None:
    for problem in _failures(report):
        print(text_lines(problem)[0], file=streams.out)
    if report.results:
        print(_summary(report), file=streams.out)
    if minimum is not None:
        for coverage in report.coverage:
            print("\n".join(_coverage_lines(coverage, minimum)), file=streams.out)


def _github(report: RunReport, streams: Streams, minimum: Decimal | None) -> None:
    for problem in _failures(report):
        print(github_line(problem, title="policy test"), file=streams.out)
    if report.results:
        print(_summary(report), file=streams.out)
    if minimum is not None:
        for coverage in report.coverage:
            lines = _coverage_lines(coverage, minimum)
            print("\n".join(lines[:-1] if coverage.percent < minimum else lines), file=streams.out)
            if coverage.percent < minimum:
                print(f"::error title=rule coverage::{lines[-1]}", file=streams.out)


def _result_dict(result: CaseResult) -> dict[str, Any]:
    return {
        "file": result.file.path,
        "name": result.case.name,
        "cite": result.case.cite,
        "line": result.case.location.line,
        "passed": result.passed,
        "failures": [as_dict(failure) for failure in result.failures],
        "applied": sorted(result.applied),
    }


def _coverage_dict(coverage: Coverage, minimum: Decimal | None) -> dict[str, Any]:
    return {
        "policy": coverage.policy,
        "covered": coverage.covered,
        "rules_total": len(coverage.rules),
        "percent": str(coverage.percent),
        "minimum": None if minimum is None else str(minimum),
        "rules": [
            {
                "rule_id": r.rule_id,
                "scheme": r.scheme,
                "location": str(r.location),
                "cases": r.cases,
            }
            for r in coverage.rules
        ],
    }


def _json(report: RunReport, streams: Streams, minimum: Decimal | None) -> None:
    document = {
        "summary": {
            "cases": len(report.results),
            "passed": len(report.results) - len(report.failed),
            "failed": len(report.failed),
        },
        "results": [_result_dict(result) for result in report.results],
        "problems": [as_dict(problem) for problem in (*report.problems, *report.unusable)],
        "coverage": [_coverage_dict(c, minimum) for c in report.coverage],
    }
    json.dump(document, streams.out, ensure_ascii=False, indent=2)
    streams.out.write("\n")


def _junit(report: RunReport, streams: Streams, minimum: Decimal | None) -> None:
    suites: dict[str, list[tuple[str, int | None, list[Reportable]]]] = {}
    for result in report.results:
        failures: list[Reportable] = list(result.failures)
        row = (result.case.name, result.case.location.line, failures)
        suites.setdefault(result.file.path, []).append(row)
    streams.out.write(junit_xml(suites, [*report.problems, *report.unusable]))
    if minimum is not None:
        for coverage in report.coverage:
            print("\n".join(_coverage_lines(coverage, minimum)), file=streams.err)


_RENDER = {"text": _text, "github": _github, "json": _json, "junit": _junit}
