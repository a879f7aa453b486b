"""Cover rules that cannot mean what they say (the ``coverage`` section, 国办发〔2024〕38号).

The loader already refuses a period or scheme that does not exist; these are rules that load
but would surprise: a floor on the waiting period that never binds because it is no longer
than the fixed part, and a period named for the whole year that is declared for other schemes.
"""

from __future__ import annotations

from collections.abc import Iterator

from contribpolicy.checks._context import Context
from contribpolicy.checks.findings import Finding

__all__ = ["check_coverage"]


def check_coverage(context: Context) -> Iterator[Finding]:
    """Findings of the ``coverage`` section: a floor that never binds, a period for others."""
    policy = context.policy
    periods = {period.id: period for period in policy.collection.periods}
    for name, rules in policy.coverage_rules.schemes.items():
        pointer = f"/coverage/schemes/{name}"
        waiting = rules.waiting
        if waiting.floor_after_break_years is not None and (
            waiting.floor_months <= waiting.fixed_months
        ):
            yield Finding(
                "check.coverage-floor",
                f"the least waiting period after a long break ({waiting.floor_months} months) is "
                f"not above the fixed period ({waiting.fixed_months} months): it never applies",
                context.locator.at(f"{pointer}/waiting/floor/min_months"),
                target=name,
            )
        period = periods.get(rules.period)
        if period is not None and period.schemes and name not in period.schemes:
            yield Finding(
                "check.coverage-period",
                f"period {period.id!r} gives {name} its whole year, but is declared for "
                f"{', '.join(period.schemes)}",
                context.locator.at(f"{pointer}/period"),
                target=name,
            )
