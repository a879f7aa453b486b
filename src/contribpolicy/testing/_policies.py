"""Whole generated policies: vocabulary, money, named conditions and schemes of rules.

``policy_data(kinds)`` draws the data of a policy (what its YAML file holds) whose rules are of
the given kinds (``KindStrategy``); ``policy_text`` writes it as YAML, so it is loaded exactly as
a policy file is, schema and semantic checks included. Every drawn policy loads: a generator that
draws a rule its kind refuses is a bug of the generator, and the test says which rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import strategies as st

from contribpolicy.testing._kinds import BUILT_IN_KINDS, KindStrategy, SchemeDraft
from contribpolicy.testing._words import Words, conditions, named_conditions, words

__all__ = ["ROUNDINGS", "policy_data", "policy_text"]

#: Every rounding mode ``money.rounding`` allows.
ROUNDINGS = (
    "ROUND_HALF_UP",
    "ROUND_HALF_EVEN",
    "ROUND_HALF_DOWN",
    "ROUND_UP",
    "ROUND_DOWN",
    "ROUND_CEILING",
    "ROUND_FLOOR",
)
SCHEMES = ("pension", "medical")
MAX_RULES = 7
#: ``first_match`` groups rules are put in: two, so that groups interleave.
FIRST_MATCH_GROUPS = ("category", "band")


def _in_order(kinds: list[KindStrategy]) -> list[KindStrategy]:
    """``kinds`` with each that must follow every rule covering the individual part (a
    sponsorship) moved to just after the last such rule, the rest in their drawn order."""
    covering = [i for i, kind in enumerate(kinds) if kind.covers_individual_part]
    if not covering:
        return kinds
    last = covering[-1]
    early = [kind for kind in kinds[:last] if kind.follows_covering]
    rest = [kind for kind in kinds[: last + 1] if not kind.follows_covering]
    return [*rest, *early, *kinds[last + 1 :]]


@st.composite
def _rules(
    draw: st.DrawFn, name: str, vocab: Words, places: int, kinds: Sequence[KindStrategy]
) -> list[dict[str, Any]]:
    """A scheme's rules: kinds drawn, put in an order the load-time checks accept, then each
    rule's keys drawn seeing the rules before it (a kind that does not fit where it lands,
    such as a tier_subsidy with no tiers before it, is left out); some rules with a ``when``,
    some in a ``first_match`` group."""
    drawn = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=MAX_RULES))
    if draw(st.booleans()):
        drawn.sort(key=lambda kind: kind.stage)
    draft = SchemeDraft(vocab, places)
    rules: list[dict[str, Any]] = []
    for kind in _in_order(drawn):
        if not kind.fits(draft):
            continue
        params = draw(kind.params(draft))
        draft.rules.append((kind.kind, params))
        number = len(rules)
        rule: dict[str, Any] = {"id": f"{name}-{number}", "kind": kind.kind, "cite": "一"}
        rule["label"] = f"rule {number}"
        if draw(st.integers(0, 3)) in ((0, 1, 2) if kind.usually_conditional else (0,)):
            rule["when"] = draw(conditions(vocab))
        if draw(st.integers(0, 3)) == 0:  # categories: only the first of a group that applies
            rule["first_match"] = draw(st.sampled_from(FIRST_MATCH_GROUPS))
        rules.append(rule | params)
    if not rules:  # every drawn kind needed a rule before it: one that needs none
        return draw(_rules(name, vocab, places, [k for k in kinds if k.fits(draft)] or kinds))
    return rules


@st.composite
def policy_data(draw: st.DrawFn, kinds: Sequence[KindStrategy] = BUILT_IN_KINDS) -> dict[str, Any]:
    """The data of a whole policy with one or two schemes of rules of ``kinds``, every money
    places (0-4) and rounding mode, a reference date anywhere in the coverage year."""
    if not kinds:
        raise ValueError("policy_data needs at least one KindStrategy")
    year = draw(st.integers(1990, 2030))
    reference = draw(
        st.one_of(st.just(date(year, 1, 1)), st.dates(date(year, 1, 1), date(year, 12, 31)))
    )
    places = draw(st.sampled_from((2, 2, 0, 1, 3, 4)))
    vocab, named = draw(named_conditions(draw(words())))
    schemes = draw(st.lists(st.sampled_from(SCHEMES), min_size=1, max_size=2, unique=True))
    data: dict[str, Any] = {
        "format": 1,
        "id": "generated",
        "version": "1",
        "title": "A generated policy",
        "source": {
            "number": "test",
            "issuer": "contribpolicy.testing",
            "date": f"{year - 1}-10-01",
        },
        "coverage_year": year,
        "age_basis": {"reference_date": reference.isoformat(), "method": "completed_years"},
        "money": {
            "currency": "CNY",
            "places": places,
            "rounding": draw(st.sampled_from(ROUNDINGS)),
        },
        "inputs": vocab.inputs(),
        "schemes": {
            name: {"label": name, "rules": draw(_rules(name, vocab, places, kinds))}
            for name in schemes
        },
    }
    if named:
        data["conditions"] = named
    return data


class _Dumper(yaml.SafeDumper):
    """Safe YAML with amounts and shares written as plain numbers, as a person writes them."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal)


def policy_text(data: dict[str, Any]) -> str:
    """``data`` as the YAML of a policy file."""
    text: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    return text
