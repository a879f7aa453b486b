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

import copy
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
import yaml

from .errors import Location, PolicyIssue

__all__ = [
    "DEFAULT_LIMITS",
    "Document",
    "Limits",
    "pointer_join",
    "read_document",
    "read_limited",
]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})
_TRUE = re.compile(r"^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$")
#: Control characters (other than tab and line breaks) and lone surrogates: YAML lets a
#: double-quoted "\e" or "\ud800" write them; they would reach terminals and encoders.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: A number is at most this long as written: longer ones are refused before conversion, which
#: costs time quadratic in the digits (and Python refuses over 4300 digits).
_NUMBER_TEXT = 64
#: Numbers are below 10**15 in magnitude: amounts, shares, ages, tiers and years all are, and
#: money arithmetic at Decimal's default 28 digits stays exact for sums of such amounts.
MAX_NUMBER_DIGITS = 15
_EVENTS: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when installed
_RESOLVER: Any = yaml.resolver.Resolver()  # YAML 1.1 implicit types, as PyYAML's loaders


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


class _Unreadable(Exception):
    """The file cannot be read any further: one issue, and reading stops."""

    def __init__(self, issue: PolicyIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def _problem(
    file: str | None, mark: Any, code: str, message: str, pointer: str = ""
) -> PolicyIssue:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return PolicyIssue(Location(file, line, column, pointer), message, code)


class _Mark:
    """A position computed from text, shaped like yaml.Mark (0-based line and column)."""

    def __init__(self, text: str, offset: int) -> None:
        self.line = text.count("\n", 0, offset)
        self.column = offset - (text.rfind("\n", 0, offset) + 1)


_SKIP = object()  # the key of a mapping entry that is reported and dropped
_KEY = object()  # a mapping is waiting for its next key
_KEY_OPEN = object()  # a mapping or list used as a key is being read (to be dropped)


class _Frame:
    """A mapping or list being read: its pointer (None inside dropped parts) and contents."""

    __slots__ = ("anchor", "data", "height", "is_key", "key", "keys", "mark", "pointer", "size")

    def __init__(self, event: Any, pointer: str | None, is_key: bool) -> None:
        self.data: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.mark = event.start_mark
        self.anchor: str | None = event.anchor
        self.pointer = pointer
        self.is_key = is_key
        self.key: object = _KEY
        self.keys: dict[str, Any] = {}  # key -> its mark, for duplicate keys
        self.size = 1
        self.height = 0


class _Composer:
    """Builds plain data from parser events, checking the limits and collecting problems."""

    def __init__(self, file: str | None, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.marks: dict[str, tuple[int, int]] = {}
        self.key_marks: dict[str, tuple[int, int]] = {}
        self.issues: list[PolicyIssue] = []
        self.nodes = 0
        self.aliases = 0
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, expanded size, height
        self.open_anchors: set[str] = set()
        self._constructor = yaml.SafeLoader("")

    def issue(self, mark: Any, pointer: str | None, code: str, message: str) -> None:
        self.issues.append(_problem(self.file, mark, code, message, pointer or ""))

    def document(self, parser: Any) -> Any:
        parser.get_event()  # stream start
        if parser.check_event(yaml.StreamEndEvent):
            raise _Unreadable(_problem(self.file, None, "yaml.empty", "the file holds no YAML"))
        parser.get_event()  # document start
        data = self._root(parser)
        parser.get_event()  # document end
        if not parser.check_event(yaml.StreamEndEvent):
            mark = parser.get_event().start_mark
            message = "a second YAML document: a policy file holds exactly one"
            raise _Unreadable(_problem(self.file, mark, "yaml.syntax", message))
        return data

    def _root(self, parser: Any) -> Any:
        """The document's value, read with an explicit stack: nesting costs no recursion."""
        stack: list[_Frame] = []
        while True:
            event = parser.get_event()
            done: tuple[Any, int, int] | None
            if isinstance(event, yaml.CollectionEndEvent):
                frame = stack.pop()
                value = frame.data if frame.pointer is not None or frame.is_key else None
                done = self._finish(frame, value)
            else:
                done = self._start(event, stack)
            if done is None:
                continue
            if not stack:
                return done[0]
            self._attach(stack[-1], *done)

    def _start(self, event: Any, stack: list[_Frame]) -> tuple[Any, int, int] | None:
        """Handles an event that starts a value; returns the value if it is complete."""
        parent = stack[-1] if stack else None
        depth = len(stack)
        if parent is not None and isinstance(parent.data, dict) and parent.key is _KEY:
            return self._key(event, parent, stack)
        pointer = self._child_pointer(parent)
        mark = event.start_mark
        if depth > self.limits.max_depth:
            self._too_large(mark, f"nesting deeper than {self.limits.max_depth} levels")
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event, pointer, depth)
        self._count(1, mark)
        if pointer is not None:
            self.marks[pointer] = (mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.ScalarEvent):
            value = self._scalar(event, pointer) if pointer is not None else None
            return self._finish_scalar(event, value)
        tag = self._collection_tag(event, pointer)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        stack.append(_Frame(event, pointer if tag else None, is_key=False))
        return None

    def _key(self, event: Any, parent: _Frame, stack: list[_Frame]) -> tuple[Any, int, int] | None:
        """A mapping key: a plain scalar, checked for tags, length, characters and repeats."""
        mark = event.start_mark
        if not isinstance(event, yaml.ScalarEvent):
            if parent.pointer is not None:
                self.issue(mark, parent.pointer, "yaml.key", "mapping keys must be plain scalars")
            if isinstance(event, yaml.AliasEvent):
                parent.key = _SKIP
                return None
            parent.key = _KEY_OPEN
            self._count(1, mark)
            if len(stack) > self.limits.max_depth:
                self._too_large(mark, f"nesting deeper than {self.limits.max_depth} levels")
            stack.append(_Frame(event, None, is_key=True))
            return None
        self._count(1, mark)
        parent.key = _SKIP
        key = str(event.value)
        if event.anchor is not None:
            self._anchor(event.anchor, mark, (key, 1, 0))
        if parent.pointer is None:
            return None
        child = pointer_join(parent.pointer, key)
        if event.tag not in (None, "!", _STR):
            self.issue(mark, child, "yaml.tag", f"YAML tag {event.tag!r} is not allowed on a key")
        elif self._text_problem(key, mark, child):
            pass
        elif key in parent.keys:
            first = parent.keys[key]
            self.issues.append(
                PolicyIssue(
                    Location(self.file, mark.line + 1, mark.column + 1, child),
                    f"duplicate key {key!r} (first defined at line {first.line + 1}, "
                    f"column {first.column + 1})",
                    "yaml.duplicate-key",
                    related=(Location(self.file, first.line + 1, first.column + 1, child),),
                )
            )
        else:
            parent.keys[key] = mark
            parent.key = key
            self.key_marks[child] = (mark.line + 1, mark.column + 1)
        return None

    def _child_pointer(self, parent: _Frame | None) -> str | None:
        if parent is None:
            return ""
        if parent.pointer is None:
            return None
        if isinstance(parent.data, list):
            return pointer_join(parent.pointer, len(parent.data))
        return None if parent.key is _SKIP else pointer_join(parent.pointer, str(parent.key))

    def _alias(self, event: Any, pointer: str | None, depth: int) -> tuple[Any, int, int]:
        name, mark = event.anchor, event.start_mark
        if name in self.open_anchors:
            self._too_large(mark, f"alias *{name} is inside the value it names: it never ends")
        if name not in self.anchors:
            message = f"alias *{name} names no anchor defined before it"
            raise _Unreadable(_problem(self.file, mark, "yaml.syntax", message, pointer or ""))
        self.aliases += 1
        if self.aliases > self.limits.max_aliases:
            self._too_large(mark, f"more than {self.limits.max_aliases} aliases")
        value, size, height = self.anchors[name]
        if depth + height > self.limits.max_depth:
            self._too_large(mark, f"nesting deeper than {self.limits.max_depth} levels")
        self._count(size, mark)
        if pointer is not None:
            self.marks[pointer] = (mark.line + 1, mark.column + 1)
        # A copy: the data is a tree, as JSON is, so no later step can change two places at once
        # (the copy costs no more than the node count already allowed).
        return copy.deepcopy(value), size, height

    def _count(self, size: int, mark: Any) -> None:
        self.nodes += size
        if self.nodes > self.limits.max_nodes:
            self._too_large(mark, f"more than {self.limits.max_nodes} values (aliases expanded)")

    def _too_large(self, mark: Any, message: str) -> None:
        raise _Unreadable(_problem(self.file, mark, "yaml.limit", message))

    def _finish_scalar(self, event: Any, value: Any) -> tuple[Any, int, int]:
        if event.anchor is not None:
            self._anchor(event.anchor, event.start_mark, (value, 1, 0))
        return value, 1, 0

    def _finish(self, frame: _Frame, value: Any) -> tuple[Any, int, int]:
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self._anchor(frame.anchor, frame.mark, (value, frame.size, frame.height))
        return value, frame.size, frame.height

    def _anchor(self, name: str, mark: Any, entry: tuple[Any, int, int]) -> None:
        if name in self.anchors:
            message = f"anchor &{name} is defined twice"
            raise _Unreadable(_problem(self.file, mark, "yaml.syntax", message))
        self.anchors[name] = entry

    def _attach(self, parent: _Frame, value: Any, size: int, height: int) -> None:
        parent.size += size
        parent.height = max(parent.height, height + 1)
        if isinstance(parent.data, list):
            parent.data.append(value)
        elif parent.key is _KEY_OPEN:  # a mapping or list used as a key, now read and dropped
            parent.key = _SKIP
        else:
            if parent.key is not _SKIP:
                parent.data[parent.key] = value
            parent.key = _KEY

    def _collection_tag(self, event: Any, pointer: str | None) -> bool:
        """False (and an issue) when a mapping or list carries a tag of another type."""
        expected = _MAP if isinstance(event, yaml.MappingStartEvent) else _SEQ
        if event.tag in (None, "!", expected):
            return True
        self.issue(event.start_mark, pointer, "yaml.tag", f"YAML tag {event.tag!r} is not allowed")
        return False

    def _text_problem(self, text: str, mark: Any, pointer: str) -> bool:
        """Reports text that is too long or holds control characters; True if it did."""
        if len(text) > self.limits.max_scalar_chars:
            message = (
                f"text of {len(text)} characters, over the limit of {self.limits.max_scalar_chars}"
            )
            self.issue(mark, pointer, "yaml.limit", message)
            return True
        bad = _BAD_CHARACTER.search(text)
        if bad is not None:
            message = f"control character or lone surrogate {bad.group()!r} in text"
            self.issue(mark, pointer, "yaml.encoding", message)
            return True
        return False

    def _scalar(self, event: Any, pointer: str) -> Any:
        value = str(event.value)
        mark = event.start_mark
        tag = _resolve(event)
        if tag not in _SCALAR_TAGS:
            self.issue(mark, pointer, "yaml.tag", f"YAML tag {tag!r} is not allowed")
            return None
        if event.tag not in (None, "!", _STR) and not _fits(value, tag):
            self.issue(mark, pointer, "yaml.tag", f"{value!r} is not a valid {tag!r}")
            return None
        if tag in (_STR, _TIMESTAMP):
            # Dates stay text: the schema checks their format and the model parses them.
            return None if self._text_problem(value, mark, pointer) else value
        if tag == _BOOL:
            return bool(_TRUE.match(value))
        if tag == _NULL:
            return None
        return self._number(value, tag, mark, pointer)

    def _number(self, value: str, tag: str, mark: Any, pointer: str) -> Decimal | int | None:
        if len(value) > _NUMBER_TEXT:
            self.issue(mark, pointer, "yaml.number", f"a number of {len(value)} characters")
            return None
        number: Decimal | int
        if tag == _FLOAT:
            try:
                number = Decimal(value.replace("_", ""))
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite():
                self.issue(mark, pointer, "yaml.number", f"{value!r} is not a finite number")
                return None
            too_large = number != 0 and number.adjusted() >= MAX_NUMBER_DIGITS
        elif value.isascii() and value.isdigit() and (value[0] != "0" or value == "0"):
            number = int(value)  # the usual spelling, without YAML 1.1's octal and base 60
            too_large = number >= 10**MAX_NUMBER_DIGITS
        else:
            try:
                number = self._constructor.construct_yaml_int(yaml.ScalarNode(tag, value))
            except ValueError:  # YAML 1.1 lets "0x_" look like a number
                self.issue(mark, pointer, "yaml.number", f"{value!r} is not a number")
                return None
            too_large = abs(number) >= 10**MAX_NUMBER_DIGITS
        if too_large:
            message = f"{value} is too large: numbers have at most {MAX_NUMBER_DIGITS} digits"
            self.issue(mark, pointer, "yaml.number", message + " before the decimal point")
            return None
        return number


def _fits(value: str, tag: str) -> bool:
    """Whether text with an explicit standard tag (`!!int 12`) is what the tag says it is."""
    implicit = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    return implicit == tag or (tag == _FLOAT and implicit == _INT)


def _resolve(event: Any) -> str:
    """The tag of a scalar event: its own, or the one YAML 1.1 gives its plain text."""
    if event.tag is None or event.tag == "!":
        tag: str = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        return tag
    return str(event.tag)


def read_limited(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A file's bytes, reading at most one byte past ``limits.max_bytes``: a larger file (or
    ``/dev/zero``) is then refused by ``read_document`` without being read whole."""
    with open(path, "rb") as handle:
        return handle.read(limits.max_bytes + 1)


def _decode(text: str | bytes, file: str | None, limits: Limits) -> str:
    if len(text) > limits.max_bytes:
        message = f"file is larger than the limit of {limits.max_bytes} bytes"
        raise _Unreadable(_problem(file, None, "yaml.size", message))
    if isinstance(text, str):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as err:  # a lone surrogate in text handed to us
            message = f"not Unicode text: lone surrogate {text[err.start]!r}"
            raise _Unreadable(
                _problem(file, _Mark(text, err.start), "yaml.encoding", message)
            ) from None
        return text
    try:
        return text.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        message = f"not UTF-8: byte {err.object[err.start]:#04x} at offset {err.start}"
        good = err.object[: err.start].decode("utf-8", errors="replace")
        raise _Unreadable(
            _problem(file, _Mark(good, len(good)), "yaml.encoding", message)
        ) from None


def _unprintable(text: str, file: str | None, err: yaml.YAMLError) -> PolicyIssue:
    """A reader error (a control character in the file), located by finding the character:
    libyaml reports its offset in bytes of its own encoding, not in our text."""
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if found is None:
        return _problem(file, None, "yaml.syntax", str(err))
    message = f"character {found.group()!r} is not allowed in YAML"
    return _problem(file, _Mark(text, found.start()), "yaml.syntax", message)


def read_document(
    text: str | bytes, file: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[Document | None, list[PolicyIssue]]:
    """Read one YAML document; returns the document (None if unreadable) and its problems."""
    composer = _Composer(file, limits)
    try:
        decoded = _decode(text, file, limits)
        parser = _EVENTS(decoded)
        try:
            data = composer.document(parser)
        finally:
            parser.dispose()
    except _Unreadable as err:
        return None, [err.issue]
    except yaml.reader.ReaderError as err:
        return None, [_unprintable(decoded, file, err)]
    except yaml.MarkedYAMLError as err:
        message = f"{err.problem or err.context or 'invalid YAML'}"
        mark = err.problem_mark or err.context_mark
        # libyaml stops a flow collection nested 1000 deep itself, before we see its events
        code = "yaml.limit" if "maximum nesting depth" in message else "yaml.syntax"
        return None, [_problem(file, mark, code, message)]
    except yaml.YAMLError as err:
        return None, [_problem(file, None, "yaml.syntax", str(err))]
    return Document(data, file, composer.marks, composer.key_marks), composer.issues
