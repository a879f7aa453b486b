"""Copies of the bundled policy with one planted change, and where in the text a change sits.

Tests plant a mistake by replacing an exact snippet of ``policies/2025.yaml`` (which must occur
exactly once, so an edit of the policy breaks the test loudly instead of silently planting
nothing) and compute the expected line and column from the edited text, never hard-coding them.
"""

from __future__ import annotations

from pathlib import Path

import contribpolicy

POLICY_2025 = Path(__file__).resolve().parent.parent / "policies" / "2025.yaml"
POLICY_TEXT = POLICY_2025.read_text("utf-8")

#: An issue as tests compare it: (pointer, line, column, code).
IssueKey = tuple[str, int | None, int | None, str]


def replace_once(text: str, old: str, new: str) -> str:
    """``text`` with the single occurrence of ``old`` replaced by ``new``."""
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times in the policy, expected exactly once"
    return text.replace(old, new)


def edit(*replacements: tuple[str, str], text: str = POLICY_TEXT) -> str:
    """The policy text with each (old, new) replacement applied in turn."""
    for old, new in replacements:
        text = replace_once(text, old, new)
    return text


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    """Write a policy text to ``tmp_path`` and return its path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def position(text: str, anchor: str, part: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of ``part`` inside the unique ``anchor`` (or of ``anchor`` itself).

    Columns count characters, as YAML marks do, not bytes.
    """
    count = text.count(anchor)
    assert count == 1, f"{anchor!r} occurs {count} times, expected exactly once"
    offset = text.index(anchor)
    if part is not None:
        assert anchor.count(part) == 1, f"{part!r} must occur once in {anchor!r}"
        offset += anchor.index(part)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def load_text(
    tmp_path: Path, text: str, registry: contribpolicy.Registry | None = None
) -> contribpolicy.Policy:
    """Write ``text`` to a file and load it with ``load_policy``."""
    return contribpolicy.load_policy(write(tmp_path, text), registry=registry)


def issues_of(
    tmp_path: Path, text: str, registry: contribpolicy.Registry | None = None
) -> tuple[contribpolicy.PolicyIssue, ...]:
    """The issues ``load_policy`` reports for ``text``; fails the test if it loads."""
    path = write(tmp_path, text)
    try:
        contribpolicy.load_policy(path, registry=registry)
    except contribpolicy.PolicyError as err:
        for issue in err.issues:
            assert issue.location.file == str(path), issue
        return err.issues
    raise AssertionError("the policy loaded, but a mistake was planted in it")


def keys(issues: tuple[contribpolicy.PolicyIssue, ...]) -> list[IssueKey]:
    """The (pointer, line, column, code) of each issue, in reported order."""
    return [
        (issue.location.pointer, issue.location.line, issue.location.column, issue.code)
        for issue in issues
    ]
