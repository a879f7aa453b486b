"""Payments for the example roster, for `make demo` until issue 13's examples/payments-2025.csv
ships: three in four people pay each scheme they are due, on a day of the collection window.

    python tools/demo_payments.py policies/2025.yaml examples/roster-2025.csv OUT.csv

Deterministic (a fixed seed): the same roster gives the same file.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta

from contribpolicy.engine.records import roster_columns
from contribpolicy.format.loader import load_policy
from contribpolicy.reports.people import EXTRA_COLUMNS, assess_roster
from contribpolicy.rosters._formats import open_roster
from contribpolicy.support.atomic import atomic_writer

#: The concentrated payment phase of the 2025 plan (七（二）): 2024-10-11 and 81 days on.
_FIRST_DAY, _DAYS = date(2024, 10, 11), 82


def main(argv: list[str]) -> int:
    policy_path, roster_path, out = argv
    policy = load_policy(policy_path)
    with open_roster(roster_path, (*roster_columns(policy), *EXTRA_COLUMNS)) as source:
        roster = assess_roster(policy, source.reader)
    chance = random.Random(2025)
    with atomic_writer(out) as stream:
        writer = csv.writer(stream)
        writer.writerow(["person_id", "scheme", "year", "amount", "date", "channel", "kind"])
        for person in roster.people:
            for scheme, assessed in person.assessment.items():
                if assessed.status != "eligible" or chance.random() >= 0.75:
                    continue
                day = _FIRST_DAY + timedelta(days=chance.randrange(_DAYS))
                amount = assessed.individual + assessed.sponsor or assessed.total
                channel = "agent" if assessed.individual else "government"
                year = policy.coverage_year
                writer.writerow([person.person_id, scheme, year, amount, day, channel, "regular"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
