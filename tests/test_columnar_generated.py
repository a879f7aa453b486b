"""Two implementations, one answer, for any policy (issue 10).

On generated whole policies (every built-in kind, every branch of its parameters, every rounding
mode and money places, nested and named conditions) with rosters for them (text rosters with
malformed cells, typed rosters), ``evaluate_table`` gives every row exactly what
``Policy.evaluate`` gives it. The planted disagreement proves the property can fail.

``CONTRIBPOLICY_EXAMPLES`` sets the number of generated cases (default 60, enough for
``make test``; run e.g. ``CONTRIBPOLICY_EXAMPLES=2000 pytest tests/test_columnar_generated.py``
to search longer).
"""

from __future__ import annotations

import decimal
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, Phase, given, settings

import contribpolicy
from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState
from contribpolicy.rules.relief import Relief
from contribpolicy.testing import BUILT_IN_KINDS, Case, assert_columnar_agrees, cases

EXAMPLES = int(os.environ.get("CONTRIBPOLICY_EXAMPLES", "60"))
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]


def _agrees(case: Case) -> None:
    assert_columnar_agrees(case.policy, case.rows)


test_generated_policies_agree_row_for_row = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW
)(given(case=cases())(_agrees))
test_generated_policies_agree_row_for_row.__doc__ = (
    "evaluate_table equals Policy.evaluate on generated policies and rosters, row for row."
)


def _rounding_the_other_way(
    self: Relief, columns: ColumnFacts, state: ColumnState, where: BoolArray
) -> None:
    """Relief.apply_columns with its share rounded down (up when the policy rounds down)."""
    other = decimal.ROUND_UP if state.rounding == decimal.ROUND_DOWN else decimal.ROUND_DOWN
    planted = ColumnState(state.size, state.places, other)
    assert self.share is not None  # the generator writes share reliefs only
    amount = planted.share_of(state.individual_part, self.share)
    if self.most_favourable:
        amount = amount - state.component(self.component)
    state.cover(self.component, amount, where)


def test_a_planted_rounding_disagreement_fails_the_property(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One rounding changed in relief's apply_columns: the generated cases find a row."""
    monkeypatch.setattr(Relief, "apply_columns", _rounding_the_other_way)
    search = settings(
        max_examples=400,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=SLOW,
    )(given(case=cases())(_agrees))
    with pytest.raises(AssertionError, match=r"evaluate_table differs from Policy\.evaluate"):
        search()


def test_built_in_kinds_are_all_generated() -> None:
    """The generator knows every built-in kind registered in pyproject.toml."""
    kinds = contribpolicy.default_registry().kinds.values()
    built_in = {kind.name for kind in kinds if kind.provider.startswith("contribpolicy ")}
    assert {kind.kind for kind in BUILT_IN_KINDS} == built_in


WITHOUT_HYPOTHESIS = """
import sys
sys.modules["hypothesis"] = None  # as if it were not installed
import contribpolicy
try:
    import contribpolicy.testing
except ImportError as err:
    print(err)
"""


def test_testing_without_hypothesis_names_the_extra() -> None:
    """contribpolicy imports without hypothesis; contribpolicy.testing says what to install."""
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_HYPOTHESIS], capture_output=True, text=True, check=True
    )
    assert "hypothesis cannot be imported" in result.stdout
    assert "pip install 'contribpolicy[testing]'" in result.stdout
