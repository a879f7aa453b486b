"""Dead rules: rules that change no outcome for anyone.

A rule is dead when its condition holds for no class (unsatisfiable, or every person is
stopped before it), or when every class gets the same status and amounts without it: another
rule already gives what it gives (shadowed), as a relief for 80 and over is under one for 70
and over with the same share.
"""

from __future__ import annotations

from collections.abc import Iterator

from contribpolicy.checks._context import Context
from contribpolicy.checks.findings import Finding
from contribpolicy.checks.space import SchemeSpace, outcome
from contribpolicy.model.parts import Rule

__all__ = ["check_dead"]


def check_dead(context: Context) -> Iterator[Finding]:
    """Dead rules: a condition no class meets, or no outcome that differs without the rule."""
    for space in context.spaces.values():
        if space.failed or not space.anyone_eligible():
            continue  # check.rule-failed or check.no-one-eligible is the finding to read
        for rule in space.scheme.rules:
            unreachable = _unreachable(space, rule)
            if unreachable is not None:
                yield Finding("check.unreachable", unreachable, rule.location, rule_id=rule.id)
                continue
            message = _dead(space, rule)
            if message is not None:
                yield Finding("check.dead-rule", message, rule.location, rule_id=rule.id)


def _unreachable(space: SchemeSpace, rule: Rule) -> str | None:
    """A rule of a first_match group that some class meets its condition in, but an earlier
    rule of the group always applies first: an entry of the category list nobody reaches."""
    group = rule.first_match
    if group is None:
        return None
    samples = [sample for sample, _ in space.evaluated()]
    if not samples or any(sample.applied(rule.id) for sample in samples):
        return None
    taken = [s for s in samples if (s.trace[rule.id].reason or "").startswith("an earlier rule")]
    if not taken:
        return None
    earlier = [
        other.id
        for other in space.scheme.rules[: space.scheme.rules.index(rule)]
        if other.first_match == group and any(sample.applied(other.id) for sample in taken)
    ]
    return (
        f"this entry of first_match group {group} is unreachable: wherever it would apply, an "
        f"earlier entry applies first ({', '.join(earlier)}); move it before them or remove it"
    )


def _dead(space: SchemeSpace, rule: Rule) -> str | None:
    samples = [sample for sample, _ in space.evaluated()]
    if not samples:
        return None
    applying = [sample for sample in samples if sample.applied(rule.id)]
    if not applying:
        reasons = [sample.trace[rule.id].reason or "" for sample in samples]
        tested = [reason for reason in reasons if not reason.startswith("not reached")]
        if not tested:
            return "this rule applies to no one: an earlier rule stops every person before it"
        return f"this rule applies to no one: its condition holds in no class (e.g. {tested[0]})"
    before = [outcome(sample.result) for sample in applying if sample.result is not None]
    after = space.without((rule,), applying)
    if any(new != old for new, old in zip(after, before, strict=True)):
        return None
    shadows = [
        other.id
        for other in space.scheme.rules
        if other is not rule
        and all(sample.applied(other.id) for sample in applying)
        and other.kind == rule.kind
    ]
    by = f"; shadowed by {', '.join(shadows)}" if shadows else ""
    return (
        f"this rule changes no outcome: the {len(applying)} classes it applies to get the same "
        f"status and amounts without it{by}"
    )
