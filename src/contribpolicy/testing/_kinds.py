"""Rule generators: for each rule kind, the parameters a valid rule of it may have.

A ``KindStrategy`` draws one rule's own keys (``params``) given the ``SchemeDraft``: the policy's
vocabulary, its money places, a condition strategy, and the rules of the scheme drawn so far
(a ``tier_subsidy`` needs the tiers offered before it; nothing that covers the individual part
may follow a ``sponsorship``). ``fits(draft)`` says whether the kind may come next at all.
The built-in kinds' generators are ``BUILT_IN_KINDS``; each draws every branch of its kind's
parameters (see the comments), so a generated policy can reach every line of ``apply`` and
``apply_columns``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from contribpolicy.testing._words import Words, conditions

__all__ = ["BUILT_IN_KINDS", "KindStrategy", "SchemeDraft"]

#: Government components rules book to: few, so that rules often share one (most_favourable
#: reliefs compare with what their component already holds), and ``sponsor`` among them.
COMPONENTS = ("subsidy", "relief", "proxy", "fiscal", "sponsor")
TEXTS = ("不符合条件", "not covered", "困难群体")
#: Tiers, in whole currency units: the plan's, a zero, and ones that make shares round.
TIERS = (0, 1, 3, 100, 180, 333, 350, 500, 800, 1000, 3000)


@attrs.define
class SchemeDraft:
    """One scheme while its rules are drawn: what a rule generator may read."""

    words: Words
    places: int
    #: (kind, params) of the rules drawn so far, in order.
    rules: list[tuple[str, dict[str, Any]]] = attrs.field(factory=list)

    def condition(self) -> st.SearchStrategy[dict[str, Any]]:
        """A condition in the policy's vocabulary, named conditions included."""
        return conditions(self.words)

    def money(self, high: int = 2000) -> st.SearchStrategy[Decimal]:
        """An amount with at most ``money.places`` places, from 0 to ``high``."""
        return money(self.places, high)

    def offered_tiers(self) -> tuple[int, ...]:
        """Every tier offered by a rule so far (a rule with ``tiers`` and a ``choice``)."""
        found = {tier for _, params in self.rules if "choice" in params for tier in params["tiers"]}
        return tuple(sorted(found))


@attrs.frozen
class KindStrategy:
    """How to draw rules of one kind: ``params(draft)`` is a strategy of the rule's own keys
    (not ``id``, ``kind``, ``label``, ``cite`` or ``when``, which every rule gets);
    ``fits(draft)`` whether such a rule may come where it is drawn (else it is left out);
    ``covers_individual_part`` as the kind's effect declares it, and ``follows_covering`` for a
    kind whose rules must come after every such rule (a sponsorship is put after them)."""

    kind: str
    params: Callable[[SchemeDraft], st.SearchStrategy[dict[str, Any]]]
    fits: Callable[[SchemeDraft], bool] = lambda draft: True
    covers_individual_part: bool = False
    follows_covering: bool = False
    #: Where rules of the kind usually stand in a scheme (requirements 0, what sets the
    #: individual part 1, subsidies 2, help with the individual part 3, sponsors 4): half the
    #: generated schemes are in this order, as plans are written; the others in any order.
    stage: int = 2


def money(places: int, high: int = 2000) -> st.SearchStrategy[Decimal]:
    """Amounts with at most ``places`` places, mostly small and round, sometimes anything."""
    quantum = Decimal(1).scaleb(-places)
    return st.one_of(
        st.sampled_from([Decimal(0), Decimal(100), Decimal(400)]),
        st.decimals(0, high, places=places).map(lambda amount: amount.quantize(quantum)),
    )


#: Shares that round (a third, an eighth, a hundredth of a fen), the whole and nothing.
SHARES = tuple(
    Decimal(text) for text in ("0", "1", "0.5", "0.333", "0.125", "0.1", "0.05", "0.0001")
)
shares: st.SearchStrategy[Decimal] = st.one_of(
    st.sampled_from(SHARES), st.decimals(0, 1, places=4).map(lambda share: share.normalize())
)


