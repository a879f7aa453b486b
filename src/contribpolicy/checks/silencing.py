"""Silencing: a finding the policy's authors accept, with their reason, is not reported.

A rule's ``silence: [{code, reason}]`` accepts that code's findings about that rule. The
top-level ``silence: [{code, target, reason}]`` accepts that code's findings about ``target``
(an input, a status, a scheme or a rule id), or every finding of the code when there is no
target. An entry that accepts nothing is itself reported (check.unused-silence): the mistake
it excused is gone, or it never matched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from contribpolicy.checks._context import Context
from contribpolicy.checks.findings import Finding
from contribpolicy.model.parts import Silence

__all__ = ["apply_silences"]


def _matches(silence: Silence, finding: Finding, rule_id: str | None) -> bool:
    if silence.code != finding.code:
        return False
    if rule_id is not None:
        return finding.rule_id == rule_id
    return silence.target is None or silence.target in (finding.target, finding.rule_id)


def apply_silences(context: Context, findings: Sequence[Finding]) -> list[Finding]:
    """Every finding, the accepted ones carrying their reason, then unused entries."""
    entries = list(_entries(context))
    used: set[int] = set()
    result = []
    for finding in findings:
        accepted = finding
        for index, (silence, rule_id, _) in enumerate(entries):
            if _matches(silence, finding, rule_id):
                used.add(index)
                accepted = attrs.evolve(finding, silenced=silence.reason)
                break
        result.append(accepted)
    for index, (silence, rule_id, pointer) in enumerate(entries):
        if index not in used:
            result.append(_unused(context, silence, rule_id, pointer))
    return result


def _entries(context: Context) -> Iterator[tuple[Silence, str | None, str]]:
    """Each silence entry with its rule (None at the top level) and its pointer."""
    for index, silence in enumerate(context.policy.silence):
        yield silence, None, f"/silence/{index}"
    for _, rule in context.rules():
        for index, silence in enumerate(rule.silence):
            yield silence, rule.id, f"/silence/{index}"


def _unused(context: Context, silence: Silence, rule_id: str | None, pointer: str) -> Finding:
    about = f" about {silence.target!r}" if silence.target else ""
    message = f"silence of {silence.code}{about} silences no finding: remove it"
    if rule_id is None:
        return Finding("check.unused-silence", message, context.locator.at(pointer))
    rule = context.policy.rule(rule_id)
    location = context.locator.in_rule(rule, pointer)
    return Finding("check.unused-silence", message, location, rule_id=rule_id)
