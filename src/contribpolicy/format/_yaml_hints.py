"""YAML mistakes an officer makes, found where they are and named with the fix.

A policy is edited by people who type Chinese: a full-width colon (``share：0.5``), comma or
quote from the input method, a tab, a key indented one space off. libyaml reports such a
mistake where it gave up, often a line later, in its own words ("could not find expected
':'"). Given the text and where libyaml stopped, ``explain`` looks back for the mistake and
returns its line, column and a catalog message saying what YAML needs instead (issue 12).
"""

from __future__ import annotations

import re

from contribpolicy.i18n import N_, Message

__all__ = ["explain"]

_FULL_COLON = N_("a full-width colon '：' on line {line}; YAML needs ':' followed by a space")
_FULL_COMMA = N_("a full-width '{char}' on line {line} inside [...] or {{...}}; YAML needs ','")
_FULL_QUOTE = N_(
    "a full-width quote '{char}' on line {line}; YAML quotes text with '\"' or \"'\", or "
    "leave the quotes out"
)
_TAB = N_("a tab on line {line}; YAML indents with spaces only (replace the tab with spaces)")
_INDENT = N_(
    "line {line} is indented by {found} spaces, but the keys it belongs with by {expected}; "
    "line it up with them"
)
_NO_COLON = N_("line {line} has no ':' after its key; write it as 'key: value'")
_COLON_IN_VALUE = N_("a ':' inside a value on line {line}; put the value in quotes ('...')")
#: libyaml's words for a line that is not lined up with its mapping or list.
_OFF_INDENT = (
    "did not find expected '-' indicator",
    "did not find expected key",
    "expected <block end>",
)
#: How far above libyaml's stopping point the mistake is looked for.
_WINDOW = 12
_KEY_FULL_COLON = re.compile(r"^\s*(?:-\s+)?[^\s#:'\"][^:#]*?(：)")
_VALUE_QUOTE = re.compile(r"(?::\s+|^\s*-\s+|^\s*)([“”‘’])")


def explain(text: str, line: int, column: int, problem: str) -> tuple[int, int, Message] | None:
    """(line, column, message) of the mistake that made libyaml stop at ``line`` (1-based)
    saying ``problem``, or None when it is none of the known ones."""
    lines = text.splitlines()
    first = max(1, line - _WINDOW)
    window = range(min(line, len(lines)), first - 1, -1)  # nearest first
    found = [hint for finder in _FINDERS if (hint := finder(lines, window, first)) is not None]
    if found:  # the mistake nearest above where libyaml stopped
        return max(found, key=lambda hint: hint[0])
    return _by_problem(lines, line, column, problem)


def _tab(lines: list[str], window: range, first: int) -> tuple[int, int, Message] | None:
    for number in window:
        text = lines[number - 1]
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent:
            return number, indent.index("\t") + 1, Message(_TAB, line=number)
    return None


def _full_width(lines: list[str], window: range, first: int) -> tuple[int, int, Message] | None:
    for number in window:
        text = _without_comment(lines[number - 1])
        colon = _KEY_FULL_COLON.match(text)
        if colon is not None and ":" not in text[: colon.start(1)]:
            return number, colon.start(1) + 1, Message(_FULL_COLON, line=number)
        quote = _VALUE_QUOTE.search(text)
        if quote is not None:
            char = quote.group(1)
            return number, quote.start(1) + 1, Message(_FULL_QUOTE, line=number, char=char)
        if "[" in text or "{" in text:
            for char in "，；":
                if char in text:
                    where = text.index(char) + 1
                    return number, where, Message(_FULL_COMMA, line=number, char=char)
    return None


def _indentation(lines: list[str], window: range, first: int) -> tuple[int, int, Message] | None:
    """The first line, from the top of the file, whose indentation matches no enclosing level
    and that no line above opened a deeper level for."""
    stack = [0]
    opens = False
    depth = 0  # inside a [...] or {...} that goes on over lines
    last = window.start if window else 0
    scalar_indent: int | None = None
    for number, text in enumerate(lines[:last], start=1):
        stripped = _without_comment(text).rstrip()
        if not stripped.strip():
            continue
        was_inside = depth > 0
        depth = max(
            depth + sum(stripped.count(c) for c in "[{") - sum(stripped.count(c) for c in "]}"), 0
        )
        if was_inside:
            continue
        indent = len(text) - len(text.lstrip(" "))
        if scalar_indent is not None:
            if indent > scalar_indent:
                continue  # inside a block scalar (| or >)
            scalar_indent = None
        if indent > stack[-1]:
            if not opens and number >= first:
                return number, indent + 1, _indent_message(number, indent, stack[-1])
            stack.append(indent)
        else:
            while stack[-1] > indent:
                stack.pop()
            if stack[-1] != indent and number >= first:
                return number, indent + 1, _indent_message(number, indent, stack[-1])
        body = stripped.lstrip(" ")
        if body.startswith("- "):
            stack.append(indent + 2)  # the item's own keys line up after "- "
        opens = body.endswith(":") or body == "-"
        if re.search(r":\s*[|>][-+0-9]*$", stripped):
            scalar_indent, opens = indent, False
    return None


_FINDERS = (_tab, _full_width, _indentation)


def _indent_message(number: int, found: int, expected: int) -> Message:
    return Message(_INDENT, line=number, found=found, expected=expected)


def _by_problem(
    lines: list[str], line: int, column: int, problem: str
) -> tuple[int, int, Message] | None:
    if "could not find expected ':'" in problem:
        number = line - 1
        while number > 1 and not _without_comment(lines[number - 1]).strip():
            number -= 1
        indent = len(lines[number - 1]) - len(lines[number - 1].lstrip(" "))
        return number, indent + 1, Message(_NO_COLON, line=number)
    if "mapping values are not allowed here" in problem:
        return line, column, Message(_COLON_IN_VALUE, line=line)
    if any(words in problem for words in _OFF_INDENT) and 1 < line <= len(lines):
        found = _indent(lines[line - 1])
        above = line - 1
        while above > 1 and not _without_comment(lines[above - 1]).strip():
            above -= 1
        expected = _indent(lines[above - 1].replace("- ", "  ", 1))
        if found != expected:
            return line, found + 1, _indent_message(line, found, expected)
    return None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _without_comment(text: str) -> str:
    """The line without a trailing comment (a '#' after a space, outside quotes: enough for
    the lines these mistakes are on)."""
    match = re.search(r"(^|\s)#", text)
    return text[: match.start()] if match else text
