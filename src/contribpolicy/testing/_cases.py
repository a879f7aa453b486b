"""Generated policies loaded, with rosters for them; and the ready-made agreement test."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from contribpolicy.errors import PolicyError
from contribpolicy.format.loader import loads_policy
from contribpolicy.format.registry import Registry
from contribpolicy.model.policy import Policy
from contribpolicy.testing._agree import assert_columnar_agrees
from contribpolicy.testing._kinds import BUILT_IN_KINDS, KindStrategy
from contribpolicy.testing._policies import policy_data, policy_text
from contribpolicy.testing._rosters import Row, rosters

__all__ = ["Case", "cases", "columnar_agreement_test", "policies"]


@attrs.frozen
class Case:
    """A generated policy (its YAML ``text`` and the loaded ``policy``) and a roster for it."""

    text: str
    policy: Policy
    rows: list[Row]


def _load(text: str, registry: Registry | None) -> Policy:
    try:
        return loads_policy(text, file="<generated>", registry=registry)
    except PolicyError as err:
        raise AssertionError(f"a generated policy does not load:\n{err}\n{text}") from err


@st.composite
def _texts_and_policies(
    draw: st.DrawFn, kinds: Sequence[KindStrategy], registry: Registry | None
) -> tuple[str, Policy]:
    text = policy_text(draw(policy_data(kinds)))
    return text, _load(text, registry)


def policies(
    kinds: Sequence[KindStrategy] = BUILT_IN_KINDS, *, registry: Registry | None = None
) -> st.SearchStrategy[Policy]:
    """Loaded generated policies with rules of ``kinds`` (``registry`` must know them all;
    by default the installed kinds)."""
    return _texts_and_policies(kinds, registry).map(lambda pair: pair[1])


@st.composite
def cases(
    draw: st.DrawFn,
    kinds: Sequence[KindStrategy] = BUILT_IN_KINDS,
    *,
    registry: Registry | None = None,
    max_rows: int = 20,
) -> Case:
    """A generated policy with rules of ``kinds`` and a roster of up to ``max_rows`` rows."""
    text, policy = draw(_texts_and_policies(kinds, registry))
    return Case(text, policy, draw(rosters(policy, max_rows)))


def columnar_agreement_test(
    kinds: Sequence[KindStrategy] = BUILT_IN_KINDS, *, registry: Registry | None = None
) -> Callable[..., Any]:
    """A test function (assign it to a ``test_...`` name) asserting, on generated cases, that
    the columnar forms of ``kinds`` agree with their per-person forms. Its number of examples
    is hypothesis's settings profile."""

    @given(case=cases(kinds, registry=registry))
    def test_columnar_agrees_with_policy_evaluate(case: Case) -> None:
        assert_columnar_agrees(case.policy, case.rows)

    return test_columnar_agrees_with_policy_evaluate
