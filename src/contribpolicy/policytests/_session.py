"""Finding case files, running them against their policies, and what could not be run.

"Nothing was checked" must never look like success: a path that does not exist, a folder with
no case file, a case file or policy that cannot be read, or a case file whose policy is missing
is reported as *unusable* (the command exits 2), apart from failed cases (exit 1).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from contribpolicy.errors import Location, PolicyError, PolicyIssue
from contribpolicy.format.loader import load_policy
from contribpolicy.model.policy import Policy
from contribpolicy.policytests._cases import CaseFile, load_case_file
from contribpolicy.policytests._run import CaseResult, Coverage, case_issues, coverage, run_case

__all__ = ["RunReport", "find_case_files", "is_case_file", "run_tests"]

_SUFFIXES = (".yaml", ".yml")


def is_case_file(path: Path) -> bool:
    """A YAML file under a ``policies/tests/`` folder: where case files live, and nothing else."""
    parts = path.absolute().parts
    under = any(pair == ("policies", "tests") for pair in itertools.pairwise(parts))
    return path.suffix in _SUFFIXES and under


def find_case_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Case files named or found under folders, in order; and the paths that do not exist."""
    found: list[Path] = []
    missing: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_case_file(p)))
        else:
            missing.append(str(given))
    return list(dict.fromkeys(found)), missing


@attrs.frozen
class RunReport:
    """Everything one run of case files found."""

    results: tuple[CaseResult, ...] = ()
    #: Case files or policies with problems: the run found them (exit 1).
    problems: tuple[PolicyIssue, ...] = ()
    #: What could not be run at all: missing paths, unreadable files, no case file (exit 2).
    unusable: tuple[PolicyIssue, ...] = ()
    coverage: tuple[Coverage, ...] = ()

    @property
    def failed(self) -> tuple[CaseResult, ...]:
        return tuple(result for result in self.results if not result.passed)


class _Runner:
    def __init__(self) -> None:
        self.results: list[CaseResult] = []
        self.problems: list[PolicyIssue] = []
        self.unusable: list[PolicyIssue] = []
        self.policies: dict[str, Policy | None] = {}
        self.by_policy: dict[str, list[CaseResult]] = {}

    def policy(self, case_file: CaseFile) -> Policy | None:
        key = case_file.policy
        if key not in self.policies:
            self.policies[key] = self._load(case_file)
        return self.policies[key]

    def _load(self, case_file: CaseFile) -> Policy | None:
        if not Path(case_file.policy).is_file():
            where = case_file.locate("/policy")
            hint = "" if "policy" in case_file.document.data else "; name it with `policy:`"
            message = f"the policy {case_file.policy} does not exist{hint}"
            self.unusable.append(PolicyIssue(where, message, "case.no-policy"))
            return None
        try:
            return load_policy(case_file.policy)
        except PolicyError as err:
            self._file_problems(err)
            return None

    def _file_problems(self, err: PolicyError) -> None:
        io = any(issue.code.startswith("io.") for issue in err.issues)
        (self.unusable if io else self.problems).extend(err.issues)

    def run_file(self, path: Path) -> None:
        try:
            case_file = load_case_file(path)
        except PolicyError as err:
            self._file_problems(err)
            return
        policy = self.policy(case_file)
        if policy is None:
            return
        issues = case_issues(case_file, policy)
        if issues:
            self.problems.extend(issues)
            return
        results = [run_case(policy, case_file, case) for case in case_file.cases]
        self.results.extend(results)
        self.by_policy.setdefault(case_file.policy, []).extend(results)


def run_tests(paths: Sequence[str | Path]) -> RunReport:
    """Run every case file named or found under ``paths``."""
    files, missing = find_case_files(paths)
    runner = _Runner()
    for name in missing:
        runner.unusable.append(PolicyIssue(Location(name), "no such file or folder", "io.read"))
    if not files:
        where = ", ".join(str(path) for path in paths)
        message = f"no policy test case files (*.yaml under a policies/tests/ folder) in {where}"
        runner.unusable.append(PolicyIssue(Location(where), message, "case.none-found"))
    for path in files:
        runner.run_file(path)
    reports = tuple(
        coverage(policy, name, runner.by_policy[name])
        for name, policy in runner.policies.items()
        if policy is not None and name in runner.by_policy
    )
    return RunReport(tuple(runner.results), tuple(runner.problems), tuple(runner.unusable), reports)
