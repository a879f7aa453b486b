"""Gaps: eligible people for whom nobody pays, and offered tiers that earn no subsidy.

A scheme whose eligible people meet none of its premium rules gives them a total of 0: they
are "covered" and nobody pays for them (check.gap). A tier offered by a tier choice that some
eligible person gets no subsidy for breaks the plan's promise that every tier is subsidized
(check.tier-unsubsidized): a bracket left at 0, or a subsidy limited by a ``when``.
"""

from __future__ import annotations

from collections.abc import Iterator

from contribpolicy.checks._context import Context
from contribpolicy.checks.findings import Finding
from contribpolicy.checks.partition import atoms
from contribpolicy.checks.space import Sample, SchemeSpace
from contribpolicy.model.conditions import AgeBySex, AgeRange
from contribpolicy.model.parts import Rule
from contribpolicy.model.results import ELIGIBLE, SchemeAssessment

__all__ = ["check_gaps"]


def check_gaps(context: Context) -> Iterator[Finding]:
    """Eligible people nobody pays for, and offered tiers that earn no subsidy."""
    for space in context.spaces.values():
        if not space.anyone_eligible():
            if not space.failed:  # else check.rule-failed explains why no one got through
                yield from _no_one(context, space)
            continue
        yield from _gaps(context, space)
        yield from _unsubsidized(context, space)


def _no_one(context: Context, space: SchemeSpace) -> Iterator[Finding]:
    """A scheme where every class is stopped: anchored at a rule that stops all it reaches."""
    evaluated = list(space.evaluated())
    for rule in space.scheme.rules:
        if getattr(rule.effect, "always_stops", False):
            continue  # a referral stops whom it applies to by design; its `when` says whom
        reached = [(s, r) for s, r in evaluated if s.applied(rule.id)]
        stops = [s for s, r in reached if _last_applied(s) == rule.id]
        if reached and len(stops) == len(reached):
            sample = stops[0]
            yield Finding(
                "check.no-one-eligible",
                f"no one is eligible under {space.name}: this rule stops everyone it reaches "
                f"(e.g. {sample.cell.describe()}: {sample.trace[rule.id].effect})",
                rule.location,
                rule_id=rule.id,
                target=space.name,
            )
            return
    yield Finding(
        "check.no-one-eligible",
        f"no one is eligible under {space.name}: every class is stopped by one rule or another",
        context.locator.at(f"/schemes/{space.name}"),
        target=space.name,
    )


def _last_applied(sample: Sample) -> str | None:
    applied = [rule_id for rule_id, entry in sample.trace.items() if entry.applied]
    return applied[-1] if applied else None


def _premium_rules(space: SchemeSpace) -> list[Rule]:
    """Rules that set what the person owes: by kind, or seen doing it in some class."""
    seen = {
        rule_id
        for sample, _ in space.evaluated()
        for rule_id, entry in sample.trace.items()
        if "individual" in entry.changes
    }
    return [r for r in space.scheme.rules if r.traits.sets_premium or r.id in seen]


def _gaps(context: Context, space: SchemeSpace) -> Iterator[Finding]:
    premiums = _premium_rules(space)
    found: dict[str | None, list[tuple[Sample, SchemeAssessment]]] = {}
    for sample, result in space.evaluated():
        if result.status == ELIGIBLE and result.total == 0:
            below, _ = _neighbours(premiums, sample.cell.age, _sex(sample))
            missed = next((r.id for r in premiums if not sample.applied(r.id)), None)
            anchor = below or missed or next((r.id for r in premiums), None)
            found.setdefault(anchor, []).append((sample, result))
    for anchor, cases in found.items():
        sample, result = cases[0]
        who = f"{len(cases)} of {len(space.samples)} classes, e.g. {sample.cell.describe()}"
        if anchor is None:
            yield Finding(
                "check.gap",
                f"eligible people under {space.name} pay nothing and get nothing: no rule sets "
                f"a premium ({who})",
                context.locator.at(f"/schemes/{space.name}/rules"),
                target=space.name,
                counterexample=context.example("check.gap", space.name, sample, result),
            )
            continue
        rule = context.policy.rule(anchor)
        entry = sample.trace[anchor]
        why = entry.reason or f"it gives {entry.effect}"
        why += _between(premiums, sample.cell.age, _sex(sample))
        yield Finding(
            "check.gap",
            f"eligible people under {space.name} pay nothing and get nothing ({who}): "
            f"this rule does not set their premium: {why}",
            rule.location,
            rule_id=anchor,
            target=space.name,
            counterexample=context.example("check.gap", anchor, sample, result),
        )


