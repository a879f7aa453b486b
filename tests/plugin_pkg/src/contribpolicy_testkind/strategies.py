"""How ``flat_bonus`` rules are generated for ``contribpolicy.testing`` (needs its extra).

A plugin ships this beside its kind so that its own tests, and anyone combining kinds, can put
its rules into generated policies: ``cases(kinds=(*BUILT_IN_KINDS, FLAT_BONUS))``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from contribpolicy.testing import KindStrategy, SchemeDraft


@st.composite
def _flat_bonus(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    # every branch: with and without a component (the default is "bonus")
    params: dict[str, Any] = {"bonus": draw(draft.money(500))}
    if draw(st.booleans()):
        params["component"] = draw(st.sampled_from(("bonus", "district", "subsidy")))
    return params


FLAT_BONUS = KindStrategy("flat_bonus", _flat_bonus)
