"""Static checks: properties of a policy proven over the whole input space, before anyone pays.

The input space of each scheme is split into the finite classes its rules can tell apart
(``partition``); each class is evaluated by the engine (``space``), and each family of checks
reads the results: gaps, overlaps, age bands, dead rules, unread inputs, amount invariants.
Codes, severities and summaries are in ``findings.CODES``; docs/checks.md explains each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from contribpolicy.checks._context import Context
from contribpolicy.checks._locate import Locator
from contribpolicy.checks.ages import check_ages
from contribpolicy.checks.coverage import check_coverage
from contribpolicy.checks.dead import check_dead
from contribpolicy.checks.findings import CODES, ERROR, WARNING, Finding
from contribpolicy.checks.gaps import check_gaps
from contribpolicy.checks.invariants import check_invariants
from contribpolicy.checks.notice import check_notice, check_villages
from contribpolicy.checks.overlaps import check_overlaps
from contribpolicy.checks.partition import partition
from contribpolicy.checks.silencing import apply_silences
from contribpolicy.checks.space import SchemeSpace
from contribpolicy.checks.unread import check_unread
from contribpolicy.model.policy import Policy

__all__ = [
    "CODES",
    "DEFAULT_MAX_CLASSES",
    "ERROR",
    "WARNING",
    "Finding",
    "check_policy",
    "check_villages",
]

#: Beyond this many classes in one scheme the checks refuse rather than run for minutes.
DEFAULT_MAX_CLASSES = 200_000

_FAMILIES: tuple[Callable[[Context], Iterable[Finding]], ...] = (
    check_gaps,
    check_overlaps,
    check_ages,
    check_dead,
    check_unread,
    check_invariants,
    check_notice,
    check_coverage,
)


def check_policy(
    policy: Policy, *, include_silenced: bool = False, max_classes: int = DEFAULT_MAX_CLASSES
) -> list[Finding]:
    """Every finding of the static checks, ordered by place in the file.

    Findings a ``silence`` entry accepts are left out, or with ``include_silenced`` kept with
    their ``silenced`` reason set.
    """
    locator = Locator(policy)
    spaces: dict[str, SchemeSpace] = {}
    found: list[Finding] = []
    for name, scheme in policy.schemes.items():
        split = partition(policy, scheme.rules, max_classes)
        if isinstance(split, int):
            found.append(_too_large(locator, name, split, max_classes))
        else:
            spaces[name] = SchemeSpace(policy, scheme, split.cells)
    context = Context(policy, locator, spaces)
    found.extend(_failures(context))
    for family in _FAMILIES:
        found.extend(family(context))
    found = apply_silences(context, found)
    found.sort(key=_order)
    return [f for f in found if include_silenced or f.silenced is None]


def _order(finding: Finding) -> tuple[str, int, int, str]:
    where = finding.location
    return (where.file or "", where.line or 0, where.column or 0, finding.code)


def _too_large(locator: Locator, scheme: str, size: int, limit: int) -> Finding:
    return Finding(
        "check.too-many-classes",
        f"the rules of {scheme} split people into {size} classes, over the limit of {limit}: "
        "the static checks of this scheme did not run",
        locator.at(f"/schemes/{scheme}"),
        target=scheme,
    )


def _failures(context: Context) -> Iterator[Finding]:
    seen: set[str] = set()
    for space in context.spaces.values():
        for sample in space.samples:
            err = sample.failure
            if err is None or err.rule_id in seen:
                continue
            seen.add(err.rule_id)
            yield Finding(
                "check.rule-failed",
                f"{err} (for {sample.cell.describe()})",
                context.policy.rule(err.rule_id).location,
                rule_id=err.rule_id,
            )
