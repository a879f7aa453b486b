"""A small hand-written roster and payments for the report tests, read as the CLI reads them."""

from __future__ import annotations

import io
from pathlib import Path

from contribpolicy.collection.payments import read_payments
from contribpolicy.engine.records import roster_columns
from contribpolicy.model.policy import Policy
from contribpolicy.reports.payments import Paid, paid_from
from contribpolicy.reports.people import EXTRA_COLUMNS, Roster, assess_roster
from contribpolicy.rosters.reader import RosterReader

HEADER = (
    "person_id,id_number,name,village,birth_date,residence,statuses,pension_tier,household_head"
)


def roster_of(policy: Policy, lines: str) -> Roster:
    text = HEADER + "\n" + lines
    reader = RosterReader(io.StringIO(text), (*roster_columns(policy), *EXTRA_COLUMNS))
    return assess_roster(policy, reader)


def paid_of(policy: Policy, tmp_path: Path, lines: str, roster: Roster | None = None) -> Paid:
    """Who paid, as the CLI reads it: in full against ``roster``'s dues when it is given."""
    path = tmp_path / "payments.csv"
    path.write_text("person_id,scheme,year,amount,date,channel,kind\n" + lines, "utf-8")
    payments = read_payments(str(path), policy)
    assert payments.problems == ()
    dues = roster.dues() if roster is not None else None
    return paid_from(payments.payments, policy.coverage_year, dues=dues)
