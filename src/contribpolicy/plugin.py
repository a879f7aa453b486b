"""What a rule kind is: the protocol built-in and third-party kinds both implement.

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
the rule applied but changed no amount.

``ColumnFacts``, ``ColumnState`` and ``Texts`` need NumPy (the ``columnar`` extra); they are
imported from here only when asked for, so this module imports without it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .conditions import Condition

if TYPE_CHECKING:
    from ._columnar_facts import ColumnFacts
    from ._columnar_state import BoolArray, ColumnState
    from ._columnar_texts import Texts

__all__ = [
    "BuildContext",
    "Changes",
    "ColumnFacts",
    "ColumnState",
    "ColumnarRuleEffect",
    "Facts",
    "RuleEffect",
    "RuleKind",
    "SchemeState",
    "Texts",
]

#: Names served lazily by ``__getattr__``: they need NumPy, which is optional.
_COLUMNAR = {
    "ColumnFacts": "_columnar_facts",
    "ColumnState": "_columnar_state",
    "Texts": "_columnar_texts",
}


def __getattr__(name: str) -> Any:
    module = _COLUMNAR.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __package__), name)


ZERO = Decimal(0)

#: What one rule did, as (part, amount) pairs: ``individual`` sets the individual part, ``sponsor``
#: is a sponsorship, any other name is a government component (``subsidy``, ``proxy`` ...).
Changes = tuple[tuple[str, Decimal], ...]


class Facts:
    """What rules may read about one person: age at the reference date, statuses, inputs."""

    __slots__ = ("age", "statuses", "values")

    def __init__(self, age: int, statuses: frozenset[str], values: Mapping[str, Any]) -> None:
        self.age = age
        self.statuses = statuses
        self.values = values


class SchemeState:
    """The amounts of one scheme for one person while its rules run, in rule order.

    The individual part is what the person owes before anyone helps; ``cover`` moves some of it
    to a government component or the sponsor (never more than is left), ``add`` puts a government
    amount on top of it (a subsidy, the fiscal part of a premium).
    """

    __slots__ = (
        "covered",
        "error",
        "government",
        "individual_part",
        "ineligible",
        "sponsor",
        "tier",
    )

    def __init__(self) -> None:
        self.individual_part = ZERO
        self.covered = ZERO
        self.sponsor = ZERO
        self.government: dict[str, Decimal] = {}
        self.tier: int | None = None
        self.error: str | None = None
        self.ineligible: str | None = None

    @property
    def remaining(self) -> Decimal:
        """What the person still owes."""
        return self.individual_part - self.covered

    @property
    def stopped(self) -> bool:
        return self.error is not None or self.ineligible is not None

    def add(self, component: str, amount: Decimal) -> Decimal:
        self.government[component] = self.government.get(component, ZERO) + amount
        return amount

    def cover(self, component: str, amount: Decimal) -> Decimal:
        paid = min(amount, self.remaining)
        if paid <= 0:
            return ZERO
        self.covered += paid
        if component == "sponsor":
            self.sponsor += paid
        else:
            self.government[component] = self.government.get(component, ZERO) + paid
        return paid

    def reject(self, message: str) -> None:
        """The person is not covered by this scheme."""
        self.ineligible = message

    def fail(self, message: str) -> None:
        """The record asks for something the plan does not allow."""
        self.error = message


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
class ColumnarRuleEffect(Protocol):
    """Optional on a RuleEffect: the rule applied to a block of people at once.

    It changes ``state`` on the rows of ``where`` only (the rows whose scheme has not stopped
    and whose ``when`` holds), and gives each of them exactly what ``apply`` gives that person.
    """

    def apply_columns(self, columns: ColumnFacts, state: ColumnState, where: BoolArray) -> None: ...


@runtime_checkable
class RuleKind(Protocol):
    """A kind of rule: the schema of its parameters and how to build a rule from them."""

    @property
    def parameters(self) -> Mapping[str, Any]: ...

    def build(self, params: Mapping[str, Any], context: BuildContext) -> RuleEffect: ...


class SchemeCheck(Protocol):
    """Optional on a RuleEffect: a check that needs the other rules of the scheme."""

    def check_scheme(self, effects: Sequence[RuleEffect], context: BuildContext) -> None: ...
