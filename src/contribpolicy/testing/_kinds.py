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

from contribpolicy.testing._samples import SAMPLES
from contribpolicy.testing._words import Words, conditions

__all__ = ["BUILT_IN_KINDS", "KindStrategy", "SchemeDraft"]

#: Government components rules book to: few, so that rules often share one (most_favourable
#: reliefs compare with what their component already holds), and ``sponsor`` among them.
COMPONENTS = ("subsidy", "relief", "proxy", "fiscal", "sponsor")
TEXTS = ("不符合条件", "not covered", "困难群体")
#: Tiers, ranges and ranges to the fen generated policies offer (samples.yaml says why these).
TIERS: tuple[int, ...] = SAMPLES["tiers"]
RANGE_STARTS: tuple[int, ...] = SAMPLES["range_starts"]
RANGE_STEPS: tuple[int, ...] = SAMPLES["range_steps"]
RANGE_STEP_COUNTS: tuple[int, ...] = SAMPLES["range_step_counts"]
FEN_STARTS: tuple[str, ...] = SAMPLES["fen_starts"]
FEN_STEPS: tuple[str, ...] = SAMPLES["fen_steps"]


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

    def offered_tiers(self) -> tuple[Decimal, ...]:
        """Every tier offered by a rule so far (a rule with a ``choice``: its ``tiers`` and
        every amount of its ``range``)."""
        choices = [params for _, params in self.rules if "choice" in params]
        return tuple(sorted({tier for params in choices for tier in _offered(params)}))

    def bases(self) -> tuple[str, ...]:
        """The bases a share may be declared ``of`` here: what the person owes, and those a
        rule before sets (``standard`` and ``premium`` by a premium_split, ``minimum`` by a
        tier_choice)."""
        kinds = {kind for kind, _ in self.rules}
        found = ["individual_part"]
        if "premium_split" in kinds:
            found += ["standard", "premium"]
        if "tier_choice" in kinds:
            found.append("minimum")
        return tuple(found)


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
    #: Whether rules of the kind mostly have a ``when`` (a referral for everyone would stop
    #: every scheme it is in: plans refer some people).
    usually_conditional: bool = False


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
def _range(draw: st.DrawFn) -> dict[str, int]:
    """A contribution range of whole amounts; ``step`` left out (1) or written."""
    low, step = draw(st.sampled_from(RANGE_STARTS)), draw(st.sampled_from(RANGE_STEPS))
    count = draw(st.sampled_from(RANGE_STEP_COUNTS))
    if count > 100 and step != 1:  # a few thousand amounts at most
        count = 100
    span = {"min": low, "max": low + count * step}
    if step != 1 or draw(st.booleans()):
        span["step"] = step
    return span


@st.composite
def _fen_range(draw: st.DrawFn, places: int) -> dict[str, Decimal]:
    """A contribution range with places (to the fen at two places): a step with places, a
    start with or without; at most a hundred steps, so that the generator may list them."""
    quantum = Decimal(1).scaleb(-places)
    low = Decimal(draw(st.sampled_from(FEN_STARTS))).quantize(quantum, "ROUND_UP")
    step = max(Decimal(draw(st.sampled_from(FEN_STEPS))).quantize(quantum, "ROUND_UP"), quantum)
    if step == step.to_integral_value():  # a whole step: make the range one in fen
        step += quantum
    count = min(draw(st.sampled_from(RANGE_STEP_COUNTS)), 100)
    return {"min": low, "max": low + count * step, "step": step}


