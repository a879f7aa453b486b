"""A scheme evaluated over every class of its partition, through the real engine.

Each class's representative record goes through ``Policy.evaluate`` on a policy that holds only
this scheme (the others cannot change its amounts), so what the checks prove is what people
get, not what a second model of the rules predicts.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from decimal import Decimal

import attrs

from contribpolicy.checks.partition import Cell
from contribpolicy.errors import PluginError
from contribpolicy.model.parts import Rule, Scheme
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import ELIGIBLE, SchemeAssessment, TraceEntry

__all__ = ["Outcome", "SchemeSpace", "outcome"]

#: What a person gets under a scheme: status, individual, government, sponsor, total, parts.
Outcome = tuple[str, Decimal, Decimal, Decimal, Decimal, tuple[tuple[str, Decimal], ...]]


def outcome(result: SchemeAssessment) -> Outcome:
    """The result's status and amounts, comparable between two classes of people."""
    parts = tuple(sorted(result.components.items()))
    return (
        result.status, result.individual, result.government, result.sponsor, result.total, parts
    )  # fmt: skip


@attrs.frozen
class Sample:
    """One class and what the scheme gives it (or the plugin failure it met)."""

    index: int
    cell: Cell
    result: SchemeAssessment | None
    failure: PluginError | None

    @functools.cached_property
    def trace(self) -> dict[str, TraceEntry]:
        return {entry.rule_id: entry for entry in self.result.trace} if self.result else {}

    def applied(self, rule_id: str) -> bool:
        entry = self.trace.get(rule_id)
        return entry is not None and entry.applied


class SchemeSpace:
    """A scheme's classes, each evaluated; and the same classes without one rule."""

    def __init__(self, policy: Policy, scheme: Scheme, cells: Sequence[Cell]) -> None:
        self.policy = policy
        self.scheme = scheme
        self.reference = policy.age_basis.reference_date
        alone = attrs.evolve(policy, schemes={scheme.name: scheme})
        self.samples = tuple(
            Sample(index, cell, *self._run(alone, cell)) for index, cell in enumerate(cells)
        )

    @property
    def name(self) -> str:
        """The scheme's name."""
        return self.scheme.name

    def _run(
        self, policy: Policy, cell: Cell
    ) -> tuple[SchemeAssessment | None, PluginError | None]:
        try:
            return policy.evaluate(cell.record(self.reference))[self.scheme.name], None
        except PluginError as err:
            return None, err

    def anyone_eligible(self) -> bool:
        """Whether any class of person is eligible under the scheme."""
        return any(result.status == ELIGIBLE for _, result in self.evaluated())

    @property
    def failed(self) -> bool:
        """Some class met a plugin failure: outcome comparisons would be incomplete."""
        return any(sample.failure is not None for sample in self.samples)

    def evaluated(self) -> Iterator[tuple[Sample, SchemeAssessment]]:
        """The classes the scheme evaluated without a plugin failure."""
        for sample in self.samples:
            if sample.result is not None:
                yield sample, sample.result

    def without(self, rules: Sequence[Rule], samples: Sequence[Sample]) -> Iterator[Outcome | None]:
        """The outcome of each sample when ``rules`` are left out (None if a plugin failed)."""
        left_out = {id(rule) for rule in rules}
        kept = tuple(rule for rule in self.scheme.rules if id(rule) not in left_out)
        trimmed = attrs.evolve(self.scheme, rules=kept)
        policy = attrs.evolve(self.policy, schemes={self.scheme.name: trimmed})
        for sample in samples:
            result, _ = self._run(policy, sample.cell)
            yield outcome(result) if result is not None else None
