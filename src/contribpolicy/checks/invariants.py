"""Amounts that break what the policy declares: reliefs over 100%, totals other than declared.

Amounts below zero never reach here: the engine refuses a rule kind's negative amount as the
kind's failure, reported as check.rule-failed at the rule with the class that showed it.

* check.relief-over-100: the shares of the reliefs and proxy payments that apply to one person
  add up to more than the whole individual part (``combine: add`` of 60% and 60%). The engine
  never pays more than is owed, so the policy silently says something it does not do;
* check.parts-sum: a class's total differs from the ``total`` its premium declares (a rule after
  the premium adds on top of it), or its parts do not add up.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from contribpolicy.checks._context import Context
from contribpolicy.checks.findings import Finding
from contribpolicy.checks.space import Sample, SchemeSpace
from contribpolicy.model.parts import Rule
from contribpolicy.model.results import ELIGIBLE, SchemeAssessment

__all__ = ["check_invariants"]


def check_invariants(context: Context) -> Iterator[Finding]:
    """Relief shares over 100% and totals other than the premium declares."""
    for space in context.spaces.values():
        yield from _shares(context, space)
        yield from _totals(context, space)


def _declared_share(rules: list[Rule]) -> Decimal:
    """Shares that add (``add``, proxy shares) summed, plus the largest most-favourable share
    of each component."""
    added = Decimal(0)
    best: dict[str, Decimal] = {}
    for rule in rules:
        traits = rule.traits
        share = Decimal(rule.params[traits.share_parameter or ""])
        component = str(rule.params.get("component", rule.kind))
        combine = traits.combine_parameter
        if combine and rule.params.get(combine) == "most_favourable":
            best[component] = max(best.get(component, Decimal(0)), share)
        else:
            added += share
    return added + sum(best.values(), Decimal(0))


def _shares(context: Context, space: SchemeSpace) -> Iterator[Finding]:
    share_rules = [
        rule
        for rule in space.scheme.rules
        if rule.traits.share_parameter and rule.traits.share_parameter in rule.params
    ]
    seen: set[tuple[str, ...]] = set()
    for sample, result in space.evaluated():
        applying = [rule for rule in share_rules if sample.applied(rule.id)]
        total = _declared_share(applying)
        key = tuple(rule.id for rule in applying)
        if total <= 1 or key in seen:
            continue
        seen.add(key)
        last = applying[-1]
        listed = ", ".join(f"{r.id} {r.params[r.traits.share_parameter or '']}" for r in applying)
        yield Finding(
            "check.relief-over-100",
            f"shares of the individual part add up to {total:%} for {sample.cell.describe()} "
            f"({listed}): over 100%, and the engine never pays more than is owed",
            last.location,
            rule_id=last.id,
            counterexample=context.example("check.relief-over-100", last.id, sample, result),
        )


def _totals(context: Context, space: SchemeSpace) -> Iterator[Finding]:
    seen: set[tuple[str, str | None]] = set()
    for sample, result in space.evaluated():
        if result.status != ELIGIBLE:
            continue
        if result.total != result.individual + result.government + result.sponsor or (
            result.government != sum(result.components.values(), Decimal(0))
        ):
            key = (space.name, None)
            if key not in seen:
                seen.add(key)
                yield _unbalanced(context, space, sample, result)
            continue
        for rule in space.scheme.rules:
            field = rule.traits.total_parameter
            if field is None or field not in rule.params or not sample.applied(rule.id):
                continue
            declared = context.policy.money.round(rule.params[field])
            if result.total == declared:
                continue
            culprit = _culprit(space, sample, rule, declared)
            if (rule.id, culprit) not in seen:
                seen.add((rule.id, culprit))
                yield _off_total(
                    context, sample, result=result, premium=rule, declared=declared, culprit=culprit
                )


def _culprit(space: SchemeSpace, sample: Sample, premium: Rule, declared: Decimal) -> str | None:
    """The first rule, before or after the premium, without which the total is the declared
    one: in a category plan whose premiums overlap, it is the premium before that added the
    parts which are still there."""
    for rule in space.scheme.rules:
        if rule is not premium and sample.applied(rule.id):
            [after] = space.without((rule,), (sample,))
            if after is not None and after[4] == declared:
                return rule.id
    return None


def _off_total(
    context: Context,
    sample: Sample,
    *,
    result: SchemeAssessment,
    premium: Rule,
    declared: Decimal,
    culprit: str | None,
) -> Finding:
    where = context.policy.rule(culprit) if culprit else premium
    cause = "other rules of the scheme change it"
    if culprit is not None:
        line = premium.location.line
        rules = [rule.id for rule in context.policy.schemes[_scheme_of(context, premium)].rules]
        if rules.index(culprit) < rules.index(premium.id):
            cause = (
                f"rule {culprit}, before it, added parts that stay on top of the premium "
                f"{premium.id} (line {line}): the two apply to the same people"
            )
        else:
            cause = f"rule {culprit} adds on top of the premium {premium.id} (line {line})"
    return Finding(
        "check.parts-sum",
        f"the total for {sample.cell.describe()} is {result.total}, not the {declared} that "
        f"{premium.id} declares: {cause}",
        where.location,
        rule_id=where.id,
        related=(premium.location,) if culprit else (),
        counterexample=context.example("check.parts-sum", where.id, sample, result),
    )


def _scheme_of(context: Context, rule: Rule) -> str:
    return next(name for name, scheme in context.policy.schemes.items() if rule in scheme.rules)


def _unbalanced(
    context: Context, space: SchemeSpace, sample: Sample, result: SchemeAssessment
) -> Finding:
    return Finding(
        "check.parts-sum",
        f"under {space.name}, for {sample.cell.describe()}: individual {result.individual} + "
        f"government {result.government} + sponsor {result.sponsor} is not the total "
        f"{result.total}, or the components do not add up to the government part",
        context.locator.at(f"/schemes/{space.name}"),
        target=space.name,
    )
