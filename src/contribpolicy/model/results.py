"""The results of an evaluation: a person's amounts per scheme, the trace, and the receipt.

Frozen values (``SchemeAssessment`` is read-only through properties: a frozen attrs class costs
three times as much to create, and one is made per person and scheme). The words of the trace
are produced only when someone reads ``.trace``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from contribpolicy.i18n import N_
from contribpolicy.model.conditions import Condition
from contribpolicy.model.facts import Changes, Facts
from contribpolicy.support.jsonable import fields_of, json_ready

if TYPE_CHECKING:
    from contribpolicy.model.parts import Rule

__all__ = [
    "AMOUNT_PARTS",
    "ELIGIBLE",
    "ERROR",
    "INELIGIBLE",
    "NOT_PAYING",
    "REFERRED",
    "STATUSES",
    "STATUS_WORDS",
    "Amounts",
    "Assessment",
    "Receipt",
    "SchemeAssessment",
    "Status",
    "TraceEntry",
]


class Status(StrEnum):
    """How a scheme ended for a person: the one set of status words, per person and columnar.

    A ``StrEnum``, so ``result.status == Status.ELIGIBLE`` and ``== "eligible"`` both hold and the
    text written to CSV and JSON is the value. The columnar path stores ``code``, the member's
    position, in int8 columns and turns it back with ``STATUSES[code]``.
    """

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    ERROR = "error"
    #: Eligible, but has not paid this year: no tier chosen and nobody pays on their behalf
    #: (the pension is voluntary, READING 四). Never an error: counted apart in every summary.
    NOT_PAYING = "not_paying"
    #: Referred for determination (核定) by an office: the plan gives no amounts (READING 四).
    REFERRED = "referred"

    @property
    def code(self) -> int:
        """The number that stands for this status in the columnar path's int8 arrays."""
        return _CODES[self]


#: The statuses in the order of their codes: ``STATUSES[status.code] is status``.
STATUSES: tuple[Status, ...] = tuple(Status)
_CODES = {status: code for code, status in enumerate(STATUSES)}
ELIGIBLE, INELIGIBLE, ERROR = Status.ELIGIBLE, Status.INELIGIBLE, Status.ERROR
NOT_PAYING, REFERRED = Status.NOT_PAYING, Status.REFERRED
#: The status words people read (``--lang zh``); the values of ``Status`` are what programs read.
STATUS_WORDS: Mapping[Status, str] = MappingProxyType(
    {
        ELIGIBLE: N_("eligible"),
        INELIGIBLE: N_("ineligible"),
        ERROR: N_("error"),
        NOT_PAYING: N_("not paying"),
        REFERRED: N_("referred"),
    }
)

LogLine = tuple["Rule", Condition | None, Changes]
#: The amounts of a result, in the order every output lists them.
AMOUNT_PARTS = ("individual", "government", "sponsor", "total")


@attrs.frozen
class Amounts:
    """Money of one scheme summed over some people: the batch's totals, the diff's before/after.

    ``total`` is always ``individual + government + sponsor``, as for each person.
    """

    individual: Decimal
    government: Decimal
    sponsor: Decimal

    @property
    def total(self) -> Decimal:
        """What the people's contributions come to, all payers together."""
        return self.individual + self.government + self.sponsor

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: each part as an exact string, ``total`` last."""
        return fields_of(self, total=self.total)


@attrs.frozen
class TraceEntry:
    """What one rule did for this person, or why it did not apply."""

    rule_id: str
    kind: str
    cite: str
    label: str
    applied: bool
    effect: str
    changes: Mapping[str, Decimal]
    reason: str | None
    location: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields in order, amounts as exact strings."""
        return fields_of(self)


def _effect_text(changes: Changes, unchanged: str) -> str:
    """Words for what a rule did; a rule that changed no amount says why, in its own words."""
    if not changes:
        return unchanged
    words = []
    for name, amount in changes:
        if name == "individual":
            words.append(f"individual part {amount}")
        elif name == "sponsor":
            words.append(f"sponsor pays {amount}")
        else:
            words.append(f"government {name} {amount}")
    return "; ".join(words)


