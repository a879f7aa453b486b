"""What every family of checks reads: the policy, where things are, each scheme's classes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from ..model import Policy, Rule
from ..results import SchemeAssessment
from ._locate import Locator
from .counterexample import counterexample
from .space import Sample, SchemeSpace

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
