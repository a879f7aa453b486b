"""Two implementations, one answer, for any policy (issue 10).

On generated whole policies (every built-in kind, every branch of its parameters, every rounding
mode and money places, nested and named conditions) with rosters for them (text rosters with
malformed cells, typed rosters), ``evaluate_table`` gives every row exactly what
``Policy.evaluate`` gives it. Issue 11's shapes are among them: contribution ranges (alone and
beside listed tiers, with steps, defaults, restrictions, ``unchosen: not_paying``) and subsidy
bands over them (fixed, shares, caps); fixed-sum reliefs and shares ``of`` every base; sex from
ID numbers and ``sex`` cells (agreeing, disagreeing, missing) with per-sex ages; whole-number
inputs and their bounds; ``first_match`` groups; referrals. The planted disagreement proves the
property can fail.

``CONTRIBPOLICY_EXAMPLES`` sets the number of generated cases (default 60, enough for
``make test``; run e.g. ``CONTRIBPOLICY_EXAMPLES=2000 pytest tests/test_columnar_generated.py``
to search longer).
"""

from __future__ import annotations

import decimal
import os
import subprocess
import sys

import hypothesis
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import contribpolicy
from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState
from contribpolicy.rules._common import base_columns
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


_RELIEF_APPLY_COLUMNS = Relief.apply_columns


def _rounding_the_other_way(
    self: Relief, columns: ColumnFacts, state: ColumnState, where: BoolArray
) -> None:
    """Relief.apply_columns with a share relief's share rounded up (down when the policy rounds
    up), which differs whenever the share of the base is not a whole minor unit; a fixed-sum
    relief is left as it is."""
    if self.share is None:
        _RELIEF_APPLY_COLUMNS(self, columns, state, where)
        return
    upward = state.rounding in (decimal.ROUND_UP, decimal.ROUND_CEILING)
    other = decimal.ROUND_DOWN if upward else decimal.ROUND_UP
    planted = ColumnState(state.size, state.places, other)
    amount = planted.share_of(base_columns(state, self.of), self.share)
    if self.most_favourable:
        amount = amount - state.component(self.component)
    state.cover(self.component, amount, where)


#: The kinds a planted relief rounding is met with: what sets an individual part, and reliefs.
_PLANTED_KINDS = tuple(
    kind for kind in BUILT_IN_KINDS if kind.kind in {"tier_choice", "premium_split", "relief"}
)


@pytest.mark.parametrize("seed", [None, 1, 2])
def test_a_planted_rounding_disagreement_fails_the_property(
    monkeypatch: pytest.MonkeyPatch, seed: int | None
) -> None:
    """One rounding changed in relief's apply_columns: generated cases find a row, whatever the
    seed. (Hypothesis mixes into what it draws the constants of every local module imported so
    far, so a derandomized search alone draws other cases after another test has imported more
    of contribpolicy: the planted mistake must be found by any run, not one lucky sequence.)"""
    monkeypatch.setattr(Relief, "apply_columns", _rounding_the_other_way)
    search = settings(
        max_examples=400,
        deadline=None,
        database=None,
        derandomize=seed is None,
        phases=[Phase.generate],
        suppress_health_check=SLOW,
    )(given(case=cases(_PLANTED_KINDS))(_agrees))
    if seed is not None:
        search = hypothesis.seed(seed)(search)
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
