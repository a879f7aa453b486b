"""The inputs of the browser tests: the example roster with its payments, and a long village
with the names and families that stress a page."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from contribpolicy.collection.payments import Payment, read_payments
from contribpolicy.model.policy import Policy
from contribpolicy.reports.payments import Paid, paid_from
from contribpolicy.reports.people import Roster

ROOT = Path(__file__).resolve().parent.parent
ROSTER = ROOT / "examples" / "roster-2025.csv"
#: issue 13's example payments once they ship; until then payments made up here.
PAYMENTS = ROOT / "examples" / "payments-2025.csv"

_SURNAMES = ["欧阳", "司马", "诸葛", "张", "王", "李", "赵", "钱", "孙", "周", "吴", "郑"]
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂"
_STATUSES = ["", "", "", "dibao", "disability_1", "extreme_poverty", "poverty_monitoring"]


def paid_for(policy: Policy, path: Path | None, roster: Roster) -> Paid:
    """The example payments, or three in four people paid on a day of the window."""
    if path is not None and path.exists():
        by_id = {p.id_number.upper(): p.person_id for p in roster.people if p.id_number}
        return paid_from(read_payments(str(path), policy).payments, policy.coverage_year, by_id)
    chance = random.Random(2025)
    payments = [
        Payment(
            scheme,
            policy.coverage_year,
            assessed.total,
            date(2024, 10, 11) + timedelta(days=chance.randrange(82)),
            "agent",
            person_id=person.person_id,
        )
        for person in roster.people
        for scheme, assessed in person.assessment.items()
        if chance.random() < 0.75
    ]
    return paid_from(payments, policy.coverage_year)


def hard_roster(path: Path) -> None:
    """70 people of one village: heads with children under 14, every name length."""
    chance = random.Random(14)
    rows = []
    for index in range(70):
        surname = chance.choice(_SURNAMES)
        given = "".join(chance.choice(_GIVEN) for _ in range(chance.choice([1, 2, 2, 3])))
        child = index % 5 in (3, 4)
        born = date(2013, 6, 1) if child else date(1950 + chance.randrange(50), 3, 1)
        head = f"H{index - index % 5 + 1:03d}" if child else ""
        rows.append(
            {
                "person_id": f"H{index + 1:03d}",
                "name": surname + given,
                "village": "驳山头村",
                "birth_date": born.isoformat(),
                "residence": "local",
                "statuses": "" if child else chance.choice(_STATUSES),
                "pension_tier": "" if child else chance.choice(["100", "350", "500", "1000"]),
                "household_head": head,
            }
        )
    rows = [{**row, "pension_tier": _allowed(row)} for row in rows]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _allowed(row: dict[str, str]) -> str:
    """The 100 tier only for hardship groups (五（一）); others choose 350."""
    if row["pension_tier"] == "100" and not row["statuses"]:
        return "350"
    return row["pension_tier"]
