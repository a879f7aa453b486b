"""``flat_bonus``: a government component of a fixed amount, as another locality might add."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from contribpolicy.plugin import BuildContext, Changes, Facts, SchemeState

if TYPE_CHECKING:
    from contribpolicy.plugin import BoolArray, ColumnFacts, ColumnState

PARAMETERS: Mapping[str, Any] = {
    "properties": {
        "bonus": {"$ref": "#/$defs/money"},
        "component": {"$ref": "#/$defs/identifier"},
    },
    "required": ["bonus"],
}


@attrs.frozen
class FlatBonus:
    component: str
    bonus: Decimal

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        return ((self.component, state.add(self.component, self.bonus)),)

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None:
        state.add(self.component, state.units(self.bonus), where)


class FlatBonusKind:
    parameters = PARAMETERS
    # What the static checks need to know (contribpolicy.plugin.KindTraits): a second bonus
    # for one person pays it twice, so two applying to one person is an overlap.
    combines = False

    def build(self, params: Mapping[str, Any], context: BuildContext) -> FlatBonus:
        return FlatBonus(params.get("component", "bonus"), context.money(params["bonus"]))


KIND = FlatBonusKind()
