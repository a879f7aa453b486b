"""The parts of a plan that are data but not amounts: collection periods, channels, targets,
reference head counts. Kept in the policy so that every number of the plan lives in one file
(and a yearly diff shows it), checked for sense when the policy loads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from contribpolicy.format._coverage_data import coverage_rules_of

# The cover rules are plan data too (五（二）), read in a module of their own.
from contribpolicy.format._messages import EMPTY_AGES, ID_TWICE, UNKNOWN_SCHEME, unknown_period
from contribpolicy.i18n import N_, Message
from contribpolicy.model.parts import (
    Channel,
    Collection,
    IdMasking,
    NameMasking,
    Notice,
    Period,
    ReferenceCounts,
    Target,
)

__all__ = [
    "collection_of",
    "coverage_rules_of",
    "notice_of",
    "reference_counts_of",
    "targets_of",
]

_PERIOD_ENDS_FIRST = N_("period ends on {end}, before it starts on {start}")
#: report(pointer, message, code)
Report = Callable[[str, str, str], None]


def _known_scheme(data: Mapping[str, Any], name: str, pointer: str, report: Report) -> None:
    if name not in data["schemes"]:
        declared = ", ".join(data["schemes"])
        message = Message(UNKNOWN_SCHEME, name=name, declared=declared)
        report(pointer, message, "semantic.unknown-scheme")


def _unique_ids(items: list[Mapping[str, Any]], pointer: str, report: Report) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item["id"] in seen:
            report(
                f"{pointer}/{index}/id", Message(ID_TWICE, id=item["id"]), "semantic.duplicate-id"
            )
        seen.add(item["id"])


def _period(
    data: Mapping[str, Any], item: Mapping[str, Any], pointer: str, report: Report
) -> Period:
    start, end = date.fromisoformat(item["start"]), date.fromisoformat(item["end"])
    if end < start:
        report(
            f"{pointer}/end",
            Message(_PERIOD_ENDS_FIRST, end=end, start=start),
            "semantic.empty-range",
        )
    for index, scheme in enumerate(item.get("schemes", [])):
        _known_scheme(data, scheme, f"{pointer}/schemes/{index}", report)
    return Period(
        item["id"],
        item["label"],
        start,
        end,
        item["cite"],
        tuple(item.get("schemes", [])),
        item.get("note"),
    )


def collection_of(data: Mapping[str, Any], report: Report) -> Collection:
    section = data.get("collection", {})
    periods = section.get("periods", [])
    channels = section.get("channels", [])
    _unique_ids(periods, "/collection/periods", report)
    _unique_ids(channels, "/collection/channels", report)
    return Collection(
        tuple(
            _period(data, item, f"/collection/periods/{i}", report)
            for i, item in enumerate(periods)
        ),
        tuple(
            Channel(item["id"], item["label"], item["cite"], item.get("note")) for item in channels
        ),
        section.get("cite"),
    )


def targets_of(data: Mapping[str, Any], report: Report) -> tuple[Target, ...]:
    items = data.get("targets", [])
    _unique_ids(items, "/targets", report)
    targets = []
    for index, item in enumerate(items):
        pointer = f"/targets/{index}"
        _known_scheme(data, item["scheme"], f"{pointer}/scheme", report)
        age = item.get("age", {})
        if age.get("min") is not None and age.get("max") is not None and age["min"] > age["max"]:
            report(
                f"{pointer}/age",
                Message(EMPTY_AGES, low=age["min"], high=age["max"]),
                "semantic.empty-range",
            )
        targets.append(
            Target(
                item["id"],
                item["label"],
                item["scheme"],
                item["measure"],
                Decimal(item["rate"]),
                item["cite"],
                age.get("min"),
                age.get("max"),
                item.get("note"),
            )
        )
    return tuple(targets)


def reference_counts_of(data: Mapping[str, Any], report: Report) -> ReferenceCounts | None:
    section = data.get("reference_counts")
    if section is None:
        return None
    _known_scheme(data, section["scheme"], "/reference_counts/scheme", report)
    return ReferenceCounts(
        section["label"],
        section["cite"],
        section["scheme"],
        dict(section["counts"]),
        section.get("note"),
    )


def notice_of(data: Mapping[str, Any], report: Report) -> Notice | None:
    """The notice settings; its period must be one of the collection periods and its amounts
    name known schemes (whether a mask shows a birth date is ``check``'s, with its reason)."""
    section = data.get("notice")
    if section is None:
        return None
    periods = [item["id"] for item in data.get("collection", {}).get("periods", [])]
    if section["period"] not in periods:
        report(
            "/notice/period",
            unknown_period(section["period"], periods),
            "semantic.unknown-period",
        )
    for name in section.get("amounts", {}):
        _known_scheme(data, name, f"/notice/amounts/{name}", report)
    masking = section["masking"]
    name, id_number = masking["name"], masking["id_number"]
    return Notice(
        cite=section["cite"],
        issuer=section["issuer"],
        period=section["period"],
        mask=masking.get("mask", "*"),
        name=NameMasking(
            name["keep_surname"],
            name["keep_last"],
            frozenset(masking.get("compound_surnames", ())),
        ),
        id_number=IdMasking(
            id_number["keep_first"], id_number["keep_last"], id_number.get("hidden")
        ),
        child_age=section["children"]["under_age"],
        children=section["children"]["show"],
        rows_per_page=section.get("rows_per_page", 30),
        sign_offs=tuple(section.get("sign_offs", ())),
        amounts=dict(section.get("amounts", {})),
    )
