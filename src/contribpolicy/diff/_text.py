"""A policy diff as plain text, for a finance officer's terminal: what changed, then what it
costs, scheme by scheme and village by village, Chinese names aligned.

The text, markdown (``_diff_markdown``) and JSON (``PolicyDiff.to_dict``) views are all rendered
from the same ``PolicyDiff`` data, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from contribpolicy.diff.compare import MISSING, Change, PolicyDiff, PolicyRef, RuleChange
from contribpolicy.diff.impact import Impact, PersonChange, SchemeImpact, Totals
from contribpolicy.model.results import ELIGIBLE
from contribpolicy.support.tables import group_line, text_table

__all__ = ["render_text"]

TITLES = {
    "metadata": "Metadata",
    "inputs": "Inputs (what a person record may say)",
    "conditions": "Named conditions",
    "schemes": "Schemes",
    "collection": "Collection plan",
    "targets": "Targets",
    "reference_counts": "Reference head counts",
}
MONEY_PARTS = ("individual", "government", "total")


def value_text(value: Any) -> str:
    """A value in one line, as it would be written in the policy."""
    if value is MISSING:
        return "—"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {value_text(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(value_text(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def change_phrase(change: Change, quote: str = "", arrow: str = "->") -> str:
    """What happened to one value, in the words both the text and markdown reports use."""
    if change.kind == "added":
        return f"added {quote}{value_text(change.new)}{quote}"
    if change.kind == "removed":
        return f"removed (was {quote}{value_text(change.old)}{quote})"
    old, new = value_text(change.old), value_text(change.new)
    return f"{quote}{old}{quote} {arrow} {quote}{new}{quote}"


def _change_words(change: Change) -> str:
    return f"{change.path}: {change_phrase(change)}"


def _signed(amount: Decimal) -> str:
    return f"+{amount}" if amount > 0 else str(amount)


def _ref(ref: PolicyRef) -> str:
    layers = " <- ".join(str(layer) for layer in ref.layers)
    return f"{ref.id} {ref.version}  {ref.title}  ({layers})"


def _rule_head(rule: RuleChange) -> str:
    where = rule.new_location or rule.old_location
    return f"{rule.status:<8} {rule.rule_id}  [{rule.scheme}, {rule.kind}, {rule.cite}]  {where}"


def render_text(diff: PolicyDiff, roster: str | None = None) -> str:
    """The whole diff, and the roster impact if there is one, as plain text."""
    lines = ["Policy diff", f"  old: {_ref(diff.old)}", f"  new: {_ref(diff.new)}", ""]
    if diff.identical:
        lines += ["No differences: the two policies have the same rules and values.", ""]
    for name, changes in diff.sections.items():
        if changes:
            lines.append(TITLES[name])
            lines += [f"  {_change_words(change)}" for change in changes]
            lines.append("")
    if diff.rules:
        lines.append("Rules")
        for rule in diff.rules:
            lines.append("  " + _rule_head(rule))
            lines += [f"      {_change_words(change)}" for change in rule.changes]
        lines.append("")
    if diff.impact is not None:
        lines += _impact_text(diff.impact, roster or "the roster")
    return "\n".join(lines).rstrip("\n") + "\n"


def _impact_text(impact: Impact, roster: str) -> list[str]:
    lines = [
        f"Impact on {roster}",
        f"  {impact.rows} people: {impact.changed} with a change, {impact.unchanged} without; "
        f"rows that could not be assessed: {impact.malformed_before} before, "
        f"{impact.malformed_after} after",
        "",
    ]
    table = [["scheme", "", "individual due", "government share", "status"]]
    table += [
        [
            s.scheme,
            s.label,
            *map(str, (s.individual_changed, s.government_changed, s.status_changed)),
        ]
        for s in impact.schemes
    ]
    lines += ["People whose amount or status changes", *text_table(table, indent=2), ""]
    moves = [(s.scheme, move, n) for s in impact.schemes for move, n in s.transitions.items()]
    if moves:
        lines.append("Status changes")
        lines += [f"  {scheme}: {move}: {count}" for scheme, move, count in moves]
        lines.append("")
    lines += ["Totals over eligible people, before -> after", *_totals_text(impact.schemes), ""]
    examples = [example for scheme in impact.schemes for example in scheme.examples]
    if examples:
        lines.append("Examples")
        lines += [f"  {example_words(example)}" for example in examples]
        lines.append("")
    for scheme in impact.schemes:
        lines += [f"By village: {scheme.scheme} ({scheme.label})", *_village_text(impact, scheme)]
        lines.append("")
    return lines


def totals_cells(before: Totals, after: Totals) -> list[str]:
    cells = [str(before.eligible), str(after.eligible)]
    for part in MONEY_PARTS:
        old, new = getattr(before, part), getattr(after, part)
        cells += [str(old), str(new), _signed(new - old)]
    return cells


def _money_header(first: Sequence[str]) -> tuple[list[str], dict[int, str]]:
    header = [*first, "before", "after"]
    groups = {len(first): "eligible"}
    for part in MONEY_PARTS:
        groups[len(header)] = part
        header += ["before", "after", "change"]
    return header, groups


def _totals_text(schemes: Sequence[SchemeImpact]) -> list[str]:
    header, groups = _money_header(["scheme"])
    table = [header] + [[s.scheme, *totals_cells(s.before, s.after)] for s in schemes]
    return [group_line(table, groups, indent=2), *text_table(table, indent=2)]


def _village_text(impact: Impact, scheme: SchemeImpact) -> list[str]:
    header, groups = _money_header(["village", "people"])
    table = [header]
    for village in impact.villages:
        cells = totals_cells(village.before[scheme.scheme], village.after[scheme.scheme])
        table.append([village.village or "(none)", str(village.rows), *cells])
    table.append(["total", str(impact.rows), *totals_cells(scheme.before, scheme.after)])
    return [group_line(table, groups, indent=2), *text_table(table, indent=2)]


def _outcome(change: PersonChange, side: str) -> str:
    outcome = change.old if side == "old" else change.new
    if outcome.status != ELIGIBLE:
        return outcome.status
    return f"pays {outcome.individual}, government {outcome.government}"


def example_words(change: PersonChange) -> str:
    village = f" {change.village}" if change.village else ""
    return (
        f"{change.scheme}: {change.person_id}{village} (line {change.line}): "
        f"{_outcome(change, 'old')} -> {_outcome(change, 'new')}"
    )
