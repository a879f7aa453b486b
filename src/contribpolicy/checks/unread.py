"""Declared statuses and inputs that no rule (nor a cover rule) reads.

A roster may carry them, but no amount depends on them: often a rule that should read one
names another (a typo of a status in ``any_status`` is caught at load; a status left out of a
list is not). Silence one that is declared on purpose with a top-level ``silence`` entry whose
``target`` is its name.
"""

from __future__ import annotations

from collections.abc import Iterator

from contribpolicy.checks._context import Context
from contribpolicy.checks.findings import Finding
from contribpolicy.checks.partition import atoms, reads_of, status_codes

__all__ = ["check_unread"]


def check_unread(context: Context) -> Iterator[Finding]:
    """Declared statuses and inputs that no rule reads (unless silenced on purpose)."""
    policy = context.policy
    vocabulary = policy.vocabulary
    rules = [rule for scheme in policy.schemes.values() for rule in scheme.rules]
    reads = reads_of(rules, vocabulary)
    # A status the cover rules test (a group exempt from waiting) is read, though by no amount.
    covering = {
        code
        for rules_ in policy.coverage_rules.schemes.values()
        for group in rules_.exempt
        for test in atoms(group.when)
        for code in status_codes(test)
    }
    for code in vocabulary.statuses:
        if code not in reads.statuses and code not in covering:
            yield Finding(
                "check.unread-status",
                f"status {code!r} is declared but no rule reads it: no amount depends on it",
                context.locator.at(f"/inputs/statuses/{code}", key=True),
                target=code,
            )
    for name, category in vocabulary.inputs().items():
        if category != "residence" and name not in reads.inputs:
            yield Finding(
                "check.unread-input",
                f"input {name!r} ({category}) is declared but no rule reads it: no amount "
                "depends on it",
                context.locator.at(f"/inputs/{category}/{name}", key=True),
                target=name,
            )
