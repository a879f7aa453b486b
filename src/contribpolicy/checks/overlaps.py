"""Overlaps: two rules of a kind that does not combine, both applying to one person.

Two tier subsidies for one tier pay the subsidy twice; a second premium overrides the first
(and adds its government parts again). Which kinds combine each kind declares
(``KindTraits.combines``, ``overlap_group``).
"""

from __future__ import annotations

from collections.abc import Iterator

from contribpolicy.checks._context import Context
from contribpolicy.checks.findings import Finding
from contribpolicy.checks.space import Sample
from contribpolicy.model.results import SchemeAssessment

__all__ = ["check_overlaps"]


def check_overlaps(context: Context) -> Iterator[Finding]:
    """Two rules of kinds that do not combine applying to one person."""
    for space in context.spaces.values():
        groups: dict[str, list[str]] = {}
        for rule in space.scheme.rules:
            traits = rule.traits
            if not traits.combines:
                groups.setdefault(traits.overlap_group or rule.kind, []).append(rule.id)
        pairs: dict[tuple[str, str], list[tuple[Sample, SchemeAssessment]]] = {}
        for sample, result in space.evaluated():
            for members in groups.values():
                applied = [rule_id for rule_id in members if sample.applied(rule_id)]
                for later in applied[1:]:
                    pairs.setdefault((applied[0], later), []).append((sample, result))
        for (first, later), cases in pairs.items():
            yield _finding(context, first, later, cases, len(space.samples))


def _finding(
    context: Context,
    first: str,
    later: str,
    cases: list[tuple[Sample, SchemeAssessment]],
    total: int,
) -> Finding:
    earlier_rule, rule = context.policy.rule(first), context.policy.rule(later)
    sample, result = cases[0]
    kinds = (
        f"{rule.kind} rules do not combine"
        if rule.kind == earlier_rule.kind
        else f"{earlier_rule.kind} and {rule.kind} rules do not combine"
    )
    return Finding(
        "check.overlap",
        f"this rule and {first} (line {earlier_rule.location.line}) both apply to "
        f"{len(cases)} of {total} classes, e.g. {sample.cell.describe()}: {kinds}, so the "
        "later one overrides or adds to the earlier",
        rule.location,
        rule_id=later,
        related=(earlier_rule.location,),
        counterexample=context.example(
            "check.overlap", later, sample, result, applies=(first, later)
        ),
    )
