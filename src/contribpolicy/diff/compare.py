"""What changed between two policies: rules, parameters, vocabulary, collection plan, targets.

A yearly update is reviewed as a diff before it is published (issue 3): each changed rule with
its id, kind and cite, and the old and new value of each parameter by path, so a reviewer can
hold every line against the new year's document. Rules are matched by id, never by position,
and items of lists that carry ids (periods, channels, targets) by their id. ``roster_impact``
(in ``_diff_impact``) adds what the change costs on a real roster.

Paths are written ``government.fiscal``, ``when.age.min``; an item of a list with ids is
``periods[medical-concentrated]``; a rule's parameters are given relative to the rule.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from contribpolicy.diff.impact import Impact, roster_impact
from contribpolicy.format.loader import content_hash
from contribpolicy.model.policy import Policy
from contribpolicy.support.jsonable import fields_of, json_ready

__all__ = [
    "MISSING",
    "Change",
    "Impact",
    "PolicyDiff",
    "PolicyRef",
    "RuleChange",
    "diff_policies",
    "roster_impact",
]


class _Missing:
    """The value on the side of a change where there is none (added or removed)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

#: Top-level keys by the section of the report that shows them; ``schemes`` is shown apart.
SECTIONS: Mapping[str, tuple[str, ...]] = {
    "metadata": (
        "format",
        "id",
        "version",
        "title",
        "description",
        "source",
        "coverage_year",
        "age_basis",
        "money",
        "silence",
    ),
    "inputs": ("inputs",),
    "conditions": ("conditions",),
    "collection": ("collection",),
    "targets": ("targets",),
    "reference_counts": ("reference_counts",),
    "coverage": ("coverage",),
}


@attrs.frozen
class Change:
    """One value that differs, by path; ``MISSING`` on the side where it is absent."""

    path: str
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        """``"added"``, ``"removed"`` or ``"changed"``: which side lacks the value."""
        if self.old is MISSING:
            return "added"
        return "removed" if self.new is MISSING else "changed"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the path, the kind of change, and each side that has the value."""
        result: dict[str, Any] = {"path": self.path, "change": self.kind}
        if self.old is not MISSING:
            result["old"] = json_ready(self.old)
        if self.new is not MISSING:
            result["new"] = json_ready(self.new)
        return result


@attrs.frozen
class RuleChange:
    """A rule added, removed, changed or moved, with what differs in it."""

    rule_id: str
    scheme: str
    kind: str
    cite: str
    status: str  # added | removed | changed | moved
    changes: tuple[Change, ...]
    old_location: str | None
    new_location: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields in order, each change as its own dict."""
        return fields_of(self)


@attrs.frozen
class PolicyRef:
    """Which policy a side of the diff is."""

    id: str
    version: str
    title: str
    content_hash: str
    path: str | None
    layers: tuple[str | None, ...]

    @classmethod
    def of(cls, policy: Policy) -> PolicyRef:
        """The reference of a loaded policy: its id, version, title, hash and files."""
        return cls(
            policy.id,
            policy.version,
            policy.title,
            policy.content_hash,
            policy.path,
            policy.layers,
        )


