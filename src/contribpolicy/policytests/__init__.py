"""Policy test cases: people with the amounts the plan gives them, run against the policy.

``contribpolicy test PATH...`` and the pytest plugin (``contribpolicy.pytest_plugin``) both run
the case files of ``policies/tests/<year>/``; the format is in docs/ci.md. Nothing here imports
pytest: the runner is part of the library, the plugin only adapts it.
"""

from contribpolicy.policytests._cases import (
    CASE_SCHEMA,
    CaseFile,
    Expectation,
    PolicyCase,
    load_case_file,
)
from contribpolicy.policytests._run import (
    CaseFailure,
    CaseResult,
    Coverage,
    RuleCoverage,
    case_issues,
    coverage,
    run_case,
)
from contribpolicy.policytests._session import RunReport, find_case_files, is_case_file, run_tests

__all__ = [
    "CASE_SCHEMA",
    "CaseFailure",
    "CaseFile",
    "CaseResult",
    "Coverage",
    "Expectation",
    "PolicyCase",
    "RuleCoverage",
    "RunReport",
    "case_issues",
    "coverage",
    "find_case_files",
    "is_case_file",
    "load_case_file",
    "run_case",
    "run_tests",
]
