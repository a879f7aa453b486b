"""Test helpers for rule-kind authors: generated policies and rosters, and the columnar check.

Every rule kind has a per-person form (``apply``), which defines the answer, and may have a
columnar form (``apply_columns``) for whole rosters. ``evaluate_table`` must give every row
exactly what ``Policy.evaluate`` gives that person: to the minor unit, and the same message.
This module proves it on generated whole policies (every built-in kind, every branch of its
parameters, every rounding mode and money places, nested conditions) and rosters for them
(well-formed and malformed rows)::

    from hypothesis import given, strategies as st
    from contribpolicy.testing import BUILT_IN_KINDS, Case, KindStrategy, SchemeDraft
    from contribpolicy.testing import assert_columnar_agrees, cases

    def flat_bonus_params(draft: SchemeDraft) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries({"bonus": draft.money()})

    FLAT_BONUS = KindStrategy("flat_bonus", flat_bonus_params)

    @given(cases(kinds=(*BUILT_IN_KINDS, FLAT_BONUS)))
    def test_flat_bonus_columns_agree(case: Case) -> None:
        assert_columnar_agrees(case.policy, case.rows)

``columnar_agreement_test(kinds)`` is that test, ready made.

Adding a kind to the generator (a built-in kind goes into ``BUILT_IN_KINDS`` in ``_kinds.py``):

1. Write a strategy of the rule's own keys, given the ``SchemeDraft`` (the scheme so far):
   ``draft.money()`` for amounts with the policy's places, ``draft.condition()`` for
   conditions, ``draft.words`` for the declared inputs (a kind that needs an input the
   vocabulary may lack says so with ``fits``), ``draft.offered_tiers()`` for the tiers offered
   before it, ``draft.rules`` for everything drawn before it. Draw every branch of the kind's
   ``parameters``: each optional key both present and absent, each ``enum`` value, each
   "exactly one of" alternative; and values that make shares round (``shares``).
2. Wrap it in ``KindStrategy(kind, params, fits=..., covers_individual_part=..., stage=...)``:
   ``fits`` whether the rule may stand where it was drawn (``tier_subsidy`` needs tiers offered
   before it; else it is left out), ``covers_individual_part`` as the kind's effect declares it
   (a sponsorship, ``follows_covering``, is moved after such rules), ``stage`` where plans
   usually put it (half the schemes are drawn in that order, half in any order).
3. If the kind reads a new input category or fact (a new field of the record, such as sex),
   add it to ``Words`` and ``words()`` (``_words.py``), give the condition a leaf in
   ``_leaves`` with values near its boundaries, and give the records (``_rosters.py``:
   ``_record`` for valid values, ``ODD_CELLS`` for malformed ones) a column for it.
4. A new condition (a new key of ``#/$defs/condition``) is a new leaf (or compound) in
   ``_leaves``/``_compound``; its columnar form lives in ``columnar/_facts.py``.
5. Run ``CONTRIBPOLICY_EXAMPLES=2000 pytest tests/test_columnar_generated.py`` once, and check
   with ``hypothesis.event`` or a print that the new branches are reached.

The generator must only draw policies that load; ``cases`` fails with the loader's problems
otherwise, which is how a generator that drifts from its kind is caught.

Needs hypothesis (the ``testing`` extra) and NumPy and PyArrow (``columnar``):
``pip install 'contribpolicy[testing]'``.
"""

# A package, not one module, so that each part stays small (the 400-line limit): words and
# conditions, kinds, policies, rosters, and the check.

from __future__ import annotations

from importlib import import_module

try:
    for _needed in ("hypothesis", "numpy", "pyarrow"):
        import_module(_needed)
except ImportError as err:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        f"contribpolicy.testing needs hypothesis, NumPy and PyArrow ({err.name} cannot be "
        "imported): install the extra, pip install 'contribpolicy[testing]'"
    ) from err

from contribpolicy.testing._agree import (
    assert_columnar_agrees,
    expected_row,
    record_of,
    roster_table,
)
from contribpolicy.testing._cases import (
    Case,
    cases,
    columnar_agreement_test,
    policies,
)
from contribpolicy.testing._kinds import (
    BUILT_IN_KINDS,
    KindStrategy,
    SchemeDraft,
    money,
    shares,
)
from contribpolicy.testing._policies import ROUNDINGS, policy_data, policy_text
from contribpolicy.testing._rosters import rosters
from contribpolicy.testing._words import Words, conditions

__all__ = [
    "BUILT_IN_KINDS",
    "ROUNDINGS",
    "Case",
    "KindStrategy",
    "SchemeDraft",
    "Words",
    "assert_columnar_agrees",
    "cases",
    "columnar_agreement_test",
    "conditions",
    "expected_row",
    "money",
    "policies",
    "policy_data",
    "policy_text",
    "record_of",
    "roster_table",
    "rosters",
    "shares",
]
