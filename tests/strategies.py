"""Hypothesis strategies for person records over the 2025 policy's vocabulary.

Records are plain mappings, the form a roster row takes. Birth dates are drawn mostly around the
ages where a rule changes (0, 16, 60, 70 on 2025-01-01) and otherwise anywhere the policy accepts;
tiers are mostly offered ones, sometimes ones the plan does not offer, sometimes missing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

REFERENCE = date(2025, 1, 1)
_POLICY = Path(__file__).resolve().parent.parent / "policies" / "2025.yaml"

ASSISTANCE = ("extreme_poverty", "dibao", "returned_to_poverty", "dibao_edge", "poverty_monitoring")
DISABILITY = ("disability_1", "disability_2", "disability_3", "disability_4")
STATUSES = ASSISTANCE + DISABILITY
RESIDENCES = ("local", "permit", "none")
FLAGS = ("employee_pension", "employee_medical", "student")
#: The 2025 plan's pension tiers, read from the policy (五（一）): never written here again.
OFFERED_TIERS: tuple[int, ...] = tuple(
    next(
        rule["tiers"]
        for rule in yaml.safe_load(_POLICY.read_bytes())["schemes"]["pension"]["rules"]
        if rule["id"] == "pension-tier"
    )
)
#: Whole numbers a roster might hold that are not tiers of the plan.
INVALID_TIERS = (0, 50, 200, 400, 600, 2000, 10000)
#: Ages at which some rule of the plan starts or stops applying.
BOUNDARY_AGES = (0, 1, 15, 16, 17, 45, 59, 60, 61, 69, 70, 71)


def _boundary_dates() -> list[date]:
    """For each boundary age: the birthdays on, a day after and a day before the reference date."""
    found: set[date] = set()
    for age in BOUNDARY_AGES:
        birthday = REFERENCE.replace(year=REFERENCE.year - age)
        found.update({birthday, birthday + timedelta(days=1), birthday - timedelta(days=1)})
    # a newborn during the coverage year, and the leap day
    found.update({date(2025, 3, 1), date(2025, 12, 31), date(1960, 2, 29)})
    return sorted(day for day in found if day.year <= REFERENCE.year)


BOUNDARY_DATES = _boundary_dates()

birth_dates: st.SearchStrategy[date] = st.one_of(
    st.sampled_from(BOUNDARY_DATES),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
)

statuses: st.SearchStrategy[list[str]] = st.lists(
    st.sampled_from(STATUSES), unique=True, max_size=len(STATUSES)
)

tiers: st.SearchStrategy[int | None] = st.one_of(
    st.sampled_from(OFFERED_TIERS),
    st.sampled_from(INVALID_TIERS),
    st.none(),
)

sponsors: st.SearchStrategy[Decimal | None] = st.one_of(
    st.none(),
    st.sampled_from([Decimal("0.00"), Decimal("200.00"), Decimal("400.00"), Decimal("400.01")]),
    st.decimals(
        min_value=Decimal("0.00"),
        max_value=Decimal("2000.00"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    ),
)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A valid person record; flags that are not set are sometimes left out altogether."""
    born = draw(birth_dates)
    record: dict[str, Any] = {
        "person_id": draw(st.from_regex(r"[A-Za-z0-9-]{1,12}", fullmatch=True)),
        "name": draw(st.sampled_from(["", "张三", "李四"])),
        "village": draw(st.sampled_from(["", "王峪村", "花泉社区"])),
        "birth_date": draw(st.sampled_from([born, born.isoformat()])),
        "residence": draw(st.sampled_from(RESIDENCES)),
        "statuses": draw(statuses),
        "pension_tier": draw(tiers),
        "medical_sponsor": draw(sponsors),
    }
    for flag in FLAGS:
        value = draw(st.booleans())
        if value or draw(st.booleans()):
            record[flag] = value
    if draw(st.booleans()):  # optional: years paid decide a 60+ referral (READING 四, added)
        record["pension_years_paid"] = draw(st.none() | st.integers(min_value=0, max_value=30))
    return record
