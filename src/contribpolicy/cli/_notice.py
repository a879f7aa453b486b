"""``contribpolicy notice POLICY ROSTER PAYMENTS --village V -o OUT``: the public notice (公示).

``OUT`` ending in ``.html`` or ``.xlsx`` is one village's notice (``--village``); a folder
(``--all``) gets one ``.html`` per village, ``all.html`` with every village (to print at
once) and ``notices.xlsx`` with a sheet per village.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from contribpolicy.cli._common import FAILED, OK, PROBLEMS, Streams, with_policy
from contribpolicy.cli._reports_common import add_report_inputs, read_inputs
from contribpolicy.errors import ContribPolicyError, InputError
from contribpolicy.model.policy import Policy
from contribpolicy.reports.notice import NoticeError, village_notice
from contribpolicy.reports.notice_html import render_notice_html, render_notices_html
from contribpolicy.reports.notice_xlsx import write_notice_xlsx
from contribpolicy.support.atomic import atomic_writer

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    notice = commands.add_parser("notice", help="the public notice (公示) of a village's payments")
    # A notice is posted in a Chinese village: Chinese unless asked otherwise.
    add_report_inputs(notice, lang="zh")
    which = notice.add_mutually_exclusive_group(required=True)
    which.add_argument("--village", metavar="V", help="the village whose notice to write")
    which.add_argument("--all", action="store_true", help="every village, into the folder OUT")
    notice.add_argument(
        "-o", "--output", metavar="OUT", required=True, help=".html, .xlsx or a folder"
    )
    notice.set_defaults(command=run)


@with_policy
def run(args: argparse.Namespace, streams: Streams, policy: Policy) -> int:
    try:
        for path in (args.roster, args.payments):
            if Path(path).resolve() == Path(args.output).resolve():
                raise ContribPolicyError(f"{args.output}: the output would overwrite an input")
        roster, paid = read_inputs(policy, args, streams)
        villages = roster.villages() if args.all else [args.village]
        notices = [village_notice(policy, roster, village, paid) for village in villages]
        if args.all:
            folder = Path(args.output)
            folder.mkdir(parents=True, exist_ok=True)
            for index, notice in enumerate(notices, start=1):
                _html(folder / f"{index:02d}-{_file_name(notice.village)}.html", notice, args)
            with atomic_writer(folder / "all.html") as out:
                out.write(render_notices_html(notices, args.lang))
            write_notice_xlsx(folder / "notices.xlsx", notices, args.lang)
        elif args.output.lower().endswith(".xlsx"):
            write_notice_xlsx(args.output, notices, args.lang)
        else:
            _html(Path(args.output), notices[0], args)
    except (InputError, NoticeError) as err:  # a file as a whole, or a village not on it
        print(f"error: {err}", file=streams.err)
        return PROBLEMS
    except (ContribPolicyError, OSError, ImportError) as err:
        print(f"error: {err}", file=streams.err)
        return FAILED
    print(f"{args.output}: {len(notices)} notice(s)", file=streams.err)
    # As batch: rows that could not be read are listed on stderr, and the report is still made.
    return OK


def _html(path: Path, notice: Any, args: argparse.Namespace) -> None:
    with atomic_writer(path) as out:
        out.write(render_notice_html(notice, args.lang))


def _file_name(village: str) -> str:
    """A file name from a village name: path separators and controls replaced."""
    return "".join(
        "_" if char in '/\\:*?"<>|' or not char.isprintable() else char for char in village
    )