def _offered(params: dict[str, Any]) -> list[Decimal]:
    """The amounts a tier choice's ``tiers`` and ``range`` offer, ascending."""
    found = {Decimal(tier) for tier in params.get("tiers", ())}
    span = params.get("range")
    if span is not None:
        low, step = Decimal(span["min"]), Decimal(span.get("step", 1))
        count = int((Decimal(span["max"]) - low) // step) + 1
        found.update(low + index * step for index in range(count))
    return sorted(found)


def _tier(amount: Decimal) -> int | Decimal:
    """A tier as a policy writes it: whole amounts as whole numbers."""
    return int(amount) if amount == amount.to_integral_value() else amount


@st.composite
def _tier_choice(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    # every branch: listed tiers, a range (whole, or in fen from an amount input), or both;
    # restricted tiers (0-2 restrictions), defaults (0-2, first that holds); no choice an error
    # or not paying
    shapes = ("tiers", "tiers", "range", "both", *(("fen", "fen both") if draft.places else ()))
    shape = draw(st.sampled_from(shapes))
    fen = shape.startswith("fen")
    inputs = draft.words.amounts if fen else draft.words.choices
    params: dict[str, Any] = {"choice": draw(st.sampled_from(inputs))}
    if shape in ("tiers", "both", "fen both"):
        some_tiers = st.lists(st.sampled_from(TIERS), min_size=1, max_size=5, unique=True)
        params["tiers"] = sorted(draw(some_tiers))
    if shape != "tiers":
        params["range"] = draw(_fen_range(draft.places)) if fen else draw(_range())
    offered = [_tier(amount) for amount in _offered(params)]
    some = st.lists(st.sampled_from(offered), min_size=1, max_size=4, unique=True)
    restricted: list[dict[str, Any]] = [
        {"tiers": draw(some), "to": draw(draft.condition()), "reason": draw(st.sampled_from(TEXTS))}
        for _ in range(draw(st.integers(0, 2)))
    ]
    defaults: list[dict[str, Any]] = [
        {"when": draw(draft.condition()), "tier": draw(st.sampled_from(offered))}
        for _ in range(draw(st.integers(0, 2)))
    ]
    # an empty list and no key at all are both allowed, and mean the same
    for key, items in (("restricted", restricted), ("default", defaults)):
        written: bool = draw(st.booleans())
        if items or written:
            params[key] = items
    unchosen = draw(st.sampled_from((None, "error", "not_paying")))
    if unchosen is not None:
        params["unchosen"] = unchosen
    return params


@st.composite
def _premium_split(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    # every branch: no government part, one, several; a standard individual part or none
    individual = draw(draft.money())
    names = draw(st.lists(st.sampled_from(COMPONENTS), max_size=3, unique=True))
    government = {name: draw(draft.money()) for name in names}
    total = individual + sum(government.values(), Decimal(0))
    params = {"total": total, "individual": individual, "government": government}
    if draw(st.booleans()):
        params["standard"] = draw(draft.money())
    return params


def _brackets(draw: st.DrawFn, tiers: Sequence[Decimal], places: int) -> list[dict[str, Any]]:
    """Brackets putting every offered tier in exactly one: consecutive runs of the tiers,
    each from its first tier (or lower, down to just past the run before) to its last (or
    open-ended when last)."""
    quantum = Decimal(1).scaleb(-places)
    inner = range(1, len(tiers))
    cuts = sorted(draw(st.sets(st.sampled_from(inner)))) if inner else []
    runs = [tiers[a:b] for a, b in zip([0, *cuts], [*cuts, len(tiers)], strict=True)]
    brackets = []
    low_bound = Decimal(0)
    for index, run in enumerate(runs):
        start = draw(st.decimals(low_bound, run[0], places=places)).quantize(quantum)
        bracket: dict[str, Any] = {"from": _tier(draw(st.sampled_from((run[0], start))))}
        if index < len(runs) - 1 or draw(st.booleans()):
            bracket["to"] = _tier(run[-1])
        if draw(st.booleans()):
            bracket["amount"] = draw(money(places, 500))
        else:
            bracket["share"] = draw(shares)
            if draw(st.booleans()):
                bracket["cap"] = draw(money(places, 500))
        brackets.append(bracket)
        low_bound = run[-1] + quantum
    return brackets


@st.composite
def _tier_subsidy(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    # every branch: fixed amount and share brackets (capped or not), closed and open-ended, a
    # component or not; over listed tiers and ranges
    params = {"brackets": _brackets(draw, draft.offered_tiers(), draft.places)}
    return _component(params, draw)


def _share_of(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    """A share and its base: ``of`` left out (what the person owes) or any base set before."""
    params: dict[str, Any] = {"share": draw(shares)}
    if draw(st.booleans()):
        params["of"] = draw(st.sampled_from(draft.bases()))
    return params


@st.composite
def _proxy_payment(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    # every branch: a fixed amount or a share of a base (of the minimum: "half the minimum")
    if draw(st.booleans()):
        return _component({"amount": draw(draft.money(600))}, draw)
    return _component(_share_of(draw, draft), draw)


@st.composite
def _relief(draw: st.DrawFn, draft: SchemeDraft) -> dict[str, Any]:
    # every branch: a share of a base or a fixed sum; most_favourable and add
    combine = draw(st.sampled_from(("most_favourable", "add")))
    if draw(st.booleans()):
        return _component({"amount": draw(draft.money(600)), "combine": combine}, draw)
    return _component({**_share_of(draw, draft), "combine": combine}, draw)


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
    KindStrategy("referral", _referral, stage=0, usually_conditional=True),
)