@attrs.define(eq=False, repr=False)
class SchemeAssessment:
    """One person's amounts under one scheme. ``total == individual + government + sponsor``.

    Read-only: the fields are private and exposed as properties. (A frozen attrs class costs
    three times as much to create, and one is created per person and scheme.)
    """

    _scheme: str = attrs.field(alias="scheme")
    _status: Status = attrs.field(alias="status")
    _individual: Decimal = attrs.field(alias="individual")
    _government: Decimal = attrs.field(alias="government")
    _sponsor: Decimal = attrs.field(alias="sponsor")
    _total: Decimal = attrs.field(alias="total")
    _components: Mapping[str, Decimal] = attrs.field(alias="components")
    _message: str | None = attrs.field(alias="message")
    _log: tuple[LogLine, ...] = attrs.field(alias="log")
    _facts: Facts = attrs.field(alias="facts")
    _all_rules: tuple[Rule, ...] = attrs.field(alias="all_rules")
    _contribution: Decimal | None = attrs.field(alias="contribution", default=None)

    @property
    def scheme(self) -> str:
        """The scheme's name (``"medical"``)."""
        return self._scheme

    @property
    def status(self) -> Status:
        """How the scheme ended for the person: a ``Status`` (eligible, ineligible, error,
        not_paying or referred)."""
        return self._status

    @property
    def individual(self) -> Decimal:
        """What the person pays."""
        return self._individual

    @property
    def government(self) -> Decimal:
        """What the government pays, all components together."""
        return self._government

    @property
    def sponsor(self) -> Decimal:
        """What a sponsor (资助) pays."""
        return self._sponsor

    @property
    def total(self) -> Decimal:
        """Everything paid for the person: ``individual + government + sponsor``."""
        return self._total

    @property
    def contribution(self) -> Decimal:
        """The contribution before anyone helps (the tier chosen, the individual standard):
        what the collection channels together bring in for the person (五（三）), i.e.
        ``individual + sponsor`` and the government's payments on the person's behalf (relief,
        proxy), but not what the government adds on top (the fiscal part, the subsidy)."""
        if self._contribution is None:
            return self._individual + self._sponsor
        return self._contribution

    @property
    def on_behalf(self) -> Decimal:
        """What the government pays of ``contribution`` for the person (代缴 through the
        special channel, 五（三）3): ``contribution - individual - sponsor``."""
        return self.contribution - self._individual - self._sponsor

    @property
    def components(self) -> Mapping[str, Decimal]:
        """The government share by part: subsidy, proxy, fiscal, relief..."""
        return MappingProxyType(self._components)

    @property
    def message(self) -> str | None:
        """Why the person is ineligible, not paying or referred, or what the error is."""
        return self._message

    def _key(self) -> tuple[object, ...]:
        return (
            self._scheme,
            self._status,
            self._individual,
            self._government,
            self._sponsor,
            self._total,
            dict(self._components),
            self._message,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SchemeAssessment):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key()[:6])

    def __repr__(self) -> str:
        return (
            f"SchemeAssessment(scheme={self._scheme!r}, status={str(self._status)!r}, "
            f"individual={self._individual}, government={self._government}, "
            f"sponsor={self._sponsor}, total={self._total}, message={self._message!r})"
        )

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        """Every rule of the scheme in order: what it did, or the first condition that failed."""
        entries = [
            self._entry(line, last=i == len(self._log) - 1) for i, line in enumerate(self._log)
        ]
        for rule in self._all_rules[len(self._log) :]:
            reason = f"not reached: the scheme stopped ({self.status}: {self.message})"
            entries.append(
                TraceEntry(
                    rule.id,
                    rule.kind,
                    rule.cite,
                    rule.label,
                    False,
                    "",
                    {},
                    reason,
                    str(rule.location),
                )
            )
        return tuple(entries)

    def _entry(self, line: LogLine, *, last: bool) -> TraceEntry:
        rule, failed, changes = line
        where = str(rule.location)
        if failed is not None:
            return TraceEntry(
                rule.id,
                rule.kind,
                rule.cite,
                rule.label,
                False,
                "",
                {},
                failed.explain(self._facts),
                where,
            )
        changed = tuple((name, amount) for name, amount in changes if amount)
        effect = _effect_text(changed, getattr(rule.effect, "unchanged", "no amount changed"))
        if last and self.status != ELIGIBLE:
            effect = f"{self.status}: {self.message}"
        return TraceEntry(
            rule.id, rule.kind, rule.cite, rule.label, True, effect, dict(changed), None, where
        )

    def to_dict(self, *, trace: bool = True) -> dict[str, Any]:
        """JSON-ready: status, amounts as exact strings, components, message (and the trace)."""
        result: dict[str, Any] = json_ready(
            {
                "status": self.status,
                **{part: getattr(self, part) for part in AMOUNT_PARTS},
                "components": self.components,
                "message": self.message,
            }
        )
        if trace:
            result["trace"] = json_ready(self.trace)
        return result


@attrs.frozen
class Receipt:
    """What produced an assessment: enough to reproduce it exactly."""

    policy_id: str
    policy_version: str
    policy_hash: str
    library_version: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the four fields, in order."""
        return fields_of(self)


@attrs.frozen
class Assessment(Mapping[str, SchemeAssessment]):
    """A person's assessment under every scheme of a policy; ``a["medical"]`` is one scheme."""

    person_id: str
    schemes: Mapping[str, SchemeAssessment]
    receipt: Receipt

    def __getitem__(self, scheme: str) -> SchemeAssessment:
        return self.schemes[scheme]

    def __iter__(self) -> Iterator[str]:
        return iter(self.schemes)

    def __len__(self) -> int:
        return len(self.schemes)

    def to_dict(self, *, trace: bool = True) -> dict[str, Any]:
        """JSON-ready: amounts as strings (exact), with the receipt."""
        return {
            "person_id": self.person_id,
            "schemes": {name: result.to_dict(trace=trace) for name, result in self.schemes.items()},
            "receipt": self.receipt.to_dict(),
        }
