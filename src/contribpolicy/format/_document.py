"""What reading a YAML file gives: the ``Document`` (data and marks), JSON pointers, ``Limits``."""

from __future__ import annotations

from typing import Any

import attrs

from contribpolicy.errors import Location

__all__ = ["DEFAULT_LIMITS", "Document", "Limits", "escape_pointer_token", "pointer_join"]


@attrs.frozen
class Limits:
    """Bounds on what one policy file may cost to read. Raise them by passing your own.

    The defaults are generous for a policy (the 2025 Shancheng file has about 400 nodes, depth
    8, no aliases, no text over 200 characters) and keep the worst file to well under a second.
    """

    #: File size (bytes, or characters for text).
    max_bytes: int = 2_000_000
    #: Levels of nesting below the top mapping, aliases expanded.
    max_depth: int = 64
    #: Values (scalars, mappings, lists) in the document with every alias expanded.
    max_nodes: int = 10_000
    #: Uses of an alias (`*name`).
    max_aliases: int = 100
    #: Characters in one text value or key.
    max_scalar_chars: int = 10_000
    #: Condition nodes from a rule's ``when`` down to a test, through named conditions.
    max_condition_depth: int = 64
    #: Files in an ``extends:`` chain, the policy itself included.
    max_extends_depth: int = 16


DEFAULT_LIMITS = Limits()


def escape_pointer_token(token: str) -> str:
    """RFC 6901 escaping of one JSON pointer token."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer_join(pointer: str, token: str | int) -> str:
    """The pointer of a child of `pointer`."""
    return f"{pointer}/{escape_pointer_token(str(token))}"


@attrs.frozen
class Document:
    """Plain data read from YAML, and where in the file each part of it was."""

    data: Any
    file: str | None
    marks: dict[str, tuple[int, int]]
    key_marks: dict[str, tuple[int, int]]

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        """The location of `pointer`, or of its nearest ancestor that has one.

        With `key=True` prefer the mapping key that introduces the value: an unknown or misspelt
        key is best shown where the key is written.
        """
        probe = pointer
        while True:
            mark = (self.key_marks.get(probe) if key else None) or self.marks.get(probe)
            if mark is not None or not probe:
                break
            probe = probe.rsplit("/", 1)[0]
        line, column = mark if mark is not None else (None, None)
        return Location(self.file, line, column, pointer)
