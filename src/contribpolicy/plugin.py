"""What a rule kind is: the whole contract built-in and third-party kinds both implement.

A rule kind is registered under the entry-point group ``contribpolicy.rule_kinds``; the entry
point's name is the YAML ``kind:``. The object it points at has

* ``parameters``: a JSON Schema fragment ``{"properties": {...}, "required": [...]}`` for the
  rule's own keys (it may ``$ref`` the shared definitions ``#/$defs/money``, ``#/$defs/share``,
  ``#/$defs/identifier``, ``#/$defs/identifiers`` and ``#/$defs/condition``);
* ``build(params, context)``: checks what the schema cannot (sums, references to declared inputs)
  through ``context.problem`` and returns a ``RuleEffect``, the compiled rule.

A ``RuleEffect`` has ``apply(facts, state)``, the per-person form, which changes the scheme state
and returns the changes it made (for the trace). ``apply`` must depend on nothing but its
arguments (no clock, randomness, I/O or mutable globals): the engine computes the results for one
set of facts once and shares them between the people who have those facts.

``apply_columns(columns, state, where)``, optional (``ColumnarRuleEffect``), is the same rule for
a whole block of people at once, used by ``contribpolicy.columnar``: ``columns`` is a
``ColumnFacts`` (one NumPy array per fact), ``state`` a ``ColumnState`` (int64 arrays of minor
units, never floats), ``where`` the rows the rule applies to. It must give every row exactly
what ``apply`` gives that person. A scheme with a rule whose kind lacks it is evaluated person
by person with ``apply``, so a kind without it keeps working, only slower.
``check_scheme(effects, context)``, also optional, sees every compiled rule of the scheme, for
checks that span rules. ``unchanged``, an optional string attribute, is what the trace says when
the rule applied but changed no amount. ``offered_tiers`` (the tiers a rule offers) and
``covers_individual_part`` (it pays part of what the person owes) are optional attributes other
rules and the static checks read. These are ``EFFECT_MEMBERS``.

What the static checks need to know about a kind is declared on the kind object, as optional
class attributes: ``KindTraits`` lists them (``combines``, ``overlap_group``, ``sets_premium``,
``subsidy_by_tier``, ``share_parameter``, ``combine_parameter``, ``total_parameter``). A kind that
declares none combines with rules of its kind and plays none of the roles.

Registration checks all of it: the registry refuses a kind without ``parameters`` or ``build``, a
parameter named like a key every rule has (``when``, ``after``), a trait of the wrong type, and a
member name close to one of the contract's (``apply_column``, ``combine``), naming the close
match; a compiled rule's members are checked again when a policy builds it.

``ColumnFacts``, ``ColumnState`` and ``Texts`` need NumPy (the ``columnar`` extra); they are
imported from here only when asked for, so this module imports without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contribpolicy.columnar._protocol import ColumnarRuleEffect
from contribpolicy.i18n import N_, Message
from contribpolicy.model.conditions import Condition
from contribpolicy.model.facts import Changes, Facts, SchemeState
from contribpolicy.model.protocol import (
    EFFECT_MEMBERS,
    KIND_MEMBERS,
    BuildContext,
    KindTraits,
    RuleEffect,
    RuleKind,
    SchemeCheck,
)

if TYPE_CHECKING:
    from contribpolicy.columnar._facts import ColumnFacts
    from contribpolicy.columnar._state import BoolArray, ColumnState, IntArray
    from contribpolicy.columnar._texts import Texts

__all__ = [
    "EFFECT_MEMBERS",
    "KIND_MEMBERS",
    "N_",
    "BoolArray",
    "BuildContext",
    "Changes",
    "ColumnFacts",
    "ColumnState",
    "ColumnarRuleEffect",
    "Condition",
    "Facts",
    "IntArray",
    "KindTraits",
    "Message",
    "RuleEffect",
    "RuleKind",
    "SchemeCheck",
    "SchemeState",
    "Texts",
]

#: Names served lazily by ``__getattr__``: they need NumPy, which is optional.
_COLUMNAR = {
    "BoolArray": "contribpolicy.columnar._state",
    "ColumnFacts": "contribpolicy.columnar._facts",
    "ColumnState": "contribpolicy.columnar._state",
    "IntArray": "contribpolicy.columnar._state",
    "Texts": "contribpolicy.columnar._texts",
}


def __getattr__(name: str) -> Any:
    module = _COLUMNAR.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module), name)
