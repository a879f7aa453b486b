"""``referral``: the person is referred for determination (核定) by the office; no amounts.

Some people are neither plainly eligible nor ineligible: a person of 60 or more who has paid
fewer than 15 years may back-pay or keep paying (READING 四, Decision), which the plan leaves to
人社岗 (六（二）5). The plan gives no amounts for them, so none are invented: the scheme stops
with the status ``referred`` and the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from contribpolicy.plugin import BuildContext, Changes, Facts, SchemeState

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState

PARAMETERS: Mapping[str, Any] = {
    "properties": {
        "reason": {
            "type": "string",
            "minLength": 1,
            "description": "Why the person is referred, and to whom (the status message).",
        },
    },
    "required": ["reason"],
}


@attrs.frozen
class Referral:
    """A compiled referral: stops the scheme as ``referred`` with its reason."""

    reason: str
    #: It stops every person it applies to, by design (read by the static checks).
    always_stops = True

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        """Refer the person: no amounts."""
        state.refer(self.reason)
        return ()

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None:
        """Refer the rows of ``where``."""
        state.refer(where, self.reason)


class ReferralKind:
    """The ``referral`` kind: referred for determination (核定), no amounts."""

    parameters = PARAMETERS
    built_in = True

    def build(self, params: Mapping[str, Any], context: BuildContext) -> Referral:
        """Compile the reason."""
        return Referral(params["reason"])


KIND = ReferralKind()
