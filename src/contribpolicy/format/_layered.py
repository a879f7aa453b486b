"""The merged document of a layered policy, and where each of its values was written."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import attrs

from contribpolicy.errors import Location, PolicyIssue
from contribpolicy.format._document import Document

__all__ = [
    "PLACEMENT",
    "REMOVE",
    "LayeredDocument",
    "Source",
    "SourceMap",
    "issue",
    "issue_order",
    "removals",
    "well_formed",
]

PLACEMENT = ("after", "before")
REMOVE = "remove_rules"


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


def issue(
    document: Document,
    pointer: str,
    message: str,
    code: str,
    rule_id: str | None = None,
    *,
    key: bool = False,
) -> PolicyIssue:
    return PolicyIssue(document.locate(pointer, key=key), message, code, rule_id=rule_id)


def well_formed(directive: object) -> bool:
    return isinstance(directive, str)


def removals(scheme: Mapping[str, Any]) -> list[str] | None:
    """The ids of a well-formed ``remove_rules``, or None (absent, or left for the schema)."""
    value = scheme.get(REMOVE)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None
