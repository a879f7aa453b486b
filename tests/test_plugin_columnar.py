"""The third-party kind ``flat_bonus`` proves its columnar form with ``contribpolicy.testing``,
as a plugin author would in the plugin's own tests."""

from __future__ import annotations

import os

from contribpolicy_testkind.strategies import FLAT_BONUS
from hypothesis import HealthCheck, settings

from contribpolicy.testing import BUILT_IN_KINDS, columnar_agreement_test

EXAMPLES = int(os.environ.get("CONTRIBPOLICY_EXAMPLES", "25"))

test_flat_bonus_columns_agree_with_apply = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)(columnar_agreement_test(kinds=(*BUILT_IN_KINDS, FLAT_BONUS)))
test_flat_bonus_columns_agree_with_apply.__doc__ = (
    "Generated policies mixing flat_bonus with the built-in kinds: evaluate_table equals "
    "Policy.evaluate row for row, flat_bonus in columns (never person by person)."
)
