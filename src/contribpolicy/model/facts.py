"""What a rule reads and changes for one person: ``Facts``, ``SchemeState`` and ``Changes``.

These are the per-person values every rule kind works on; they live below everything else so
that conditions, results, the engine and plugins can all use them without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = ["ZERO", "Changes", "Facts", "SchemeState"]

ZERO = Decimal(0)

#: What one rule did, as (part, amount) pairs: ``individual`` sets the individual part, ``sponsor``
#: is a sponsorship, any other name is a government component (``subsidy``, ``proxy`` ...).
Changes = tuple[tuple[str, Decimal], ...]


class Facts:
    """What rules may read about one person: age at the reference date, statuses, inputs."""

    __slots__ = ("age", "memo", "statuses", "values")

    def __init__(self, age: int, statuses: frozenset[str], values: Mapping[str, Any]) -> None:
        self.age = age
        self.statuses = statuses
        self.values = values
        #: What each named condition gave for these facts, so a condition named by many others
        #: (a DAG) is tested once per person; filled by ``model.conditions.Named``.
        self.memo: dict[Any, Any] | None = None


class SchemeState:
    """The amounts of one scheme for one person while its rules run, in rule order.

    The individual part is what the person owes before anyone helps; ``cover`` moves some of it
    to a government component or the sponsor (never more than is left), ``add`` puts a government
    amount on top of it (a subsidy, the fiscal part of a premium).
    """

    __slots__ = (
        "bases",
        "covered",
        "error",
        "government",
        "individual_part",
        "ineligible",
        "not_paying",
        "referred",
        "sponsor",
        "tier",
    )

    def __init__(self) -> None:
        self.individual_part = ZERO
        self.covered = ZERO
        self.sponsor = ZERO
        self.government: dict[str, Decimal] = {}
        #: The tier chosen: a whole number, or an amount (a range in fen).
        self.tier: int | Decimal | None = None
        #: Amounts a share may be declared of (``of:``): ``standard`` (the premium's individual
        #: part), ``premium`` (its total), ``minimum`` (the lowest amount offered), as the rules
        #: before set them.
        self.bases: dict[str, Decimal] = {}
        self.error: str | None = None
        self.ineligible: str | None = None
        self.not_paying: str | None = None
        self.referred: str | None = None

    @property
    def remaining(self) -> Decimal:
        """What the person still owes."""
        return self.individual_part - self.covered

    @property
    def stopped(self) -> bool:
        """Whether a rule stopped the scheme (rejected, failed, not paying, referred): no later
        rule runs."""
        return (
            self.error is not None
            or self.ineligible is not None
            or self.not_paying is not None
            or self.referred is not None
        )

    def add(self, component: str, amount: Decimal) -> Decimal:
        """Add ``amount`` to a government component, on top of the premium; return it."""
        self.government[component] = self.government.get(component, ZERO) + amount
        return amount

    def cover(self, component: str, amount: Decimal) -> Decimal:
        """Let ``component`` pay up to ``amount`` of what is still owed; return what it paid."""
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

    def skip(self, message: str) -> None:
        """Eligible, but not paying this year (status ``not_paying``): no amounts."""
        self.not_paying = message

    def refer(self, message: str) -> None:
        """Referred for determination (核定, status ``referred``): the plan gives no amounts."""
        self.referred = message
