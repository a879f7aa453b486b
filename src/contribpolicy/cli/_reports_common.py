"""What ``notice`` and ``progress`` share: reading the roster and the payments for a report."""

from __future__ import annotations

import argparse
from typing import Any

from contribpolicy.cli._common import Streams, add_roster_options
from contribpolicy.collection.payments import read_payments
from contribpolicy.engine.records import roster_columns
from contribpolicy.i18n import DEFAULT_LANGUAGE, LANGUAGES
from contribpolicy.model.policy import Policy
from contribpolicy.reports.payments import Paid, paid_from
from contribpolicy.reports.people import EXTRA_COLUMNS, Roster, assess_roster
from contribpolicy.rosters._columns import load_column_map
from contribpolicy.rosters._formats import open_roster

__all__ = ["add_report_inputs", "read_inputs"]


def add_report_inputs(parser: Any, *, lang: str = DEFAULT_LANGUAGE) -> None:
    """The inputs of a report; ``lang`` is the default language (a notice's is Chinese)."""
    parser.add_argument("policy", metavar="POLICY")
    parser.add_argument("roster", metavar="ROSTER", help="a CSV, .xlsx or .parquet roster")
    parser.add_argument("payments", metavar="PAYMENTS", help="the payments file (CSV)")
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=lang,
        help=f"the language people read in the output (default: {lang})",
    )
    add_roster_options(parser)


def read_inputs(policy: Policy, args: argparse.Namespace, streams: Streams) -> tuple[Roster, Paid]:
    """The assessed roster and who paid; malformed roster and payment rows on stderr."""
    known = (*roster_columns(policy), *EXTRA_COLUMNS)
    column_map = load_column_map(args.columns, known) if args.columns else None
    with open_roster(
        args.roster, known, encoding=args.encoding, sheet=args.sheet, column_map=column_map
    ) as source:
        roster = assess_roster(policy, source.reader)
    for error in roster.malformed:
        print(f"{args.roster}:{error}", file=streams.err)
    payments = read_payments(args.payments, policy)
    for error in payments.problems:
        print(f"{args.payments}:{error}", file=streams.err)
    by_id = {
        person.id_number.upper(): person.person_id for person in roster.people if person.id_number
    }
    if roster.malformed or payments.problems:
        print(
            f"{len(roster.malformed)} roster rows and {len(payments.problems)} payment rows "
            "could not be read; the report leaves them out",
            file=streams.err,
        )
    return roster, paid_from(payments.payments, policy.coverage_year, by_id, roster.dues())
