"""Reading the ``coverage`` section: when cover starts, per scheme, checked for sense at load.

The numbers (3 fixed months, 1 per further year of break, 6 at least after 4 years, 90 days for
newborns) are the medical insurance rules the plan defers to (五（二）, 国办发〔2024〕38号); they
are data so that a locality reading them otherwise changes YAML, not code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from contribpolicy.format._messages import ID_TWICE, UNKNOWN_SCHEME, unknown_period
from contribpolicy.i18n import Message
from contribpolicy.model.conditions import Condition
from contribpolicy.model.parts import CoverageRules, ExemptGroup, SchemeCoverage, WaitingPeriod

__all__ = ["coverage_rules_of"]

#: report(pointer, message, code)
Report = Callable[[str, str, str], None]
Compile = Callable[[Mapping[str, Any], str], Condition]


def coverage_rules_of(data: Mapping[str, Any], report: Report, compile_: Compile) -> CoverageRules:
    section = data.get("coverage")
    if section is None:
        return CoverageRules()
    schemes = {}
    for name, item in section.get("schemes", {}).items():
        pointer = f"/coverage/schemes/{name}"
        if name not in data["schemes"]:
            declared = ", ".join(data["schemes"])
            report(
                pointer,
                Message(UNKNOWN_SCHEME, name=name, declared=declared),
                "semantic.unknown-scheme",
            )
        schemes[name] = _scheme(
            data, name, item=item, pointer=pointer, report=report, compile_=compile_
        )
    return CoverageRules(schemes, section.get("cite"))


def _scheme(
    data: Mapping[str, Any],
    name: str,
    *,
    item: Mapping[str, Any],
    pointer: str,
    report: Report,
    compile_: Compile,
) -> SchemeCoverage:
    periods = [period["id"] for period in data.get("collection", {}).get("periods", [])]
    if item["period"] not in periods:
        report(
            f"{pointer}/period",
            unknown_period(item["period"], periods),
            "semantic.unknown-period",
        )
    newborn = item.get("newborn")
    exempt = item.get("exempt", [])
    seen: set[str] = set()
    for index, group in enumerate(exempt):
        if group["id"] in seen:
            message = Message(ID_TWICE, id=group["id"])
            report(f"{pointer}/exempt/{index}/id", message, "semantic.duplicate-id")
        seen.add(group["id"])
    return SchemeCoverage(
        scheme=name,
        period=item["period"],
        waiting=_waiting(item["waiting"]),
        cite=item["cite"],
        newborn_days=newborn["days"] if newborn else None,
        newborn_cite=newborn["cite"] if newborn else None,
        exempt=tuple(
            ExemptGroup(
                group["id"],
                group["label"],
                compile_(group["when"], f"{pointer}/exempt/{index}/when"),
                group["cite"],
            )
            for index, group in enumerate(exempt)
        ),
    )


def _waiting(item: Mapping[str, Any]) -> WaitingPeriod:
    floor = item.get("floor")
    return WaitingPeriod(
        fixed_months=item["fixed_months"],
        variable_months_per_break_year=item["variable_months_per_break_year"],
        cite=item["cite"],
        break_years_free=item.get("break_years_free", 1),
        break_years_counted_from=item.get("break_years_counted_from"),
        back_payment_months_per_year=item.get("back_payment_months_per_year", 0),
        floor_after_break_years=floor["after_break_years"] if floor else None,
        floor_months=floor["min_months"] if floor else 0,
    )
