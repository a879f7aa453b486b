"""The 2025 Shancheng amounts as one plain hand-written function: the benchmark's yardstick.

This is what a developer would write without contribpolicy, numbers and all. It exists only
to measure the engine against, and to cross-check it on every benchmark row; the library
itself never contains a policy number.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

TIERS = {100: 30, 350: 30, 500: 60, 800: 80, 1000: 80, 3000: 80, 5000: 80, 8000: 80}
ASSISTANCE = frozenset(
    {"extreme_poverty", "dibao", "returned_to_poverty", "dibao_edge", "poverty_monitoring"}
)
SEVERE = frozenset({"disability_1", "disability_2"})
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
TRUE = frozenset({"1", "true", "是", "yes"})

Amounts = tuple[str, Decimal, Decimal, Decimal, Decimal]


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in TRUE)


def _age(birth: date) -> int:
    return max(0, 2025 - birth.year - ((birth.month, birth.day) > (1, 1)))


def pension(record: Mapping[str, Any], age: int, statuses: frozenset[str]) -> Amounts:
    if record.get("residence") not in ("local", "permit"):
        return ("ineligible", ZERO, ZERO, ZERO, ZERO)
    if _flag(record.get("employee_pension")) or _flag(record.get("student")):
        return ("ineligible", ZERO, ZERO, ZERO, ZERO)
    if not 16 <= age <= 59:
        return ("ineligible", ZERO, ZERO, ZERO, ZERO)
    raw = record.get("pension_tier")
    severe = bool(statuses & SEVERE)
    tier = int(raw) if raw not in (None, "") else (100 if severe else None)
    if tier is None or tier not in TIERS:
        return ("error", ZERO, ZERO, ZERO, ZERO)
    if tier == 100 and not (severe or statuses & ASSISTANCE):
        return ("error", ZERO, ZERO, ZERO, ZERO)
    individual = Decimal(tier)
    government = Decimal(TIERS[tier])
    if severe:
        individual -= 100
        government += 100
    return ("eligible", individual + ZERO, government + ZERO, ZERO, individual + government)


def medical(record: Mapping[str, Any], age: int, statuses: frozenset[str]) -> Amounts:
    if record.get("residence") not in ("local", "permit") or _flag(record.get("employee_medical")):
        return ("ineligible", ZERO, ZERO, ZERO, ZERO)
    relief = Decimal(0)
    if statuses & ASSISTANCE or age >= 70:
        relief = Decimal(400)
    elif age >= 60:
        relief = Decimal(200)
    left = Decimal(400) - relief
    raw = record.get("medical_sponsor")
    sponsor = min(Decimal(raw), left) if raw not in (None, "") else ZERO
    individual = left - sponsor
    government = Decimal(670) + relief
    return ("eligible", individual + ZERO, government + ZERO, sponsor + ZERO, Decimal(1070) + ZERO)


def assess(record: Mapping[str, Any]) -> dict[str, Amounts]:
    """Both schemes for one roster record (birth date as ISO text, or from the ID number)."""
    born = record.get("birth_date") or ""
    if not born:
        number = record["id_number"]
        born = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    age = _age(date.fromisoformat(born))
    raw = record.get("statuses") or ""
    statuses = frozenset(raw.split(";")) if isinstance(raw, str) else frozenset(raw)
    return {"pension": pension(record, age, statuses), "medical": medical(record, age, statuses)}
