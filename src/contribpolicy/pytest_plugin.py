"""The pytest plugin: policy test cases collected as tests, so a policy repository runs ``pytest``.

Registered under pytest's ``pytest11`` entry point, so installing contribpolicy is enough. It
collects only YAML files under a ``policies/tests/`` folder (``policies/tests/2025/*.yaml``),
never a project's other YAML; each case is one test item, named by the case, failing with the
``file:line:col`` of each expectation it broke. The runner is the library's
(``contribpolicy.policytests``): this module only adapts it, and the library never imports
pytest.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contribpolicy.errors import PolicyError
from contribpolicy.format.loader import load_policy
from contribpolicy.model.policy import Policy
from contribpolicy.policytests import (
    CaseFile,
    CaseResult,
    PolicyCase,
    case_issues,
    is_case_file,
    load_case_file,
    run_case,
)

__all__ = ["CaseFileCollector", "PolicyCaseItem", "pytest_collect_file"]

_POLICIES = pytest.StashKey[dict[str, Policy]]()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect a policy test-case file (``policies/tests/**.yaml``) as pytest items."""
    if is_case_file(file_path):
        collector: pytest.Collector = CaseFileCollector.from_parent(parent, path=file_path)
        return collector
    return None


class CaseFailed(Exception):
    """A case's result differed from what it expects."""

    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.case.name)
        self.result = result


class CaseFileCollector(pytest.File):
    """A case file: its policy is loaded once per session, each case becomes an item."""

    def collect(self) -> Iterator[PolicyCaseItem]:
        """One test item per case of the file, with the policy it names loaded once."""
        try:
            case_file = load_case_file(self.path)
            policy = self._policy(case_file.policy)
        except PolicyError as err:
            raise self.CollectError("\n".join(str(issue) for issue in err.issues)) from None
        issues = case_issues(case_file, policy)
        if issues:
            raise self.CollectError("\n".join(str(issue) for issue in issues))
        for case in case_file.cases:
            yield PolicyCaseItem.from_parent(
                self, name=case.name, case=case, case_file=case_file, policy=policy
            )

    def _policy(self, path: str) -> Policy:
        cache = self.config.stash.setdefault(_POLICIES, {})
        if path not in cache:
            if not Path(path).is_file():
                raise self.CollectError(
                    f"{self.path}: the policy {path} does not exist; name it with `policy:`"
                )
            cache[path] = load_policy(path)
        return cache[path]


class PolicyCaseItem(pytest.Item):
    """One policy test case."""

    def __init__(
        self, *, case: PolicyCase, case_file: CaseFile, policy: Policy, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.case_file = case_file
        self.policy = policy

    def runtest(self) -> None:
        """Run the case; a difference from what it expects fails the item."""
        result = run_case(self.policy, self.case_file, self.case)
        if not result.passed:
            raise CaseFailed(result)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        """The case's differences, as ``file:line`` lines, instead of a traceback."""
        if isinstance(excinfo.value, CaseFailed):
            return "\n".join(
                f"{failure.location}: {failure.message}"
                for failure in excinfo.value.result.failures
            )
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the case is, for pytest's report: its file, line and name."""
        line = self.case.location.line
        return self.path, None if line is None else line - 1, f"policy case {self.case.name}"
