"""A finding's counterexample person, written as a policy test case that runs as it is.

The expected amounts are what the policy gives that person today: the officer replaces them
with what the plan says, and the case then fails until the policy is fixed. Saved under
``policies/tests/<stem>/``, the folder name selects ``policies/<stem>.yaml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from contribpolicy.checks.partition import Cell
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import ELIGIBLE, SchemeAssessment

__all__ = ["counterexample"]


def _expected(result: SchemeAssessment) -> dict[str, Any]:
    expect = result.to_dict(trace=False)
    del expect["message"]
    if result.status != ELIGIBLE:
        return {"status": expect["status"]}
    return expect


def counterexample(
    policy: Policy,
    code: str,
    name: str,
    cell: Cell,
    result: SchemeAssessment,
    *,
    applies: tuple[str, ...] = (),
) -> str:
    """A YAML test-case file with one case: the class's person and today's outcome."""
    stem = Path(policy.path).stem if policy.path else str(policy.coverage_year)
    case: dict[str, Any] = {
        "name": f"{code.removeprefix('check.')}-{name}",
        "person": cell.record(policy.age_basis.reference_date, person_id=f"{code}-{name}"),
        "expect": {result.scheme: _expected(result)},
    }
    if applies:
        case["applies"] = list(applies)
    folder = Path(policy.path).parent if policy.path else Path("policies")
    saved_as = (folder / "tests" / stem / f"{case['name']}.yaml").as_posix()
    header = (
        f"# Counterexample for {code}, found by `contribpolicy check`. Save it as\n"
        f"# {saved_as}\n"
        "# (beside the policy: that folder names the policy it tests). `expect` holds what the\n"
        "# policy gives this person today: write what the plan says instead, and the case\n"
        "# fails until the policy is fixed.\n"
    )
    body = yaml.safe_dump(
        {"cases": [case]}, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )
    return header + body
