"""``contribpolicy reconcile POLICY ROSTER PAYMENTS -o OUT``: 钱表相符, to the fen.

One row per person, scheme and year, one per payment that matches nobody, each with one status;
the text summary (statuses, the balance per village and channel with each term, refunds) goes
to stdout. OUT is CSV or ``.xlsx`` (a sheet per status, and the summary) by its suffix;
``--problems FILE`` lists the rows of either input that could not be read or assessed. Exit 0
when everything balances and every person is paid or owes nothing, 1 when anything is to act on
(a status, a bad row, an imbalance), 2 when it could not run (docs/collection.md).
"""

from __future__ import annotations

import argparse
from typing import Any

from contribpolicy.cli._common import FAILED, PROBLEMS, Streams, add_lang_option, with_policy
from contribpolicy.errors import InputError, PluginError
from contribpolicy.model.policy import Policy
from contribpolicy.rosters._columns import load_column_map
from contribpolicy.rosters.reader import shown
from contribpolicy.support.atomic import atomic_writer
from contribpolicy.support.files import check_outputs


def register(commands: Any) -> None:
    command = commands.add_parser(
        "reconcile", help="reconcile payments with the roster's dues (钱表相符)"
    )
    command.add_argument("policy", metavar="POLICY")
    command.add_argument("roster", metavar="ROSTER", help="a CSV, .xlsx or .parquet roster")
    command.add_argument("payments", metavar="PAYMENTS", help="a CSV, .xlsx or .parquet file")
    command.add_argument(
        "-o", "--output", metavar="OUT", required=True, help="the .csv or .xlsx to write"
    )
    command.add_argument("--problems", metavar="FILE", help="write the unreadable rows to a CSV")
    command.add_argument("--summary", metavar="FILE", help="also write the text summary here")
    add_lang_option(command)
    for which in ("roster", "payments"):
        command.add_argument(
            f"--{which}-encoding", metavar="ENC", help=f"the {which} CSV's encoding"
        )
        command.add_argument(f"--{which}-sheet", metavar="NAME", help=f"the {which} worksheet")
        command.add_argument(
            f"--{which}-columns", metavar="MAP", help=f"a YAML map of the {which}'s own headers"
        )
    command.set_defaults(command=run)


@with_policy
def run(args: argparse.Namespace, streams: Streams, policy: Policy) -> int:
    from contribpolicy.collection import (
        PAYMENT_COLUMNS,
        FileOptions,
        reconcile_files,
        roster_fields,
    )
    from contribpolicy.collection._output import open_rows_output, render_summary, write_problems

    try:  # links and hard links resolved, every output, the policy too (support.files)
        check_outputs(
            {"-o": args.output, "--problems": args.problems, "--summary": args.summary},
            {"roster": args.roster, "payments": args.payments, "policy": args.policy},
        )
    except OSError as err:
        print(f"{shown(str(err.filename))}: error: {err.strerror}", file=streams.err)
        return FAILED
    name = args.roster
    try:
        options = {}
        for which, known in (("roster", roster_fields(policy)), ("payments", PAYMENT_COLUMNS)):
            columns = getattr(args, f"{which}_columns")
            options[which] = FileOptions(
                getattr(args, f"{which}_encoding"),
                getattr(args, f"{which}_sheet"),
                load_column_map(columns, known) if columns else None,
            )
        holder: list[Any] = []
        with open_rows_output(args.output, lambda: holder[0], args.lang) as write:
            summary = reconcile_files(
                policy,
                args.roster,
                args.payments,
                write=write,
                lang=args.lang,
                roster=options["roster"],
                payments=options["payments"],
            )
            holder.append(summary)
        text = render_summary(summary, args.lang, names=(args.policy, args.roster, args.payments))
        if args.problems:
            write_problems(args.problems, summary)
        if args.summary:
            with atomic_writer(args.summary) as out:
                out.write(text)
    except InputError as err:  # a file as a whole: its header, its encoding
        where = next(iter(getattr(err, "__notes__", ())), name)
        print(f"{shown(where)}: error: {shown(str(err))}", file=streams.err)
        return FAILED
    except (OSError, ImportError, PluginError) as err:
        where = getattr(err, "filename", None) or name
        print(f"{shown(str(where))}: error: {err}", file=streams.err)
        return FAILED
    streams.out.write(text)
    return summary.exit_code if summary.exit_code == 0 else PROBLEMS
