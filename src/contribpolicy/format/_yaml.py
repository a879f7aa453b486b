"""Safe, bounded YAML reading that keeps where every value came from.

Policy files come from many hands and are read inside payment systems, so reading one must
build no objects, run nothing, and cost bounded time and memory whatever the file holds. PyYAML's
own composer builds a node graph with no bound on depth, aliases or size (a "billion laughs"
file is a few hundred bytes), its pure-Python scanner takes seconds on long flow lines, and
libyaml's composer recurses in C. So we take only the *events* of the parser (libyaml's when it
is installed) and build plain values from them here, iteratively, checking the `Limits` as each
event arrives: a bomb is refused after reading at most `max_nodes` nodes, never expanded.

Only the core YAML types are accepted: any other tag (`!!python/object`, `!custom`, on a value or
on a key) is rejected with its location, floats become `Decimal` (money is never a float), and
duplicate keys, which PyYAML would silently collapse, are errors naming both places. The mark of
every value and mapping key is recorded under its JSON pointer, for file:line:col in errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from contribpolicy.errors import Location, PolicyIssue
from contribpolicy.format._composer import EVENTS, Composer, Mark, Unreadable, problem
from contribpolicy.format._document import (
    DEFAULT_LIMITS,
    Document,
    Limits,
    escape_pointer_token,
    pointer_join,
)
from contribpolicy.format._yaml_hints import explain

__all__ = [
    "DEFAULT_LIMITS",
    "Document",
    "Limits",
    "escape_pointer_token",
    "pointer_join",
    "read_document",
    "read_limited",
]


def read_limited(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A file's bytes, reading at most one byte past ``limits.max_bytes``: a larger file (or
    ``/dev/zero``) is then refused by ``read_document`` without being read whole."""
    with open(path, "rb") as handle:
        return handle.read(limits.max_bytes + 1)


def _decode(text: str | bytes, file: str | None, limits: Limits) -> str:
    if len(text) > limits.max_bytes:
        message = f"file is larger than the limit of {limits.max_bytes} bytes"
        raise Unreadable(problem(file, None, "yaml.size", message))
    if isinstance(text, str):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as err:  # a lone surrogate in text handed to us
            message = f"not Unicode text: lone surrogate {text[err.start]!r}"
            raise Unreadable(
                problem(file, Mark(text, err.start), "yaml.encoding", message)
            ) from None
        return text
    try:
        return text.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        message = f"not UTF-8: byte {err.object[err.start]:#04x} at offset {err.start}"
        good = err.object[: err.start].decode("utf-8", errors="replace")
        raise Unreadable(problem(file, Mark(good, len(good)), "yaml.encoding", message)) from None


def _unprintable(text: str, file: str | None, err: yaml.YAMLError) -> PolicyIssue:
    """A reader error (a control character in the file), located by finding the character:
    libyaml reports its offset in bytes of its own encoding, not in our text."""
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if found is None:
        return problem(file, None, "yaml.syntax", str(err))
    message = f"character {found.group()!r} is not allowed in YAML"
    return problem(file, Mark(text, found.start()), "yaml.syntax", message)


def _explained(text: str, file: str | None, mark: Any, message: str) -> PolicyIssue:
    """A syntax error at the line of the officer's mistake, named with its fix when it is one
    ``_yaml_hints`` knows (a full-width colon, a tab, a key indented off), else libyaml's."""
    found = explain(text, mark.line + 1, mark.column + 1, message)
    if found is None:
        return problem(file, mark, "yaml.syntax", message)
    line, column, hint = found
    return PolicyIssue(Location(file, line, column), hint, "yaml.syntax")


def read_document(
    text: str | bytes, file: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[Document | None, list[PolicyIssue]]:
    """Read one YAML document; returns the document (None if unreadable) and its problems."""
    composer = Composer(file, limits)
    try:
        decoded = _decode(text, file, limits)
        parser = EVENTS(decoded)
        try:
            data = composer.document(parser)
        finally:
            parser.dispose()
    except Unreadable as err:
        return None, [err.issue]
    except yaml.reader.ReaderError as err:
        return None, [_unprintable(decoded, file, err)]
    except yaml.MarkedYAMLError as err:
        message = f"{err.problem or err.context or 'invalid YAML'}"
        mark = err.problem_mark or err.context_mark
        # libyaml stops a flow collection nested 1000 deep itself, before we see its events
        code = "yaml.limit" if "maximum nesting depth" in message else "yaml.syntax"
        if code == "yaml.syntax" and mark is not None:
            return None, [_explained(decoded, file, mark, message)]
        return None, [problem(file, mark, code, message)]
    except yaml.YAMLError as err:
        return None, [problem(file, None, "yaml.syntax", str(err))]
    return Document(data, file, composer.marks, composer.key_marks), composer.issues
