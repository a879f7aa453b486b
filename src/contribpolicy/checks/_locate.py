"""Places in policy files for findings that are not about a whole rule.

``Policy`` keeps each rule's location but not the parsed document, so the file is read again
(once) to place a finding at the value it is about: a declared input, a rule's age bounds. A
layered policy is looked up in its files, its own first. A policy loaded from text that is not
a file gets the rule's own location, or the file name.
"""

from __future__ import annotations

from pathlib import Path

from contribpolicy.errors import Location
from contribpolicy.format._yaml import Document, read_document
from contribpolicy.model.parts import Rule
from contribpolicy.model.policy import Policy

__all__ = ["Locator"]


class Locator:
    """Locates JSON pointers in the files a policy was read from."""

    def __init__(self, policy: Policy) -> None:
        self.file = policy.path
        # A policy that extends another was read from several files, its own last: a value is
        # in the last file that writes it.
        layers: tuple[str | None, ...] = getattr(policy, "layers", ()) or (policy.path,)
        self.layers = tuple(reversed([layer for layer in layers if layer]))
        self._documents: dict[str, Document | None] = {}

    def _document(self, file: str | None) -> Document | None:
        if file is None:
            return None
        if file not in self._documents:
            try:
                document, _ = read_document(Path(file).read_bytes(), file)
            except OSError:
                document = None
            self._documents[file] = document
        return self._documents[file]

    def at(self, pointer: str, *, key: bool = False) -> Location:
        """A place in the policy: in the last of its files that writes it, else its own file."""
        for file in self.layers:
            document = self._document(file)
            if document is not None and pointer in document.marks:
                return document.locate(pointer, key=key)
        document = self._document(self.file)
        if document is None:
            return Location(self.file, pointer=pointer)
        return document.locate(pointer, key=key)

    def in_rule(self, rule: Rule, pointer: str = "") -> Location:
        """A place inside a rule (``/when/age/max``), in the file the rule came from."""
        if not pointer:
            return rule.location
        document = self._document(rule.location.file)
        if document is None:
            return rule.location
        located = document.locate(rule.location.pointer + pointer)
        if located.line is None:
            return rule.location
        return located
