"""Layered policies: a file that ``extends:`` a base takes it, then overrides, adds or removes.

A district layers its own rules on a city's, and a year's update is best written as the few
things that changed since last year, so a reviewer reads only those. The merged document is
what the schema and the semantic checks see; each of its values keeps the file and place it was
written in, so a mistake is reported in the file a person has to edit, whichever layer it is in.

How layers combine (docs/policy-format.md, "Layered policies"):

- mappings merge key by key, and a ``null`` value removes the key (JSON Merge Patch, RFC 7386);
- lists, ``source`` and each named condition are replaced whole;
- a scheme's rules merge by ``id``: a rule with a known id replaces that rule in place, a new id
  is appended; ``after: id`` or ``before: id`` on a rule places it; ``remove_rules: [id...]``
  on a scheme removes rules. These directives are consumed here, and refused where they mean
  nothing. Directives of the wrong shape are left in place for the schema to report.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import attrs

from ._yaml import DEFAULT_LIMITS, Document, Limits, pointer_join, read_document, read_limited
from .errors import Location, PolicyIssue

__all__ = ["LayeredDocument", "SourceMap", "issue_order", "read_layered"]

_PLACEMENT = ("after", "before")
_REMOVE = "remove_rules"


class SourceMap(Protocol):
    """Data with the place each value was written: what the schema and the loader read."""

    @property
    def data(self) -> Any: ...

    @property
    def file(self) -> str | None: ...

    def locate(self, pointer: str, *, key: bool = False) -> Location: ...


@attrs.frozen
class Source:
    """Where a subtree of the merged document was written: a file's document and a pointer."""

    document: Document
    pointer: str


@attrs.frozen
class LayeredDocument:
    """The merged data of a policy and its bases, and where each value of it was written.

    ``roots`` maps a pointer of the merged data to the source of the subtree there; a pointer
    is located through its nearest ancestor in ``roots``, so a subtree taken whole from one file
    costs one entry. ``files`` are the layers' files, the base first and this policy last.
    """

    data: Any
    file: str | None
    files: tuple[str | None, ...]
    roots: Mapping[str, Source]

    def source(self, pointer: str) -> Source:
        """The file and pointer where the value at ``pointer`` of the merged data was written."""
        probe, rest = pointer, ""
        while probe not in self.roots:
            probe, _, token = probe.rpartition("/")
            rest = f"/{token}{rest}"
        found = self.roots[probe]
        return Source(found.document, found.pointer + rest)

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        """The location in its own file; the location's pointer is a pointer into that file."""
        found = self.source(pointer)
        return found.document.locate(found.pointer, key=key)


def issue_order(issue: PolicyIssue) -> tuple[str, int, int]:
    """Issues by file, then line and column: a layered policy's problems grouped per file."""
    where = issue.location
    return where.file or "", where.line or 0, where.column or 0


def _read_file(path: str, limits: Limits) -> bytes:
    return read_limited(path, limits)


def read_layered(
    text: str | bytes,
    file: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    *,
    read: Callable[[str, Limits], bytes] = _read_file,
) -> tuple[LayeredDocument | None, list[PolicyIssue]]:
    """Read a policy and every base it extends, and merge them; None if any layer is unusable.

    ``read`` reads a base file by path (relative to the working directory), raising OSError.
    """
    document, issues = read_document(text, file, limits)
    if document is None or issues:
        return None, issues
    resolver = _Resolver(limits, read)
    layered = resolver.resolve(document, ((_identity(file), file or "<policy>"),))
    if resolver.issues:
        return None, sorted(resolver.issues, key=issue_order)
    return layered, []


def _identity(file: str | None) -> str:
    return os.path.realpath(file) if file is not None else "<policy>"


#: The files being resolved, outermost first: (identity, name as shown).
_Chain = tuple[tuple[str, str], ...]


def _issue(
    document: Document,
    pointer: str,
    message: str,
    code: str,
    rule_id: str | None = None,
    *,
    key: bool = False,
) -> PolicyIssue:
    return PolicyIssue(document.locate(pointer, key=key), message, code, rule_id=rule_id)


