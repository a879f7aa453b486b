"""The per-person contract of a rule kind: its parameters, how it builds a rule, what a rule does.

``contribpolicy.plugin`` re-exports these for plugin authors; the engine and the loader import
them from here, so that nothing inside the package depends on the public facade.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from contribpolicy.model.conditions import Condition
from contribpolicy.model.facts import Changes, Facts, SchemeState

__all__ = ["BuildContext", "RuleEffect", "RuleKind", "SchemeCheck"]


class BuildContext(Protocol):
    """What a rule kind may use while building a rule from its parameters."""

    @property
    def rule_id(self) -> str: ...

    @property
    def scheme(self) -> str: ...

    def problem(self, pointer: str, message: str, code: str = "semantic.parameter") -> None:
        """Report a problem at ``pointer`` relative to the rule (``/tiers/2``)."""

    def money(self, value: Decimal | int, pointer: str | None = None) -> Decimal:
        """An amount rounded to the policy's places with its rounding mode; with ``pointer``
        (relative to the rule), an amount written with more places is reported there."""

    def rounding(self) -> Callable[[Decimal], Decimal]:
        """The rounding function itself, to call while evaluating."""

    def condition(self, data: Mapping[str, Any], pointer: str) -> Condition:
        """Compile a condition found in the parameters at ``pointer``."""

    def require_input(self, name: str, category: str, pointer: str) -> None:
        """Report unless ``name`` is declared under ``inputs.<category>``."""


@runtime_checkable
class RuleEffect(Protocol):
    """A compiled rule: applies itself to one person's scheme state."""

    def apply(self, facts: Facts, state: SchemeState) -> Changes: ...


@runtime_checkable
class RuleKind(Protocol):
    """A kind of rule: the schema of its parameters and how to build a rule from them."""

    @property
    def parameters(self) -> Mapping[str, Any]: ...

    def build(self, params: Mapping[str, Any], context: BuildContext) -> RuleEffect: ...


class SchemeCheck(Protocol):
    """Optional on a RuleEffect: a check that needs the other rules of the scheme."""

    def check_scheme(self, effects: Sequence[RuleEffect], context: BuildContext) -> None: ...