def _sex(sample: Sample) -> object:
    """The class's sex (None when the policy does not read it)."""
    return dict(sample.cell.values).get("sex")


def _age_band(rule: Rule, sex: object) -> AgeRange | None:
    """The age range a premium rule's ``when`` requires of a person of ``sex``, if it requires
    one (an age band that differs by sex gives that sex's bounds)."""
    if rule.when is None:
        return None
    for atom in atoms(rule.when):
        if isinstance(atom, AgeBySex):
            return atom.range_for(sex)
        if isinstance(atom, AgeRange):
            return atom
    return None


def _neighbours(premiums: list[Rule], age: int, sex: object) -> tuple[str | None, str | None]:
    """The premium rules whose age bands (for ``sex``) end nearest below ``age`` and start
    nearest above."""
    below: tuple[int, str] | None = None
    above: tuple[int, str] | None = None
    for rule in premiums:
        band = _age_band(rule, sex)
        if band is None:
            continue
        top, bottom = band.maximum, band.minimum
        if top is not None and top < age and (below is None or top > below[0]):
            below = (top, rule.id)
        if bottom is not None and bottom > age and (above is None or bottom < above[0]):
            above = (bottom, rule.id)
    return (below[1] if below else None), (above[1] if above else None)


def _between(premiums: list[Rule], age: int, sex: object) -> str:
    """Words naming the age bands on both sides of a gap, when there are two (for a person of
    ``sex``: a band that differs by sex is said to be theirs, one that does not is not)."""
    below, above = _neighbours(premiums, age, sex)
    if below is None or above is None:
        return ""
    rules = {rule.id: rule for rule in premiums}
    low, high = _age_band(rules[below], sex), _age_band(rules[above], sex)
    if low is None or high is None:
        return ""
    return (
        f"; age {age} falls between {below} ({low.describe()}{_whose(rules[below], sex)}) and "
        f"{above} ({high.describe()}{_whose(rules[above], sex)})"
    )


def _whose(rule: Rule, sex: object) -> str:
    """ " for men" after a band whose bounds differ by sex; nothing after one that does not."""
    return f" for {_SEX_WORDS[sex]}" if sex in _SEX_WORDS and _by_sex([rule]) else ""


_SEX_WORDS = {"male": "men", "female": "women"}


def _by_sex(premiums: list[Rule]) -> bool:
    """Whether some premium's age band differs by sex."""
    return any(
        isinstance(atom, AgeBySex)
        for rule in premiums
        if rule.when is not None
        for atom in atoms(rule.when)
    )


def _unsubsidized(context: Context, space: SchemeSpace) -> Iterator[Finding]:
    subsidies = [r for r in space.scheme.rules if r.traits.subsidy_by_tier]
    tiers = [r for r in space.scheme.rules if getattr(r.effect, "offered_tiers", ())]
    if not subsidies or not tiers:
        return
    found: dict[str, dict[str, tuple[Sample, SchemeAssessment]]] = {}
    for sample, result in space.evaluated():
        if result.status != ELIGIBLE:
            continue
        chosen = [sample.trace[r.id] for r in tiers if sample.applied(r.id)]
        paid = any(sample.trace[r.id].changes for r in subsidies if r.id in sample.trace)
        if chosen and "individual" in chosen[-1].changes and not paid:
            tier = f"{chosen[-1].changes['individual'].normalize():f}"
            found.setdefault(subsidies[0].id, {}).setdefault(tier, (sample, result))
    for rule_id, by_tier in found.items():
        rule = context.policy.rule(rule_id)
        sample, result = next(iter(by_tier.values()))
        entry = sample.trace[rule_id]
        why = entry.reason or entry.effect
        yield Finding(
            "check.tier-unsubsidized",
            f"offered tier{'s' if len(by_tier) > 1 else ''} {', '.join(by_tier)} get no subsidy "
            f"for some eligible people, e.g. {sample.cell.describe()}: {why}",
            rule.location,
            rule_id=rule_id,
            target=space.name,
            counterexample=context.example("check.tier-unsubsidized", rule_id, sample, result),
        )
