"""The loaded policy: frozen values built by the loader, never by hand-written dict access.

A ``Policy`` is immutable; ``evaluate`` turns one person record into an ``Assessment``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from contribpolicy.model.frozen import freeze
from contribpolicy.model.parts import (
    AgeBasis,
    Collection,
    CoverageRules,
    Money,
    Notice,
    ReferenceCounts,
    Rule,
    Scheme,
    Silence,
    Source,
    Target,
    Vocabulary,
)

if TYPE_CHECKING:
    from contribpolicy.model.cover import Cover
    from contribpolicy.model.payment import Payment
    from contribpolicy.model.person import Person
    from contribpolicy.model.results import Assessment

__all__ = [
    "PersonEvaluator",
    "Policy",
]


class PersonEvaluator(Protocol):
    """What ``Policy.evaluate`` delegates to: the engine's ``Evaluator`` is one."""

    def evaluate(self, record: Mapping[str, Any] | Person) -> Assessment:
        """Assess one person under every scheme of the policy it was made for."""
        ...

    def coverage(
        self,
        record: Mapping[str, Any] | Person,
        payments: Iterable[Payment],
        scheme: str,
        lang: str,
    ) -> Cover:
        """When the person's cover under ``scheme`` starts, given their payments."""
        ...


@attrs.frozen(eq=False)
class Policy:
    """A loaded, validated policy. Evaluate people with ``evaluate``.

    ``layers`` are the files it was read from, its bases first and its own file last (one file
    unless it ``extends`` another); ``data`` is the policy as data, its layers merged, which
    ``content_hash`` is computed from. ``data``, ``schemes``, the vocabulary and every rule's
    ``params`` are read-only views: a change raises ``ReadOnlyError``.
    """

    id: str
    version: str
    title: str
    source: Source
    coverage_year: int
    age_basis: AgeBasis
    money: Money
    vocabulary: Vocabulary
    schemes: Mapping[str, Scheme] = attrs.field(converter=freeze)
    content_hash: str
    path: str | None = None
    collection: Collection = attrs.field(factory=Collection)
    targets: tuple[Target, ...] = ()
    reference_counts: ReferenceCounts | None = None
    notice: Notice | None = None
    #: The ``coverage`` section: when cover starts (五（二）, 国办发〔2024〕38号).
    coverage_rules: CoverageRules = attrs.field(factory=CoverageRules)
    silence: tuple[Silence, ...] = ()
    layers: tuple[str | None, ...] = ()
    #: Read-only however deep (``model.frozen``): changing it would leave ``content_hash``, copied
    #: into every receipt, the hash of something else.
    data: Mapping[str, Any] = attrs.field(factory=dict, repr=False, converter=freeze)
    #: What evaluates people under this policy, made once on first use. The loader passes the
    #: engine's (``contribpolicy.engine.Evaluator``): the model never imports the engine, so a
    #: policy is plain data that any evaluator (per person, columnar, a test double) can run.
    evaluator_factory: Callable[[Policy], PersonEvaluator] | None = attrs.field(
        default=None, repr=False
    )

    def evaluate(self, record: Mapping[str, Any] | Person) -> Assessment:
        """Assess one person under every scheme.

        Raises ``InputError`` naming the field when the record itself is malformed; a choice the
        plan does not allow is not an exception but that scheme's ``"error"`` status.
        """
        return self.evaluator.evaluate(record)

    def coverage(
        self,
        record: Mapping[str, Any] | Person,
        payments: Iterable[Payment],
        scheme: str = "medical",
        *,
        lang: str = "en",
    ) -> Cover:
        """When the person's cover under ``scheme`` starts and ends in the coverage year, given
        their payments (``contribpolicy.Payment``), with the waiting period split into fixed
        and variable months and every reason with its cite (in ``lang``, zh or en).

        The record may carry ``insured_years`` (the years insured before, ``"2022;2023"``) and
        ``death_date``; without ``insured_years`` (or with it blank) the person is taken as
        continuously enrolled, and the result says so; ``none`` says never insured before.
        ``KeyError`` if the policy has no cover rules for ``scheme``."""
        return self.evaluator.coverage(record, payments, scheme, lang)

    @functools.cached_property
    def evaluator(self) -> PersonEvaluator:
        """The evaluator ``evaluate`` runs, made once per policy by ``evaluator_factory``."""
        if self.evaluator_factory is None:
            raise TypeError(
                "this Policy was built without an evaluator; load it with load_policy, or pass "
                "evaluator_factory=contribpolicy.engine.Evaluator"
            )
        return self.evaluator_factory(self)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id, in whichever scheme it is."""
        for scheme in self.schemes.values():
            for rule in scheme.rules:
                if rule.id == rule_id:
                    return rule
        raise KeyError(rule_id)
