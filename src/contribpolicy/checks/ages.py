"""Age bands: rules of one kind that differ only in their age range, such as reliefs by age.

Bands that share an age give that age both rules (check.age-overlap); bands with ages between
them give those ages neither (check.age-hole): "60-68" then "70 or over" leaves out 69. The
ranges below the first band and above the last are not holes: the plan draws them. Eligibility
rules are not bands: every one of them must hold, so their ranges intersect.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from contribpolicy.checks._context import Context
from contribpolicy.checks.findings import Finding
from contribpolicy.checks.space import SchemeSpace
from contribpolicy.model.conditions import AgeRange, AllOf, Condition
from contribpolicy.model.parts import Rule
from contribpolicy.model.results import ELIGIBLE

__all__ = ["check_ages"]


@attrs.frozen
class Band:
    rule: Rule
    low: int
    high: int | None  # None: no upper bound

    def text(self) -> str:
        return f"{self.low} or over" if self.high is None else f"{self.low} to {self.high}"


def _conjuncts(condition: Condition) -> Iterator[Condition]:
    """The parts that must all hold, through nested all: and named conditions, each once."""
    seen: set[int] = set()
    stack = [condition]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, AllOf):
            stack.extend(reversed(node.parts))
        else:
            yield node


def _band(rule: Rule) -> tuple[tuple[str, frozenset[Condition]], Band] | None:
    """The rule's family (kind and the rest of its condition) and its age band, if it has one."""
    if rule.when is None or rule.kind == "eligibility":
        return None
    parts = list(_conjuncts(rule.when))
    ages = [part for part in parts if isinstance(part, AgeRange)]
    if len(ages) != 1:
        return None
    rest = frozenset(part for part in parts if not isinstance(part, AgeRange))
    return (rule.kind, rest), Band(rule, ages[0].minimum or 0, ages[0].maximum)


def check_ages(context: Context) -> Iterator[Finding]:
    """Age bands of one family of rules that leave a gap or overlap between them."""
    for space in context.spaces.values():
        families: dict[tuple[str, frozenset[Condition]], list[Band]] = {}
        for rule in space.scheme.rules:
            found = _band(rule)
            if found is not None:
                families.setdefault(found[0], []).append(found[1])
        for bands in families.values():
            if len(bands) > 1:
                ordered = sorted(bands, key=lambda band: band.low)
                yield from _overlaps(context, space, ordered)
                yield from _holes(context, space, ordered)


def _overlaps(context: Context, space: SchemeSpace, bands: Sequence[Band]) -> Iterator[Finding]:
    for index, band in enumerate(bands):
        for other in bands[index + 1 :]:
            if band.high is not None and band.high < other.low:
                continue
            yield Finding(
                "check.age-overlap",
                f"age band {band.text()} shares {_shared(band, other)} with {other.rule.id} "
                f"({other.text()}, line {other.rule.location.line}): both apply there",
                context.locator.in_rule(band.rule, "/when/age"),
                rule_id=band.rule.id,
                related=(other.rule.location,),
                counterexample=_example(
                    context, space, "check.age-overlap", band, other.low, applying=(band, other)
                ),
            )


def _shared(band: Band, other: Band) -> str:
    """The ages two overlapping bands share, ``other`` starting inside ``band``."""
    highs = [high for high in (band.high, other.high) if high is not None]
    if not highs:
        return f"ages {other.low} and over"
    last = min(highs)
    return f"age {last}" if last == other.low else f"ages {other.low} to {last}"


def _holes(context: Context, space: SchemeSpace, bands: Sequence[Band]) -> Iterator[Finding]:
    reach = bands[0]
    for band in bands[1:]:
        if reach.high is None:
            return
        if band.low > reach.high + 1:
            first, last = reach.high + 1, band.low - 1
            ages = str(first) if first == last else f"{first} to {last}"
            yield Finding(
                "check.age-hole",
                f"age band {reach.rule.id} ({reach.text()}) ends before {band.rule.id} "
                f"({band.text()}, line {band.rule.location.line}) begins: age {ages} gets "
                "neither",
                context.locator.in_rule(reach.rule, "/when/age"),
                rule_id=reach.rule.id,
                related=(band.rule.location,),
                counterexample=_example(context, space, "check.age-hole", reach, first),
            )
        if band.high is None or band.high > reach.high:
            reach = band


def _example(
    context: Context,
    space: SchemeSpace,
    code: str,
    band: Band,
    age: int,
    *,
    applying: Sequence[Band] = (),
) -> str | None:
    """A person of that age, preferably one the scheme covers and the bands apply to."""
    at_age = [(s, r) for s, r in space.evaluated() if s.cell.age == age]
    at_age.sort(
        key=lambda pair: (
            not all(pair[0].applied(b.rule.id) for b in applying),
            pair[1].status != ELIGIBLE,
        )
    )
    if not at_age:
        return None
    sample, result = at_age[0]
    return context.example(code, band.rule.id, sample, result)
