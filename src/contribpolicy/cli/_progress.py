"""``contribpolicy progress POLICY ROSTER PAYMENTS [--date D] [-o OUT]``: each village against
the plan's targets (三 and the attachment), as text, CSV or .xlsx, and charts (``--charts``)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from contribpolicy.cli._common import FAILED, OK, PROBLEMS, Streams, with_policy
from contribpolicy.cli._reports_common import add_report_inputs, read_inputs
from contribpolicy.errors import ContribPolicyError, InputError
from contribpolicy.model.policy import Policy
from contribpolicy.reports.notice import NoticeError
from contribpolicy.reports.progress import progress_of
from contribpolicy.reports.progress_out import progress_text, write_progress

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    progress = commands.add_parser("progress", help="villages against the plan's targets")
    add_report_inputs(progress)
    progress.add_argument(
        "--date", type=date.fromisoformat, help="the day to report on (default: today)"
    )
    progress.add_argument("-o", "--output", metavar="OUT", help="a .csv or .xlsx table")
    progress.add_argument(
        "--charts", metavar="STEM", help="write STEM-targets.png/.svg and STEM-daily.png/.svg"
    )
    progress.set_defaults(command=run)


@with_policy
def run(args: argparse.Namespace, streams: Streams, policy: Policy) -> int:
    try:
        roster, paid = read_inputs(policy, args, streams)
        report = progress_of(policy, roster, paid, args.date or date.today())
        streams.out.write(progress_text(report, args.lang))
        if args.output:
            write_progress(args.output, report, args.lang)
        if args.charts:
            from contribpolicy.reports.charts import write_charts

            Path(args.charts).parent.mkdir(parents=True, exist_ok=True)
            for path in write_charts(report, args.charts, args.lang):
                print(f"{path}", file=streams.err)
    except (InputError, NoticeError) as err:  # a file as a whole, or a village not on it
        print(f"error: {err}", file=streams.err)
        return PROBLEMS
    except (ContribPolicyError, OSError, ImportError) as err:
        print(f"error: {err}", file=streams.err)
        return FAILED
    # As batch: rows that could not be read are listed on stderr, and the report is still made.
    return OK