@attrs.frozen
class PolicyDiff:
    """Every difference between two policies, and (with a roster) what it costs."""

    old: PolicyRef
    new: PolicyRef
    rules: tuple[RuleChange, ...]
    sections: Mapping[str, tuple[Change, ...]]
    impact: Impact | None = None

    @property
    def identical(self) -> bool:
        """No rule, parameter or other value differs (amounts then cannot differ either)."""
        return not self.rules and not any(self.sections.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: both policies, whether identical, every change, and the impact."""
        result: dict[str, Any] = json_ready(
            {
                "old": self.old,
                "new": self.new,
                "identical": self.identical,
                "rules": self.rules,
                "sections": self.sections,
                "impact": self.impact,
            }
        )
        return result


def diff_policies(old: Policy, new: Policy) -> PolicyDiff:
    """The differences from ``old`` to ``new``, from their data (layers merged)."""
    sections = {
        name: tuple(
            change
            for key in keys
            for change in _changes(old.data.get(key, MISSING), new.data.get(key, MISSING), key)
        )
        for name, keys in SECTIONS.items()
    }
    sections["schemes"] = tuple(_scheme_changes(old.data["schemes"], new.data["schemes"]))
    return PolicyDiff(
        PolicyRef.of(old), PolicyRef.of(new), tuple(_rule_changes(old, new)), sections
    )


def _canonical(value: Any) -> str:
    """One text per value: 0.5 and 0.50 are one amount, true and 1 are not."""
    return content_hash(value)


def _same(old: Any, new: Any) -> bool:
    return old is new or (
        old is not MISSING and new is not MISSING and _canonical(old) == _canonical(new)
    )


def _keyed(items: Any) -> dict[str, Any] | None:
    """A list of mappings with distinct ``id`` values, by id; None for any other list."""
    if not isinstance(items, list) or not items:
        return None
    keyed = {
        item["id"]: item
        for item in items
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }
    return keyed if len(keyed) == len(items) else None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _changes(old: Any, new: Any, path: str) -> Iterator[Change]:
    """The leaf differences between two values, mappings by key and id'd lists by id."""
    if _same(old, new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(key for key in new if key not in old)]:
            yield from _changes(old.get(key, MISSING), new.get(key, MISSING), _join(path, key))
        return
    old_items, new_items = _keyed(old), _keyed(new)
    if old_items is not None and new_items is not None:
        for item_id in [*old_items, *(i for i in new_items if i not in old_items)]:
            yield from _changes(
                old_items.get(item_id, MISSING),
                new_items.get(item_id, MISSING),
                f"{path}[{item_id}]",
            )
        return
    yield Change(path, old, new)


def _scheme_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
    """Schemes added or removed, and changed scheme labels and cites (rules are apart)."""
    for name in [*old, *(name for name in new if name not in old)]:
        path = f"schemes.{name}"
        if name not in old or name not in new:
            yield Change(path, _scheme_outline(old.get(name)), _scheme_outline(new.get(name)))
            continue
        for key in ("label", "cite"):
            yield from _changes(
                old[name].get(key, MISSING), new[name].get(key, MISSING), f"{path}.{key}"
            )


def _scheme_outline(scheme: Mapping[str, Any] | None) -> Any:
    if scheme is None:
        return MISSING
    return {"label": scheme["label"], "rules": [rule["id"] for rule in scheme["rules"]]}


def _rules_by_id(policy: Policy) -> dict[str, tuple[str, Mapping[str, Any]]]:
    return {
        rule["id"]: (scheme, rule)
        for scheme, data in policy.data["schemes"].items()
        for rule in data["rules"]
    }


def _rule_changes(old: Policy, new: Policy) -> Iterator[RuleChange]:
    """Rules in the new policy's order, then the removed ones in the old order, each once."""
    old_rules, new_rules = _rules_by_id(old), _rules_by_id(new)
    moved = _moved(old, new)
    for rule_id in [*new_rules, *(rule_id for rule_id in old_rules if rule_id not in new_rules)]:
        before, after = old_rules.get(rule_id), new_rules.get(rule_id)
        changes: list[Change] = []
        if before is not None and after is not None:
            changes = list(_changes(before[1], after[1], ""))
            if before[0] != after[0]:
                changes.insert(0, Change("scheme", before[0], after[0]))
            elif rule_id in moved:
                changes.insert(0, Change("position", *moved[rule_id]))
            if not changes:
                continue
        side = after if after is not None else before
        assert side is not None  # every id comes from one of the two policies
        scheme, data = side
        yield RuleChange(
            rule_id,
            scheme,
            str(data.get("kind")),
            str(data.get("cite")),
            _status(before is not None, after is not None, changes),
            tuple(changes),
            str(old.rule(rule_id).location) if before is not None else None,
            str(new.rule(rule_id).location) if after is not None else None,
        )


def _status(in_old: bool, in_new: bool, changes: Sequence[Change]) -> str:
    if not in_old:
        return "added"
    if not in_new:
        return "removed"
    if all(change.path in ("position", "scheme") for change in changes):
        return "moved"
    return "changed"


def _moved(old: Policy, new: Policy) -> dict[str, tuple[str, str]]:
    """Rules kept in a scheme whose order among the kept rules changed: where they were and
    are, as 'after <id>' (rules run in order, so a move can change amounts)."""
    result: dict[str, tuple[str, str]] = {}
    for name, scheme in new.schemes.items():
        if name not in old.schemes:
            continue
        new_ids = [rule.id for rule in scheme.rules]
        old_ids = [rule.id for rule in old.schemes[name].rules]
        kept_old = [rule_id for rule_id in old_ids if rule_id in new_ids]
        kept_new = [rule_id for rule_id in new_ids if rule_id in old_ids]
        matcher = difflib.SequenceMatcher(a=kept_old, b=kept_new, autojunk=False)
        stayed = {
            kept_new[block.b + i]
            for block in matcher.get_matching_blocks()
            for i in range(block.size)
        }
        for rule_id in kept_new:
            if rule_id not in stayed:
                result[rule_id] = (_place(old_ids, rule_id), _place(new_ids, rule_id))
    return result


def _place(ids: Sequence[str], rule_id: str) -> str:
    index = ids.index(rule_id)
    return f"after {ids[index - 1]}" if index else "first"
