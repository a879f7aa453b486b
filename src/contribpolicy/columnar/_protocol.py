"""The columnar form of a rule: what ``apply_columns`` receives, for plugin authors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from contribpolicy.columnar._facts import ColumnFacts
    from contribpolicy.columnar._state import BoolArray, ColumnState

__all__ = ["ColumnarRuleEffect"]


@runtime_checkable
class ColumnarRuleEffect(Protocol):
    """Optional on a RuleEffect: the rule applied to a block of people at once.

    It changes ``state`` on the rows of ``where`` only (the rows whose scheme has not stopped
    and whose ``when`` holds), and gives each of them exactly what ``apply`` gives that person.
    """

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None: ...
