"""Loading a policy file: YAML, then the schema, then meaning, each reporting every problem.

The phases run in order because each needs the previous one's guarantees (the semantic checks
assume the shape the schema promises), and within a phase every problem is collected so a
policy officer fixes a file in one pass rather than one error per run.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from contribpolicy.engine.evaluation import Evaluator
from contribpolicy.errors import PolicyError, PolicyIssue
from contribpolicy.format import _plan_data as plan
from contribpolicy.format._conditions import ConditionCompiler
from contribpolicy.format._layering import LayeredDocument, issue_order, read_layered
from contribpolicy.format._messages import (
    DUPLICATE_ID,
    MONEY_PLACES,
    REFERENCE_DATE,
    UNKNOWN_KIND,
    UNKNOWN_KIND_HINT,
    declared_twice,
    undeclared,
)
from contribpolicy.format._schema import schema_issues
from contribpolicy.format._shipped import common_rule_keys
from contribpolicy.format._yaml import DEFAULT_LIMITS, Limits, read_limited
from contribpolicy.format.registry import Registry, default_registry, misspelt_member
from contribpolicy.i18n import Message
from contribpolicy.model.conditions import Condition
from contribpolicy.model.parts import AgeBasis, Money, Rule, Scheme, Silence, Source, Vocabulary
from contribpolicy.model.policy import Policy
from contribpolicy.model.protocol import EFFECT_MEMBERS, RuleEffect

__all__ = ["load_policy", "loads_policy"]


def load_policy(
    path: str | Path,
    *,
    registry: Registry | None = None,
    limits: Limits = DEFAULT_LIMITS,
    base_folders: Sequence[str | Path] = (),
) -> Policy:
    """Load and check a policy file; raise ``PolicyError`` with every problem found.

    A base it ``extends`` must be below the file's own folder or one of ``base_folders``.
    """
    name = str(path)
    try:
        raw = read_limited(path, limits)
    except OSError as err:
        raise PolicyError(
            [_file_issue(name, f"cannot read: {err.strerror or err}", "io.read")], name
        ) from err
    return loads_policy(raw, file=name, registry=registry, limits=limits, base_folders=base_folders)


def loads_policy(
    text: str | bytes,
    *,
    file: str | None = None,
    registry: Registry | None = None,
    limits: Limits = DEFAULT_LIMITS,
    base_folders: Sequence[str | Path] = (),
) -> Policy:
    """Load a policy from text; ``file`` is the name used in error locations.

    A policy that ``extends`` a base is merged with it first (the base's path is relative to
    ``file``, or to the working directory when there is none, and must lie below that folder or
    one of ``base_folders``); every problem is then reported in the file where the value
    concerned was written.
    """
    document, issues = read_layered(text, file, limits, base_folders=base_folders)
    if document is None:
        raise PolicyError(issues, file)
    registry = registry if registry is not None else default_registry()
    issues = schema_issues(document, registry)
    if issues:
        raise PolicyError(issues, file)
    builder = _Builder(document, registry, limits)
    policy = builder.build()
    if builder.issues:
        raise PolicyError(sorted(builder.issues, key=issue_order), file)
    return policy


def _silences(items: list[Mapping[str, str]]) -> tuple[Silence, ...]:
    return tuple(Silence(item["code"], item["reason"], item.get("target")) for item in items)


def _file_issue(file: str, message: str, code: str) -> PolicyIssue:
    from contribpolicy.errors import Location

    return PolicyIssue(Location(file), message, code)


def _canonical_number(value: object) -> object:
    """One spelling per number: 12, 12.0 and 12.00 are the same amount."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize())
    raise TypeError(f"not JSON data: {type(value).__name__}")


def content_hash(data: Any) -> str:
    """SHA-256 of the policy's data, independent of formatting, comments, key order and the
    way a number is written."""
    canonical = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
        default=_canonical_number,
    )  # fmt: skip
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@attrs.define
class _RuleContext:
    """The BuildContext a rule kind sees while its rule is built."""

    builder: _Builder
    pointer: str
    rule_id: str
    scheme: str

    def problem(self, pointer: str, message: str, code: str = "semantic.parameter") -> None:
        self.builder.report(self.pointer + pointer, message, code, self.rule_id)

    def money(self, value: Decimal | int, pointer: str | None = None) -> Decimal:
        money = self.builder.money
        rounded = money.round(value)
        if pointer is not None and rounded != value:
            self.problem(
                pointer,
                Message(MONEY_PLACES, value=value, places=money.places, rounded=rounded),
                "semantic.money-places",
            )
        return rounded

    def rounding(self) -> Callable[[Decimal], Decimal]:
        return self.builder.money.round

    def condition(self, data: Mapping[str, Any], pointer: str) -> Condition:
        return self.builder.conditions.compile(data, self.pointer + pointer)

    def require_input(self, name: str, category: str, pointer: str) -> None:
        declared: Mapping[str, str] = getattr(self.builder.vocabulary, category)
        if name not in declared:
            self.problem(
                pointer,
                undeclared(name, f"inputs.{category}", declared),
                "semantic.undeclared",
            )


