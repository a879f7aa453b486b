"""The whole contract of a rule kind: its parameters, how it builds a rule, what a rule does,
and what it declares about itself.

``contribpolicy.plugin`` re-exports these for plugin authors; the engine, the loader and the
static checks import them from here, so that nothing inside the package depends on the public
facade. A kind's required members are in ``RuleKind``; what it may declare besides is
``KindTraits`` (read by the registry when the kind registers); what a compiled rule may have
besides ``apply`` is ``EFFECT_MEMBERS``. The registry refuses a member name close to one of
these, as pluggy refuses an unknown hook.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

import attrs

from contribpolicy.model.conditions import Condition
from contribpolicy.model.facts import Changes, Facts, SchemeState

__all__ = [
    "EFFECT_MEMBERS",
    "KIND_MEMBERS",
    "TRAIT_NAMES",
    "BuildContext",
    "KindTraits",
    "RuleEffect",
    "RuleKind",
    "SchemeCheck",
]


class BuildContext(Protocol):
    """What a rule kind may use while building a rule from its parameters."""

    @property
    def rule_id(self) -> str:
        """The ``id`` of the rule being built."""

    @property
    def scheme(self) -> str:
        """The name of the scheme the rule belongs to."""

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
    """A compiled rule: applies itself to one person's scheme state.

    Optional members (``EFFECT_MEMBERS``): ``apply_columns`` (the columnar form,
    ``ColumnarRuleEffect``), ``check_scheme`` (``SchemeCheck``), ``unchanged`` (the trace's words
    when the rule applied but changed no amount), ``offered_tiers`` (the tiers a rule offers, read
    by ``tier_subsidy`` and the static checks) and ``covers_individual_part`` (true when the rule
    pays part of what the person owes, read by ``sponsorship``'s order check).
    """

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        """Change ``state`` for one person and return the changes made, for the trace."""


@runtime_checkable
class RuleKind(Protocol):
    """A kind of rule: the schema of its parameters and how to build a rule from them.

    A kind may also declare the optional attributes of ``KindTraits`` (``combines = False``).
    """

    @property
    def parameters(self) -> Mapping[str, Any]:
        """The JSON Schema fragment of the rule's own keys: ``{"properties": ..., ...}``."""

    def build(self, params: Mapping[str, Any], context: BuildContext) -> RuleEffect:
        """Check ``params`` (reporting through ``context.problem``) and compile the rule."""


class SchemeCheck(Protocol):
    """Optional on a RuleEffect: a check that needs the other rules of the scheme."""

    def check_scheme(self, effects: Sequence[RuleEffect], context: BuildContext) -> None:
        """Check this rule against ``effects``, every compiled rule of the scheme in order."""


def _of(*types: type | None) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """A validator naming the attribute, what it must be and what it is."""
    allowed = tuple(kind for kind in types if kind is not None)
    optional = None in types

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (value is None and optional) or (type(value) in allowed):
            return
        wanted = " or ".join([kind.__name__ for kind in allowed] + ["None"] * optional)
        raise TypeError(f"`{attribute.name}` is {type(value).__name__} {value!r}, not {wanted}")

    return check


@attrs.frozen
class KindTraits:
    """What the static checks and the engine need to know about a kind, declared on the kind.

    Each field is an optional attribute of the kind object (``combines = False`` in its class).
    The registry reads them when the kind registers, checks their types, and refuses a name close
    to one of them (``combine`` for ``combines``). A kind that declares none gets these defaults:
    it combines with the rules of its kind (no overlap is reported for it) and plays none of the
    roles below. Every ``Rule`` carries its kind's traits (``rule.traits``).
    """

    #: Several rules of the kind applying to one person is intended (eligibility requirements
    #: all hold; reliefs declare how they combine). When false, two of them applying to one
    #: person is an overlap (check.overlap): the later one overrides or doubles the earlier.
    combines: bool = attrs.field(default=True, validator=_of(bool))
    #: Kinds that overlap each other share a group (a tier choice and a premium split both set
    #: the individual part: ``"premium"``); without one, a kind overlaps only with itself.
    overlap_group: str | None = attrs.field(default=None, validator=_of(str, None))
    #: Rules of the kind set what the person owes: a scheme whose eligible people meet none of
    #: them pays nothing (check.gap).
    sets_premium: bool = attrs.field(default=False, validator=_of(bool))
    #: Rules of the kind pay a subsidy by the tier chosen: a chosen tier that none of them pays
    #: is reported (check.unsubsidized).
    subsidy_by_tier: bool = attrs.field(default=False, validator=_of(bool))
    #: The parameter holding the share of the individual part a rule bears (``"share"``): the
    #: shares of the rules that apply to one person must not add up past 100%.
    share_parameter: str | None = attrs.field(default=None, validator=_of(str, None))
    #: The parameter saying how that share combines: ``most_favourable`` counts only the largest
    #: share of a component; any other value adds.
    combine_parameter: str | None = attrs.field(default=None, validator=_of(str, None))
    #: The parameter declaring the scheme's total for the people a rule applies to
    #: (check.parts-sum compares the assessed total with it).
    total_parameter: str | None = attrs.field(default=None, validator=_of(str, None))
    #: A kind contribpolicy ships, held to the contract by its own tests: the engine does not
    #: wrap its ``apply`` in the checks it makes on a third party's results. Leave it false.
    built_in: bool = attrs.field(default=False, validator=_of(bool))


#: The traits a kind may declare (the fields of ``KindTraits``).
TRAIT_NAMES: tuple[str, ...] = tuple(field.name for field in attrs.fields(KindTraits))
#: Every member of the contract a kind object may have.
KIND_MEMBERS: frozenset[str] = frozenset({"parameters", "build", *TRAIT_NAMES})
#: Every member of the contract a compiled rule may have: ``apply`` and the optional ones.
EFFECT_MEMBERS: frozenset[str] = frozenset(
    {
        "apply",
        "apply_columns",
        "check_scheme",
        "unchanged",
        "offered_tiers",
        "covers_individual_part",
    }
)
