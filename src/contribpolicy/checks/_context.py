"""What every family of checks reads: the policy, where things are, each scheme's classes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from contribpolicy.checks._locate import Locator
from contribpolicy.checks.counterexample import counterexample
from contribpolicy.checks.space import Sample, SchemeSpace
from contribpolicy.model.parts import Rule
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import SchemeAssessment

__all__ = ["Context"]


@attrs.frozen
class Context:
    policy: Policy
    locator: Locator
    spaces: Mapping[str, SchemeSpace]

    def rules(self) -> Iterator[tuple[SchemeSpace, Rule]]:
        for space in self.spaces.values():
            for rule in space.scheme.rules:
                yield space, rule

    def example(
        self,
        code: str,
        name: str,
        sample: Sample,
        result: SchemeAssessment,
        *,
        applies: tuple[str, ...] = (),
    ) -> str:
        return counterexample(self.policy, code, name, sample.cell, result, applies=applies)