class _Resolver:
    """Follows ``extends`` from a file to its base, and merges on the way back."""

    def __init__(self, limits: Limits, read: Callable[[str, Limits], bytes]) -> None:
        self.limits = limits
        self.read = read
        self.issues: list[PolicyIssue] = []

    def resolve(self, document: Document, chain: _Chain) -> LayeredDocument | None:
        data = document.data
        extends = data.get("extends") if isinstance(data, dict) else None
        if not isinstance(extends, str):
            self.issues += _stray_directives(document)
            return LayeredDocument(
                data, document.file, (document.file,), {"": Source(document, "")}
            )
        base_file = os.path.normpath(os.path.join(os.path.dirname(document.file or ""), extends))
        base = self._base(document, base_file, chain)
        if base is None:
            return None
        if not isinstance(base.data, dict):
            self.issues.append(
                _issue(
                    document,
                    "/extends",
                    f"{base_file} holds no policy mapping to extend",
                    "semantic.extends-base",
                )
            )
            return None
        merge = _Merge(base, document)
        merged = merge.run()
        self.issues += merge.issues
        return merged

    def _base(self, document: Document, base_file: str, chain: _Chain) -> LayeredDocument | None:
        identity = _identity(base_file)
        if identity in (link for link, _ in chain):
            files = " -> ".join([*(shown for _, shown in chain), base_file])
            message = f"extends comes back to {base_file}, a cycle: {files}"
            self.issues.append(_issue(document, "/extends", message, "semantic.extends-cycle"))
            return None
        try:
            raw = self.read(base_file, self.limits)
        except FileNotFoundError:
            message = (
                f"the base policy {base_file} does not exist (extends is relative to this file)"
            )
            self.issues.append(_issue(document, "/extends", message, "semantic.extends-not-found"))
            return None
        except OSError as err:
            message = f"cannot read the base policy {base_file}: {err.strerror or err}"
            self.issues.append(_issue(document, "/extends", message, "io.read"))
            return None
        base_document, issues = read_document(raw, base_file, self.limits)
        if base_document is None or issues:
            self.issues += issues
            return None
        return self.resolve(base_document, (*chain, (identity, base_file)))


def _well_formed(directive: object) -> bool:
    return isinstance(directive, str)


def _removals(scheme: Mapping[str, Any]) -> list[str] | None:
    """The ids of a well-formed ``remove_rules``, or None (absent, or left for the schema)."""
    value = scheme.get(_REMOVE)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None


def _stray_directives(document: Document) -> list[PolicyIssue]:
    """Layering directives in a policy that extends nothing: they would silently do nothing."""
    found: list[PolicyIssue] = []
    schemes = document.data.get("schemes") if isinstance(document.data, dict) else None
    if not isinstance(schemes, dict):
        return found
    for name, scheme in schemes.items():
        if not isinstance(scheme, dict):
            continue
        pointer = pointer_join("/schemes", name)
        if _removals(scheme) is not None:
            found.append(_without_base(document, pointer_join(pointer, _REMOVE), _REMOVE))
        rules = scheme.get("rules")
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            if not isinstance(rule, dict):
                continue
            for word in _PLACEMENT:
                if _well_formed(rule.get(word)):
                    where = pointer_join(pointer_join(pointer, "rules"), index)
                    rule_id = rule.get("id") if isinstance(rule.get("id"), str) else None
                    found.append(_without_base(document, pointer_join(where, word), word, rule_id))
    return found


def _without_base(
    document: Document, pointer: str, word: str, rule_id: str | None = None
) -> PolicyIssue:
    message = f"{word!r} only has a meaning in a policy that extends another (extends: FILE)"
    return _issue(document, pointer, message, "semantic.extends-directive", rule_id, key=True)


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


class _Merge:
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
        removals = _removals(child)
        base_rules, child_rules = base.get("rules", []), child.get("rules", [])
        by_id = isinstance(base_rules, list) and isinstance(child_rules, list)
        consumed = {"rules"} if by_id else set()
        if removals is not None:
            consumed.add(_REMOVE)
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
                removals=(removals or [], pointer_join(child_pointer, _REMOVE)),
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
        anchors = {word: value[word] for word in _PLACEMENT if _well_formed(value.get(word))}
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
            _issue(self.child, pointer, message, "semantic.extends-unknown-rule", rule_id)
        )

    def _problem(
        self, pointer: str, message: str, rule_id: str | None, *, key: bool = False
    ) -> None:
        self.issues.append(
            _issue(self.child, pointer, message, "semantic.extends-directive", rule_id, key=key)
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
