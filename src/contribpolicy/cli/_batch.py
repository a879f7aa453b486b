"""``contribpolicy batch POLICY ROSTER -o OUT``: every roster row assessed, then a summary.

``-o OUT`` and ``--summary-json`` are written to temporary files and renamed into place only
when complete, so an interrupted run (Ctrl-C, a killed process, a full disk) leaves the previous
files as they were, never a truncated one that looks finished. Without ``-o`` the rows stream
to stdout as they are assessed, and that cannot be undone.
"""

from __future__ import annotations

import argparse
import csv
import json
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from .._atomic import atomic_writer
from .._summary_text import render_summary
from ..batch import BatchSummary, run_batch
from ..errors import InputError, PluginError
from ..model import Policy
from ..person import DEFAULT_RECORD_LIMITS, RecordLimits
from ..roster import RosterReader, check_not_binary, output_columns, roster_columns, shown
from ._common import FAILED, OK, PROBLEMS, Streams, load_for_command


def register(commands: Any) -> None:
    batch = commands.add_parser("batch", help="assess every row of a roster CSV")
    batch.add_argument("policy", metavar="POLICY")
    batch.add_argument("roster", metavar="ROSTER", help="a UTF-8 CSV; '-' reads stdin")
    batch.add_argument("-o", "--output", metavar="OUT", help="the CSV to write (default stdout)")
    batch.add_argument("--summary-json", metavar="FILE", help="also write the summary as JSON")
    batch.add_argument(
        "--bom", action="store_true", help="start the CSV with a BOM so Excel reads it as UTF-8"
    )
    batch.add_argument(
        "--max-amount",
        metavar="AMOUNT",
        type=_amount,
        default=DEFAULT_RECORD_LIMITS.max_amount,
        help="the largest amount input (a sponsorship) one row may hold "
        f"(default {DEFAULT_RECORD_LIMITS.max_amount}); larger ones are error rows",
    )
    batch.set_defaults(command=run)


def _amount(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not an amount: {text!r}") from None
    if not amount.is_finite() or amount < 0:
        raise argparse.ArgumentTypeError(f"not an amount of at least 0: {text!r}")
    return amount


def run(args: argparse.Namespace, streams: Streams) -> int:
    policy = load_for_command(args.policy, streams)
    if isinstance(policy, int):
        return policy
    name = "<stdin>" if args.roster == "-" else args.roster
    try:
        summary = _batch_file(policy, args, streams)
    except InputError as err:  # the file as a whole: its header, its encoding
        print(f"{shown(name)}: error: {shown(str(err))}", file=streams.err)
        return PROBLEMS
    except OSError as err:
        print(f"{shown(str(err.filename or name))}: {err.strerror or err}", file=streams.err)
        return FAILED
    except PluginError as err:  # a rule kind's bug: no output, and no traceback either
        notes = "".join(f" ({note})" for note in getattr(err, "__notes__", ()))
        print(f"{shown(name)}: error: {err}{notes}", file=streams.err)
        return FAILED
    except KeyboardInterrupt:
        kept = f"; {args.output} is unchanged" if args.output else ""
        print(f"interrupted{kept}", file=streams.err)
        return FAILED
    shown_on = streams.out if args.output else streams.err
    shown_on.write(render_summary(summary))
    return OK


def _batch_file(policy: Policy, args: argparse.Namespace, streams: Streams) -> BatchSummary:
    if args.roster == "-":
        summary = _batch_stream(policy, streams.stdin, args, streams)
    else:
        with open(args.roster, "rb") as raw:
            check_not_binary(raw.read(8))
        with open(args.roster, encoding="utf-8-sig", newline="") as roster:
            summary = _batch_stream(policy, roster, args, streams)
    if args.summary_json:
        _write_summary(args.summary_json, summary)
    return summary


def _write_summary(path: str, summary: BatchSummary) -> None:
    try:
        with atomic_writer(path) as handle:
            json.dump(summary.to_dict(), handle, ensure_ascii=False, indent=2)
            handle.write("\n")
    except OSError as err:
        err.filename = path
        raise


def _batch_stream(
    policy: Policy, roster: IO[str], args: argparse.Namespace, streams: Streams
) -> BatchSummary:
    reader = RosterReader(roster, roster_columns(policy))
    limits = RecordLimits(max_amount=args.max_amount)
    if not args.output:
        return _write_batch(policy, reader, streams.out, bom=args.bom, limits=limits)
    try:
        with atomic_writer(args.output) as out:
            return _write_batch(policy, reader, out, bom=args.bom, limits=limits)
    except OSError as err:
        err.filename = args.output  # not the temporary file's name, which the user never chose
        raise


def _write_batch(
    policy: Policy, reader: RosterReader, out: IO[str], *, bom: bool, limits: RecordLimits
) -> BatchSummary:
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(output_columns(policy))
    given = None if limits == DEFAULT_RECORD_LIMITS else limits
    return run_batch(policy, reader, writer.writerow, limits=given)
