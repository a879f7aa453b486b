"""Merging one layer over its resolved base: mappings by key, rules by id, directives applied."""

from __future__ import annotations

from typing import Any

import attrs

from contribpolicy.errors import PolicyIssue
from contribpolicy.format._document import Document, pointer_join
from contribpolicy.format._layered import (
    PLACEMENT,
    REMOVE,
    LayeredDocument,
    Source,
    issue,
    removals,
    well_formed,
)

__all__ = ["Merge"]


def _is_scheme(pointer: str) -> bool:
    return pointer.startswith("/schemes/") and pointer.count("/") == 2


def _replaced_whole(pointer: str) -> bool:
    """Values that describe one thing and must not mix two layers' keys: the source document
    (a new year's source must not keep last year's ``file``) and each named condition (merging
    two conditions' tests would AND them)."""
    return pointer == "/source" or (pointer.startswith("/conditions/") and pointer.count("/") == 2)


@attrs.define
class _Entry:
    """A rule of the scheme being merged: its id, value, and where it was written."""

    id: str | None
    value: Any
    pointer: str
    from_base: bool


class Merge:
    """Merges one file (the child) over its resolved base."""

    def __init__(self, base: LayeredDocument, child: Document) -> None:
        self.base = base
        self.child = child
        self.roots: dict[str, Source] = {}
        self.issues: list[PolicyIssue] = []

    def run(self) -> LayeredDocument:
        child = {key: value for key, value in self.child.data.items() if key != "extends"}
        data = self._mapping("", "", self.base.data, "", child)
        return LayeredDocument(
            data, self.child.file, (*self.base.files, self.child.file), self.roots
        )

    def _carry(self, base_pointer: str, pointer: str) -> None:
        """The base's subtree at ``base_pointer`` is placed at ``pointer``: keep its sources."""
        self.roots[pointer] = self.base.source(base_pointer)
        prefix = base_pointer + "/"
        for root, source in self.base.roots.items():
            if root.startswith(prefix):
                self.roots[pointer + root[len(base_pointer) :]] = source

    def _fresh(self, pointer: str, child_pointer: str, value: Any) -> Any:
        self.roots[pointer] = Source(self.child, child_pointer)
        return value

    def _mapping(
        self, pointer: str, base_pointer: str, base: dict[str, Any], child_pointer: str, child: Any
    ) -> dict[str, Any]:
        self.roots[pointer] = Source(self.child, child_pointer)
        merged: dict[str, Any] = {}
        for key, value in base.items():
            here, there = pointer_join(pointer, key), pointer_join(base_pointer, key)
            if key not in child:
                merged[key] = value
                self._carry(there, here)
            elif child[key] is not None:
                merged[key] = self._value(
                    here, there, value, pointer_join(child_pointer, key), child[key]
                )
        for key, value in child.items():
            if key not in base and value is not None:
                here = pointer_join(pointer, key)
                merged[key] = self._value(here, here, None, pointer_join(child_pointer, key), value)
        return merged

    def _value(
        self, pointer: str, base_pointer: str, base: Any, child_pointer: str, child: Any
    ) -> Any:
        if _replaced_whole(pointer) or not isinstance(child, dict):
            return self._fresh(pointer, child_pointer, child)
        if base is not None and not isinstance(base, dict):
            return self._fresh(pointer, child_pointer, child)
        if _is_scheme(pointer):
            return self._scheme(pointer, base_pointer, base or {}, child_pointer, child)
        return self._mapping(pointer, base_pointer, base or {}, child_pointer, child)

    def _scheme(
        self,
        pointer: str,
        base_pointer: str,
        base: dict[str, Any],
        child_pointer: str,
        child: dict[str, Any],
    ) -> dict[str, Any]:
        removed_ids = removals(child)
        base_rules, child_rules = base.get("rules", []), child.get("rules", [])
        by_id = isinstance(base_rules, list) and isinstance(child_rules, list)
        consumed = {"rules"} if by_id else set()
        if removed_ids is not None:
            consumed.add(REMOVE)
        merged = self._mapping(
            pointer,
            base_pointer,
            {key: value for key, value in base.items() if key not in consumed},
            child_pointer,
            {key: value for key, value in child.items() if key not in consumed},
        )
        if by_id:
            merged["rules"] = self._rules(
                pointer_join(pointer, "rules"),
                pointer_join(base_pointer, "rules"),
                base_rules,
                pointer_join(child_pointer, "rules"),
                child_rules,
                removals=(removed_ids or [], pointer_join(child_pointer, REMOVE)),
                written="rules" in child,
            )
        return merged

    def _rules(
        self,
        pointer: str,
        base_pointer: str,
        base: list[Any],
        child_pointer: str,
        child: list[Any],
        *,
        removals: tuple[list[str], str],
        written: bool,
    ) -> list[Any]:
        entries = [
            _Entry(_rule_id(value), value, pointer_join(base_pointer, index), True)
            for index, value in enumerate(base)
        ]
        removed = self._remove(entries, *removals)
        defined: set[str] = set()
        for index, value in enumerate(child):
            self._place(entries, value, pointer_join(child_pointer, index), removed, defined)
        if written:
            self.roots[pointer] = Source(self.child, child_pointer)
        else:
            self.roots[pointer] = self.base.source(base_pointer)
        for index, entry in enumerate(entries):
            here = pointer_join(pointer, index)
            if entry.from_base:
                self._carry(entry.pointer, here)
            else:
                self.roots[here] = Source(self.child, entry.pointer)
        return [entry.value for entry in entries]

    def _remove(self, entries: list[_Entry], ids: list[str], pointer: str) -> set[str]:
        removed: set[str] = set()
        for index, rule_id in enumerate(ids):
            position = _find(entries, rule_id)
            if position is None:
                self._unknown(pointer_join(pointer, index), rule_id, "remove_rules", None)
                continue
            del entries[position]
            removed.add(rule_id)
        return removed

    def _place(
        self, entries: list[_Entry], value: Any, pointer: str, removed: set[str], defined: set[str]
    ) -> None:
        """Puts one rule of the child in place: replacing, moving, inserting or appending."""
        if not isinstance(value, dict):
            entries.append(_Entry(None, value, pointer, False))
            return
        rule_id = _rule_id(value)
        anchors = {word: value[word] for word in PLACEMENT if well_formed(value.get(word))}
        entry = _Entry(
            rule_id, {k: v for k, v in value.items() if k not in anchors}, pointer, False
        )
        if rule_id is not None and rule_id in removed:
            message = f"rule {rule_id!r} is removed by remove_rules and defined again"
            self._problem(pointer_join(pointer, "id"), message, rule_id)
        # A second rule with one id in the same file is a duplicate, not an override: it is
        # appended so that the loader reports both places.
        existing = None if rule_id in defined else _find(entries, rule_id)
        if rule_id is not None:
            defined.add(rule_id)
        if len(anchors) > 1:
            self._problem(
                pointer,
                "a rule can be placed 'after' or 'before' another, not both",
                rule_id,
                key=True,
            )
            anchors = {}
        if not anchors:
            if existing is None:
                entries.append(entry)
            else:
                entries[existing] = entry
            return
        ((word, anchor),) = anchors.items()
        if existing is not None:
            del entries[existing]
        position = _find(entries, anchor)
        if position is None:
            self._unknown(pointer_join(pointer, word), anchor, word, rule_id)
            entries.append(entry)
            return
        entries.insert(position + 1 if word == "after" else position, entry)

    def _unknown(self, pointer: str, named: str, word: str, rule_id: str | None) -> None:
        scheme = pointer.split("/")[2]
        message = f"{word} names rule {named!r}, which scheme {scheme!r} does not have"
        self.issues.append(
            issue(self.child, pointer, message, "semantic.extends-unknown-rule", rule_id)
        )

    def _problem(
        self, pointer: str, message: str, rule_id: str | None, *, key: bool = False
    ) -> None:
        self.issues.append(
            issue(self.child, pointer, message, "semantic.extends-directive", rule_id, key=key)
        )


def _rule_id(value: Any) -> str | None:
    rule_id = value.get("id") if isinstance(value, dict) else None
    return rule_id if isinstance(rule_id, str) else None


def _find(entries: list[_Entry], rule_id: str | None) -> int | None:
    if rule_id is None:
        return None
    for index, entry in enumerate(entries):
        if entry.id == rule_id:
            return index
    return None
