"""``contribpolicy batch POLICY ROSTER -o OUT``: every roster row assessed, then a summary."""

from __future__ import annotations

import argparse
import csv
import json
from typing import IO, Any

from .._atomic import atomic_writer
from .._summary_text import render_summary
from ..batch import BatchSummary, run_batch
from ..errors import InputError
from ..model import Policy
from ..roster import RosterReader, output_columns, roster_columns
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
    batch.set_defaults(command=run)


def run(args: argparse.Namespace, streams: Streams) -> int:
    policy = load_for_command(args.policy, streams)
    if isinstance(policy, int):
        return policy
    name = "<stdin>" if args.roster == "-" else args.roster
    try:
        if args.roster == "-":
            summary = _batch_stream(policy, streams.stdin, args, streams)
        else:
            with open(args.roster, encoding="utf-8-sig", newline="") as roster:
                summary = _batch_stream(policy, roster, args, streams)
    except InputError as err:  # the file as a whole: its header, its encoding
        print(f"{name}: error: {err}", file=streams.err)
        return PROBLEMS
    except OSError as err:
        print(f"{err.filename or name}: {err.strerror or err}", file=streams.err)
        return FAILED
    shown = streams.out if args.output else streams.err
    shown.write(render_summary(summary))
    if args.summary_json:
        try:
            with atomic_writer(args.summary_json) as handle:
                json.dump(summary.to_dict(), handle, ensure_ascii=False, indent=2)
                handle.write("\n")
        except OSError as err:
            print(f"{args.summary_json}: cannot write: {err.strerror or err}", file=streams.err)
            return FAILED
    return OK


def _batch_stream(
    policy: Policy, roster: IO[str], args: argparse.Namespace, streams: Streams
) -> BatchSummary:
    reader = RosterReader(roster, roster_columns(policy))
    if not args.output:
        return _write_batch(policy, reader, streams.out, bom=args.bom)
    try:
        with atomic_writer(args.output) as out:
            return _write_batch(policy, reader, out, bom=args.bom)
    except OSError as err:
        err.filename = args.output  # not the temporary file's name, which the user never chose
        raise


def _write_batch(policy: Policy, reader: RosterReader, out: IO[str], *, bom: bool) -> BatchSummary:
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(output_columns(policy))
    return run_batch(policy, reader, writer.writerow)
