"""A policy diff as GitHub-flavoured markdown, for a CI job summary ($GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from contribpolicy.diff._text import (
    MONEY_PARTS,
    TITLES,
    example_words,
    totals_cells,
    value_text,
)
from contribpolicy.diff.compare import Change, PolicyDiff, RuleChange
from contribpolicy.diff.impact import Impact
from contribpolicy.support.tables import numeric

__all__ = ["render_markdown"]


def _md(cell: str) -> str:
    return cell.replace("|", "\\|")


def _code(text: object) -> str:
    """Text from a policy or a roster as a code span nothing in it can end: the fence is one
    backtick longer than any run of backticks inside (a title with a backtick would otherwise
    close the span and put live markdown, a link, into a CI job summary). A code span shows
    its text as it is: no emphasis, HTML or autolink in it is read."""
    words = " ".join(str(text).split())
    if not words:
        return ""
    longest = max((len(run) for run in re.findall("`+", words)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if words.startswith("`") or words.endswith("`") else ""
    return f"{fence}{pad}{words}{pad}{fence}"


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    right = [index > 0 and all(numeric(row[index]) for row in rows) for index in range(len(header))]
    lines = ["| " + " | ".join(_md(cell) for cell in header) + " |"]
    lines.append("|" + "|".join("---:" if column else "---" for column in right) + "|")
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
    return lines


def render_markdown(diff: PolicyDiff, roster: str | None = None) -> str:
    """The diff as GitHub-flavoured markdown, for a CI job summary."""
    lines = [
        f"## Policy diff: {_code(diff.old.id)} {_code(diff.old.version)} → "
        f"{_code(diff.new.id)} {_code(diff.new.version)}",
        "",
    ]
    if diff.identical:
        lines += ["No differences.", ""]
    for name, changes in diff.sections.items():
        if changes:
            lines += [f"### {TITLES[name]}", ""]
            lines += [f"- {_code(change.path)}: {_md_change(change)}" for change in changes]
            lines.append("")
    if diff.rules:
        lines += ["### Rules", ""]
        lines += _md_table(
            ["status", "rule", "scheme", "kind", "cite", "what changed", "where"],
            [_md_rule(rule) for rule in diff.rules],
        )
        lines.append("")
    if diff.impact is not None:
        lines += _md_impact(diff.impact, roster or "the roster")
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_change(change: Change) -> str:
    """``change_phrase``'s words with each value a safe code span."""
    if change.kind == "added":
        return f"added {_code(value_text(change.new))}"
    if change.kind == "removed":
        return f"removed (was {_code(value_text(change.old))})"
    return f"{_code(value_text(change.old))} → {_code(value_text(change.new))}"


def _md_rule(rule: RuleChange) -> list[str]:
    what = "<br>".join(f"{_code(change.path)}: {_md_change(change)}" for change in rule.changes)
    where = rule.new_location or rule.old_location or ""
    cells = (rule.rule_id, rule.scheme, rule.kind, rule.cite, what, where)
    return [rule.status, *(_code(cell) for cell in cells[:4]), what, _code(where)]


def _md_impact(impact: Impact, roster: str) -> list[str]:
    lines = [
        f"### Impact on {_code(roster)}",
        "",
        f"{impact.rows} people: {impact.changed} with a change, {impact.unchanged} without; "
        f"rows that could not be assessed: {impact.malformed_before} before, "
        f"{impact.malformed_after} after.",
        "",
    ]
    lines += _md_table(
        ["scheme", "label", "individual due changes", "government share changes", "status changes"],
        [
            [
                _code(s.scheme),
                _code(s.label),
                str(s.individual_changed),
                str(s.government_changed),
                str(s.status_changed),
            ]
            for s in impact.schemes
        ],
    )
    header = ["eligible before", "after"]
    for part in MONEY_PARTS:
        header += [f"{part} before", "after", "change"]
    lines += ["", "#### Totals over eligible people", ""]
    lines += _md_table(
        ["scheme", *header],
        [[_code(s.scheme), *totals_cells(s.before, s.after)] for s in impact.schemes],
    )
    moves = [
        f"- {_code(s.scheme)}: {move}: {n}"
        for s in impact.schemes
        for move, n in s.transitions.items()
    ]
    if moves:
        lines += ["", "#### Status changes", "", *moves]
    examples = [f"- {_code(example_words(e))}" for s in impact.schemes for e in s.examples]
    if examples:
        lines += ["", "#### Examples", "", *examples]
    for scheme in impact.schemes:
        lines += ["", f"#### By village: {_code(scheme.scheme)} ({_code(scheme.label)})", ""]
        rows = [
            [
                _code(v.village) or "(none)",
                str(v.rows),
                *totals_cells(v.before[scheme.scheme], v.after[scheme.scheme]),
            ]
            for v in impact.villages
        ]
        rows.append(["total", str(impact.rows), *totals_cells(scheme.before, scheme.after)])
        lines += _md_table(["village", "people", *header], rows)
    return [*lines, ""]