class _Builder:
    """Builds the model from schema-valid data, collecting semantic problems."""

    def __init__(
        self, document: LayeredDocument, registry: Registry, limits: Limits = DEFAULT_LIMITS
    ) -> None:
        self.document = document
        self.data: dict[str, Any] = document.data
        self.registry = registry
        self.issues: list[PolicyIssue] = []
        self.current_rule: str | None = None  # the rule being built, named in its problems
        money = self.data["money"]
        self.money = Money(money["currency"], money["places"], money["rounding"])
        inputs = self.data["inputs"]
        optional = ("flags", "choices", "amounts", "numbers", "sex")
        self.vocabulary = Vocabulary(
            inputs["statuses"], inputs["residence"], **{k: inputs.get(k, {}) for k in optional}
        )
        self.conditions = ConditionCompiler(
            statuses=self.vocabulary.statuses,
            residence=self.vocabulary.residence,
            inputs=self.vocabulary.inputs(),
            flags=self.vocabulary.flags,
            sex=self.vocabulary.sex,
            named_data=self.data.get("conditions", {}),
            report=self.report,
            max_depth=limits.max_condition_depth,
        )

    def report(
        self,
        pointer: str,
        message: str,
        code: str,
        rule_id: str | None = None,
        related: tuple[str, ...] = (),
    ) -> None:
        rule_id = rule_id or self.current_rule
        others = tuple(self.document.locate(other) for other in related)
        located = self.document.locate(pointer)
        self.issues.append(PolicyIssue(located, message, code, rule_id=rule_id, related=others))

    def build(self) -> Policy:
        self._check_vocabulary()
        self._check_age_basis()
        for name in self.data.get("conditions", {}):
            self.conditions.named(name, f"/conditions/{name}")
        schemes = {name: self._scheme(name, data) for name, data in self.data["schemes"].items()}
        self._check_unique_ids()
        source = self.data["source"]
        return Policy(
            id=self.data["id"],
            version=self.data["version"],
            title=self.data["title"],
            source=Source(
                source["number"],
                source["issuer"],
                date.fromisoformat(source["date"]),
                source.get("title"),
            ),
            coverage_year=self.data["coverage_year"],
            age_basis=AgeBasis(
                date.fromisoformat(self.data["age_basis"]["reference_date"]),
                self.data["age_basis"]["method"],
            ),
            money=self.money,
            vocabulary=self.vocabulary,
            schemes=schemes,
            content_hash=content_hash(self.data),
            evaluator_factory=Evaluator,
            path=self.document.file,
            layers=self.document.files,
            data=self.data,
            collection=plan.collection_of(self.data, self.report),
            targets=plan.targets_of(self.data, self.report),
            reference_counts=plan.reference_counts_of(self.data, self.report),
            notice=plan.notice_of(self.data, self.report),
            coverage_rules=plan.coverage_rules_of(self.data, self.report, self.conditions.compile),
            silence=_silences(self.data.get("silence", [])),
        )

    def _check_vocabulary(self) -> None:
        seen: dict[str, str] = {}
        for category in ("flags", "choices", "numbers", "amounts"):
            for name in getattr(self.vocabulary, category):
                if name in seen or name in ("residence", "statuses", "sex"):
                    self.report(
                        f"/inputs/{category}/{name}",
                        declared_twice(name, seen.get(name)),
                        "semantic.duplicate-input",
                    )
                seen[name] = category

    def _check_age_basis(self) -> None:
        reference = date.fromisoformat(self.data["age_basis"]["reference_date"])
        if reference.year != self.data["coverage_year"]:
            self.report(
                "/age_basis/reference_date",
                Message(REFERENCE_DATE, date=reference, year=self.data["coverage_year"]),
                "semantic.age-basis",
            )

    def _check_unique_ids(self) -> None:
        first: dict[str, str] = {}
        for scheme, data in self.data["schemes"].items():
            for index, rule in enumerate(data["rules"]):
                pointer = f"/schemes/{scheme}/rules/{index}/id"
                if rule["id"] in first:
                    where = self._place(first[rule["id"]], pointer)
                    self.report(
                        pointer,
                        Message(DUPLICATE_ID, id=rule["id"], where=where),
                        "semantic.duplicate-id",
                        rule["id"],
                        related=(first[rule["id"]],),
                    )
                else:
                    first[rule["id"]] = pointer

    def _place(self, pointer: str, seen_from: str) -> str:
        """Where ``pointer`` is, as seen from the value at ``seen_from``: a line of the same
        file, or file and line in a layered policy whose layers differ."""
        where, here = self.document.locate(pointer), self.document.locate(seen_from)
        return f"line {where.line}" if where.file == here.file else f"{where.file}:{where.line}"

    def _scheme(self, name: str, data: Mapping[str, Any]) -> Scheme:
        rules: list[Rule] = []
        contexts: list[_RuleContext] = []
        for index, rule_data in enumerate(data["rules"]):
            pointer = f"/schemes/{name}/rules/{index}"
            context = _RuleContext(self, pointer, rule_data["id"], name)
            self.current_rule = rule_data["id"]
            rule = self._rule(rule_data, context)
            self.current_rule = None
            if rule is not None:
                rules.append(rule)
                contexts.append(context)
        effects: Sequence[RuleEffect] = [rule.effect for rule in rules]
        for rule, context in zip(rules, contexts, strict=True):
            check = getattr(rule.effect, "check_scheme", None)
            if check is not None:
                self._guarded(rule, context, functools.partial(check, effects, context))
        return Scheme(name, data["label"], tuple(rules))

    def _rule(self, data: Mapping[str, Any], context: _RuleContext) -> Rule | None:
        kind_name = data["kind"]
        if kind_name in self.registry.broken:
            context.problem(
                "/kind",
                f"rule kind {kind_name!r} failed to load: {self.registry.broken[kind_name]}",
                "plugin.load",
            )
            return None
        if kind_name not in self.registry.kinds:
            known = ", ".join(
                f"{name} ({kind.provider})" for name, kind in sorted(self.registry.kinds.items())
            )
            close = difflib.get_close_matches(kind_name, list(self.registry.kinds), n=1)
            if close:
                message = Message(UNKNOWN_KIND_HINT, kind=kind_name, hint=close[0], known=known)
            else:
                message = Message(UNKNOWN_KIND, kind=kind_name, known=known)
            context.problem("/kind", message, "semantic.unknown-kind")
            return None
        registered = self.registry.kinds[kind_name]
        when = context.condition(data["when"], "/when") if "when" in data else None
        params = {key: value for key, value in data.items() if key not in common_rule_keys()}
        effect = self._build_effect(
            kind_name, registered.kind, registered.provider, params, context
        )
        if effect is None:
            return None
        return Rule(
            id=data["id"],
            kind=kind_name,
            label=data["label"],
            cite=data["cite"],
            when=when,
            params=params,
            effect=effect,
            provider=registered.provider,
            location=self.document.locate(context.pointer),
            silence=_silences(data.get("silence", [])),
            traits=registered.traits,
            first_match=data.get("first_match"),
        )

    def _build_effect(
        self, name: str, kind: Any, provider: str, params: Mapping[str, Any], context: _RuleContext
    ) -> RuleEffect | None:
        try:
            effect = kind.build(params, context)
        except Exception as err:
            context.problem(
                "/kind",
                f"rule kind {name!r} from {provider} failed while "
                f"building: {type(err).__name__}: {err}",
                "plugin.build",
            )
            return None
        if not isinstance(effect, RuleEffect):
            context.problem(
                "/kind",
                f"rule kind {name!r} from {provider} returned "
                f"{type(effect).__name__}, which has no apply()",
                "plugin.build",
            )
            return None
        misspelt = _misspelt_effect(type(effect))
        if misspelt is not None:
            context.problem(
                "/kind", f"rule kind {name!r} from {provider}: {misspelt}", "plugin.build"
            )
            return None
        return effect

    def _guarded(self, rule: Rule, context: _RuleContext, check: Callable[[], None]) -> None:
        try:
            check()
        except Exception as err:
            context.problem(
                "/kind",
                f"rule kind {rule.kind!r} from {rule.provider} failed "
                f"while checking: {type(err).__name__}: {err}",
                "plugin.check",
            )


@functools.cache
def _misspelt_effect(effect_type: type) -> str | None:
    """A compiled rule's member close to one of the contract's (checked once per class)."""
    return misspelt_member(effect_type, EFFECT_MEMBERS)
