"""``eligibility``: a requirement a person must meet to be covered by the scheme at all.

Several eligibility rules all apply; the first one failed makes the scheme ``ineligible`` with
its ``otherwise`` message and the condition that failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from contribpolicy.plugin import N_, BuildContext, Changes, Condition, Facts, Message, SchemeState
from contribpolicy.rules._common import CONDITION

#: The plan's words for who is not covered, then why in plain facts; a Chinese reader gets the
#: plan's words alone (they are already Chinese: the plan is quoted once).
_REJECTED = N_("{otherwise} ({reason})")

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState

PARAMETERS: Mapping[str, Any] = {
    "properties": {
        "requires": {**CONDITION, "description": "Who is covered."},
        "otherwise": {
            "type": "string",
            "minLength": 1,
            "description": "Why a person who fails it is not covered.",
        },
    },
    "required": ["requires", "otherwise"],
}


@attrs.frozen
class Eligibility:
    """A compiled ``eligibility`` rule: who is covered, and the reason given to the rest."""

    requires: Condition
    otherwise: str
    unchanged = "requirement met"

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        """Reject the person with ``otherwise`` unless ``requires`` holds."""
        failed = self.requires.failure(facts)
        if failed is not None:
            state.reject(Message(_REJECTED, otherwise=self.otherwise, reason=failed.explain(facts)))
        return ()

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None:
        """Reject the rows of ``where`` for which ``requires`` does not hold."""
        failing = where & ~columns.holds(self.requires)
        if failing.any():
            reasons = columns.failure_texts(self.requires, failing)
            state.reject(failing, reasons.map(lambda reason: f"{self.otherwise} ({reason})"))


class EligibilityKind:
    """The ``eligibility`` kind: a requirement every covered person meets."""

    parameters = PARAMETERS
    # Several requirements all hold for one person: combines (the default).
    built_in = True

    def build(self, params: Mapping[str, Any], context: BuildContext) -> Eligibility:
        """Compile the requirement and the words for those who fail it."""
        return Eligibility(context.condition(params["requires"], "/requires"), params["otherwise"])


KIND = EligibilityKind()
