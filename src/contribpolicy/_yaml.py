"""Safe YAML reading that keeps where every value came from.

jsonschema and our semantic checks see plain data; people need file:line:col. So we compose the
YAML node graph ourselves (PyYAML's safe composer builds no objects) and construct plain values
from it, recording the mark of every value and every mapping key under its JSON pointer.

Only the core YAML types are accepted: any explicit tag (`!!python/object`, `!custom`) is
rejected with its location, floats become `Decimal` (money is never a float), and duplicate keys,
which PyYAML would silently collapse, are errors naming both places.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import yaml

from .errors import Location, PolicyIssue

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_ALLOWED_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _MAP, _SEQ})
_TRUE = re.compile(r"^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$")


@attrs.frozen
class Limits:
    """Bounds on what one policy file may cost to read. Raise them by passing your own."""

    max_bytes: int = 2_000_000
    max_depth: int = 64
    max_nodes: int = 200_000


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


class _Reader:
    """Turns a composed node graph into plain data, collecting every problem on the way."""

    def __init__(self, file: str | None, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.marks: dict[str, tuple[int, int]] = {}
        self.key_marks: dict[str, tuple[int, int]] = {}
        self.issues: list[PolicyIssue] = []
        self.nodes = 0
        self._constructor = yaml.SafeLoader("")

    def issue(
        self,
        node: yaml.Node,
        pointer: str,
        code: str,
        message: str,
        related: yaml.Node | None = None,
    ) -> None:
        self.issues.append(
            PolicyIssue(
                self._location(node, pointer), message, code,
                related=(self._location(related, pointer),) if related is not None else (),
            )
        )  # fmt: skip

    def _location(self, node: yaml.Node, pointer: str) -> Location:
        mark = node.start_mark
        return Location(self.file, mark.line + 1, mark.column + 1, pointer)

    def read(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _TooLarge(node, f"more than {self.limits.max_nodes} YAML nodes (alias bomb?)")
        if depth > self.limits.max_depth:
            raise _TooLarge(node, f"nesting deeper than {self.limits.max_depth} levels")
        self.marks[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _ALLOWED_TAGS:
            self.issue(node, pointer, "yaml.tag", f"YAML tag {node.tag!r} is not allowed")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, pointer, depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.read(item, pointer_join(pointer, i), depth + 1)
                for i, item in enumerate(node.value)
            ]
        return self._scalar(node, pointer)

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.issue(key_node, pointer, "yaml.key", "mapping keys must be plain scalars")
                continue
            key = str(key_node.value)
            child = pointer_join(pointer, key)
            if key in first_seen:
                earlier = first_seen[key].start_mark
                self.issue(
                    key_node,
                    child,
                    "yaml.duplicate-key",
                    f"duplicate key {key!r} (first defined at line {earlier.line + 1}, "
                    f"column {earlier.column + 1})",
                    related=first_seen[key],
                )
                continue
            first_seen[key] = key_node
            self.key_marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.read(value_node, child, depth + 1)
        return result

    def _scalar(self, node: yaml.Node, pointer: str) -> Any:
        value = str(node.value)
        if node.tag in (_STR, _TIMESTAMP):
            # Dates stay text: the schema checks their format and the model parses them.
            return value
        if node.tag == _FLOAT:
            try:
                number = Decimal(value.replace("_", ""))
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite():
                self.issue(node, pointer, "yaml.number", f"{value!r} is not a finite number")
                return None
            return number
        if node.tag == _BOOL:
            return bool(_TRUE.match(value))
        if node.tag == _NULL:
            return None
        return self._constructor.construct_object(node)


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


def _problem(file: str | None, mark: Any, code: str, message: str) -> PolicyIssue:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return PolicyIssue(Location(file, line, column, ""), message, code)


def _decode(text: str | bytes, file: str | None, limits: Limits) -> str:
    if len(text) > limits.max_bytes:
        message = f"file is {len(text)} bytes, over the limit of {limits.max_bytes}"
        raise _Unreadable(_problem(file, None, "yaml.size", message))
    if isinstance(text, str):
        return text
    try:
        return text.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        message = f"not UTF-8: byte {err.object[err.start]:#04x} at offset {err.start}"
        good = err.object[: err.start].decode("utf-8", errors="replace")
        line = good.count("\n")
        mark = yaml.Mark(file or "", err.start, line, len(good) - good.rfind("\n") - 1, None, 0)
        raise _Unreadable(_problem(file, mark, "yaml.encoding", message)) from None


def _compose(text: str, file: str | None) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        message = f"{err.problem or err.context or 'invalid YAML'}"
        mark = err.problem_mark or err.context_mark
        raise _Unreadable(_problem(file, mark, "yaml.syntax", message)) from None
    except yaml.YAMLError as err:
        raise _Unreadable(_problem(file, None, "yaml.syntax", str(err))) from None
    except RecursionError:
        raise _Unreadable(_problem(file, None, "yaml.limit", "nesting too deep to read")) from None
    if node is None:
        raise _Unreadable(_problem(file, None, "yaml.empty", "the file holds no YAML document"))
    return node


class _Unreadable(Exception):
    def __init__(self, issue: PolicyIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def read_document(
    text: str | bytes, file: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[Document | None, list[PolicyIssue]]:
    """Read one YAML document; returns the document (None if unreadable) and its problems."""
    reader = _Reader(file, limits)
    try:
        node = _compose(_decode(text, file, limits), file)
        data = reader.read(node, "", 0)
    except _Unreadable as err:
        return None, [err.issue]
    except _TooLarge as err:
        return None, [_problem(file, err.node.start_mark, "yaml.limit", err.message)]
    except RecursionError:
        return None, [_problem(file, None, "yaml.limit", "nesting too deep to read")]
    return Document(data, file, reader.marks, reader.key_marks), reader.issues