def _component(params: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    """The optional ``component`` key: left out (the kind's default) or one of the pool."""
    if draw(st.booleans()):
        return {**params, "component": draw(st.sampled_from(COMPONENTS))}
    return params


@st.composite
def _eligibility(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    return {"requires": draw(draft.condition()), "otherwise": draw(st.sampled_from(TEXTS))}


@st.composite
def _tier_choice(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    # every branch: restricted tiers (0-2 restrictions), defaults (0-2, first that holds)
    tiers = sorted(draw(st.lists(st.sampled_from(TIERS), min_size=1, max_size=5, unique=True)))
    params: dict[str, Any] = {"choice": draw(st.sampled_from(draft.words.choices)), "tiers": tiers}
    some = st.lists(st.sampled_from(tiers), min_size=1, max_size=len(tiers), unique=True)
    restricted: list[dict[str, Any]] = [
        {"tiers": draw(some), "to": draw(draft.condition()), "reason": draw(st.sampled_from(TEXTS))}
        for _ in range(draw(st.integers(0, 2)))
    ]
    defaults: list[dict[str, Any]] = [
        {"when": draw(draft.condition()), "tier": draw(st.sampled_from(tiers))}
        for _ in range(draw(st.integers(0, 2)))
    ]
    # an empty list and no key at all are both allowed, and mean the same
    for key, items in (("restricted", restricted), ("default", defaults)):
        written: bool = draw(st.booleans())
        if items or written:
            params[key] = items
    return params


@st.composite
def _premium_split(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    # every branch: no government part, one, several
    individual = draw(draft.money())
    names = draw(st.lists(st.sampled_from(COMPONENTS), max_size=3, unique=True))
    government = {name: draw(draft.money()) for name in names}
    total = individual + sum(government.values(), Decimal(0))
    return {"total": total, "individual": individual, "government": government}


def _brackets(draw: st.DrawFn, tiers: Sequence[int], places: int) -> list[dict[str, Any]]:
    """Brackets putting every offered tier in exactly one: consecutive runs of the tiers,
    each from its first tier (or lower) to its last (or open-ended when last)."""
    inner = range(1, len(tiers))
    cuts = sorted(draw(st.sets(st.sampled_from(inner)))) if inner else []
    runs = [tiers[a:b] for a, b in zip([0, *cuts], [*cuts, len(tiers)], strict=True)]
    brackets = []
    low_bound = 0
    for index, run in enumerate(runs):
        bracket: dict[str, Any] = {"from": draw(st.integers(low_bound, run[0]))}
        if index < len(runs) - 1 or draw(st.booleans()):
            bracket["to"] = run[-1]
        if draw(st.booleans()):
            bracket["amount"] = draw(money(places, 500))
        else:
            bracket["share"] = draw(shares)
        brackets.append(bracket)
        low_bound = run[-1] + 1
    return brackets


@st.composite
def _tier_subsidy(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    # every branch: fixed amount and share brackets, closed and open-ended, a component or not
    params = {"brackets": _brackets(draw, draft.offered_tiers(), draft.places)}
    return _component(params, draw)


@st.composite
def _proxy_payment(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    # every branch: a fixed amount or a share of the individual part
    if draw(st.booleans()):
        return _component({"amount": draw(draft.money(600))}, draw)
    return _component({"share": draw(shares)}, draw)


@st.composite
def _relief(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    # every branch: most_favourable and add
    combine = draw(st.sampled_from(("most_favourable", "add")))
    return _component({"share": draw(shares), "combine": combine}, draw)


@st.composite
def _referral(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    return {"reason": draw(st.sampled_from(("核定", "referred for determination")))}


@st.composite
def _sponsorship(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    return {"amount_from": draw(st.sampled_from(draft.words.amounts))}


#: The built-in kinds' generators, in the order of ``pyproject.toml``'s entry points.
BUILT_IN_KINDS: tuple[KindStrategy, ...] = (
    KindStrategy("eligibility", _eligibility, stage=0),
    # One tier choice a scheme: a second one's tiers would refuse most choices of the first.
    KindStrategy(
        "tier_choice", _tier_choice, fits=lambda draft: not draft.offered_tiers(), stage=1
    ),
    KindStrategy("premium_split", _premium_split, stage=1),
    KindStrategy("tier_subsidy", _tier_subsidy, fits=lambda draft: bool(draft.offered_tiers())),
    KindStrategy("proxy_payment", _proxy_payment, covers_individual_part=True, stage=3),
    KindStrategy("relief", _relief, covers_individual_part=True, stage=3),
    KindStrategy("sponsorship", _sponsorship, follows_covering=True, stage=4),
    KindStrategy("referral", _referral, stage=0),
)
