"""Building plain values from YAML parser events, one event at a time, checking the limits.

See ``_yaml`` for why: nothing is constructed, nothing recurses, and a bomb is refused after
``max_nodes`` nodes instead of being expanded.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from contribpolicy.errors import Location, PolicyIssue
from contribpolicy.format._document import Limits, pointer_join
from contribpolicy.format._yaml11 import boolean_problem, number_problem

__all__ = ["EVENTS", "Composer", "Mark", "Unreadable", "problem"]

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
EVENTS: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when installed
_RESOLVER: Any = yaml.resolver.Resolver()  # YAML 1.1 implicit types, as PyYAML's loaders


class Unreadable(Exception):
    """The file cannot be read any further: one issue, and reading stops."""

    def __init__(self, issue: PolicyIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def problem(file: str | None, mark: Any, code: str, message: str, pointer: str = "") -> PolicyIssue:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return PolicyIssue(Location(file, line, column, pointer), message, code)


class Mark:
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


class Composer:
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
        self.issues.append(problem(self.file, mark, code, message, pointer or ""))

    def document(self, parser: Any) -> Any:
        parser.get_event()  # stream start
        if parser.check_event(yaml.StreamEndEvent):
            raise Unreadable(problem(self.file, None, "yaml.empty", "the file holds no YAML"))
        parser.get_event()  # document start
        data = self._root(parser)
        parser.get_event()  # document end
        if not parser.check_event(yaml.StreamEndEvent):
            mark = parser.get_event().start_mark
            message = "a second YAML document: a policy file holds exactly one"
            raise Unreadable(problem(self.file, mark, "yaml.syntax", message))
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
            raise Unreadable(problem(self.file, mark, "yaml.syntax", message, pointer or ""))
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
        raise Unreadable(problem(self.file, mark, "yaml.limit", message))

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
            raise Unreadable(problem(self.file, mark, "yaml.syntax", message))
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
        if tag == _NULL or (event.tag in (None, "!") and self._yaml11(value, tag, mark, pointer)):
            return None
        if tag == _BOOL:
            return bool(_TRUE.match(value))
        return self._number(value, tag, mark, pointer)

    def _yaml11(self, value: str, tag: str, mark: Any, pointer: str) -> bool:
        """Reports a plain boolean or number YAML 1.1 would read otherwise; True if it did."""
        if tag == _BOOL:
            code, refused = "yaml.boolean", boolean_problem(value)
        else:
            code, refused = "yaml.number", number_problem(value, tag)
        if refused is not None:
            self.issue(mark, pointer, code, refused)
        return refused is not None

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
