"""``premium_split``: a fixed premium split between the individual and government parts.

The parts must add up to the total; that is checked when the policy loads, so a typo in one
number is caught before any person is assessed. ``standard`` names the standard individual part
when this premium's differs from it (a late enrolment pays the whole premium): shares ``of:
standard`` (特困 pays none of the standard 400) are of it, whatever the person owes.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from contribpolicy.plugin import N_, BuildContext, Changes, Facts, Message, SchemeState
from contribpolicy.rules._common import MONEY

_PARTS_SUM = N_(
    "parts add up to {parts} (individual {individual} + government {government}), not the "
    "total {total}"
)

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState

PARAMETERS: Mapping[str, Any] = {
    "properties": {
        "total": {**MONEY, "description": "The whole premium per person."},
        "individual": {**MONEY, "description": "The individual's part."},
        "standard": {
            **MONEY,
            "description": "The standard individual part, when it is not `individual`: the "
            "base of shares `of: standard`.",
        },
        "government": {
            "type": "object",
            "description": "Government parts by component, e.g. {fiscal: 250}.",
            "propertyNames": {"$ref": "#/$defs/identifier"},
            "additionalProperties": MONEY,
        },
    },
    "required": ["total", "individual", "government"],
}


@attrs.frozen
class PremiumSplit:
    """A compiled ``premium_split`` rule: the individual part and the government's parts."""

    individual: Decimal
    government: tuple[tuple[str, Decimal], ...]
    standard: Decimal | None = None
    #: The bases a share may be declared of (``of:``) that this rule sets.
    bases_set = ("standard", "premium")

    @property
    def total(self) -> Decimal:
        """The whole premium: the individual part and the government parts."""
        return self.individual + sum((amount for _, amount in self.government), Decimal(0))

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        """Set the individual part and add each government part."""
        state.individual_part = self.individual
        # The bases a relief's share may be of (``of: standard``, ``of: premium``).
        state.bases["standard"] = self.individual if self.standard is None else self.standard
        state.bases["premium"] = self.total
        for component, amount in self.government:
            state.add(component, amount)
        return (("individual", self.individual), *self.government)

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None:
        """Set the individual part and add each government part on the rows of ``where``."""
        state.individual_part[where] = state.units(self.individual)
        standard = self.individual if self.standard is None else self.standard
        state.set_base("standard", state.units(standard), where)
        state.set_base("premium", state.units(self.total), where)
        for component, amount in self.government:
            state.add(component, state.units(amount), where)


class PremiumSplitKind:
    """The ``premium_split`` kind: a fixed premium split between person and government."""

    parameters = PARAMETERS
    # A second premium for one person overrides the first (check.overlap), as a tier choice.
    combines = False
    overlap_group = "premium"
    sets_premium = True
    total_parameter = "total"
    built_in = True

    def build(self, params: Mapping[str, Any], context: BuildContext) -> PremiumSplit:
        """Compile the amounts, checking that they add up to the declared ``total``."""
        total = context.money(params["total"], "/total")
        individual = context.money(params["individual"], "/individual")
        government = tuple(
            (name, context.money(amount, f"/government/{name}"))
            for name, amount in params["government"].items()
        )
        parts = individual + sum((amount for _, amount in government), Decimal(0))
        if parts != total:
            context.problem(
                "/total",
                Message(
                    _PARTS_SUM,
                    parts=parts,
                    individual=individual,
                    government=" + ".join(str(a) for _, a in government) or "0",
                    total=total,
                ),
                "semantic.parts-sum",
            )
        standard = context.money(params["standard"], "/standard") if "standard" in params else None
        return PremiumSplit(individual, government, standard)


KIND = PremiumSplitKind()
