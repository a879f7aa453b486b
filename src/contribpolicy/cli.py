"""The ``contribpolicy`` command: a thin shell over the library.

Exit codes are a linter's: 0 when everything is in order, 1 when the inputs were read and have
problems (an invalid policy, a malformed person record, a roster whose header is wrong), 2 when
the command could not do its work at all (bad usage, a file that cannot be read or written).
A batch whose rows are partly malformed still exits 0: those rows are in the output and counted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from decimal import Decimal
from typing import IO, Any

from . import __version__
from ._atomic import atomic_writer
from ._summary_text import render_summary
from .batch import BatchSummary, run_batch
from .errors import ContribPolicyError, InputError, PolicyError, PolicyIssue
from .loader import load_policy
from .model import Policy
from .roster import RosterReader, output_columns, roster_columns

__all__ = ["main", "run"]

OK, PROBLEMS, FAILED = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv, sys.stdout, sys.stderr, sys.stdin)
    except BrokenPipeError:
        # The reader went away (`| head`): not an error of ours. Point stdout at devnull so the
        # interpreter's final flush does not raise again (the recipe in the signal module docs).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def run(argv: Sequence[str], stdout: IO[str], stderr: IO[str], stdin: IO[str] | None = None) -> int:
    """Run one command with the given streams; returns the exit code instead of exiting."""
    parser = _parser()
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            args = parser.parse_args(list(argv))
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else FAILED if exit_.code else OK
    streams = _Streams(stdout, stderr, stdin if stdin is not None else sys.stdin)
    code: int = args.command(args, streams)
    return code


class _Streams:
    def __init__(self, out: IO[str], err: IO[str], stdin: IO[str]) -> None:
        self.out = out
        self.err = err
        self.stdin = stdin


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contribpolicy",
        description="Check contribution policies and assess people and rosters against them.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check policy files, reporting every problem")
    validate.add_argument("policies", nargs="+", metavar="POLICY")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(command=_validate)

    evaluate = commands.add_parser("evaluate", help="assess one person record (JSON)")
    evaluate.add_argument("policy", metavar="POLICY")
    evaluate.add_argument(
        "--person", required=True, metavar="FILE", help="a JSON object; '-' reads stdin"
    )
    evaluate.add_argument("--no-trace", action="store_true", help="leave out the rule trace")
    evaluate.set_defaults(command=_evaluate)

    batch = commands.add_parser("batch", help="assess every row of a roster CSV")
    batch.add_argument("policy", metavar="POLICY")
    batch.add_argument("roster", metavar="ROSTER", help="a UTF-8 CSV; '-' reads stdin")
    batch.add_argument("-o", "--output", metavar="OUT", help="the CSV to write (default stdout)")
    batch.add_argument("--summary-json", metavar="FILE", help="also write the summary as JSON")
    batch.add_argument(
        "--bom", action="store_true", help="start the CSV with a BOM so Excel reads it as UTF-8"
    )
    batch.set_defaults(command=_batch)
    return parser


def _issue_dict(issue: PolicyIssue) -> dict[str, Any]:
    where = issue.location
    return {
        "file": where.file,
        "line": where.line,
        "column": where.column,
        "pointer": where.pointer,
        "code": issue.code,
        "severity": issue.severity,
        "message": issue.message,
        "rule_id": issue.rule_id,
    }


def _unreadable(err: PolicyError) -> bool:
    return any(issue.code.startswith("io.") for issue in err.issues)


def _validate(args: argparse.Namespace, streams: _Streams) -> int:
    found: list[PolicyIssue] = []
    status = OK
    as_text = args.format == "text"
    for path in args.policies:
        try:
            load_policy(path)
        except PolicyError as err:
            if _unreadable(err):
                for issue in err.issues:
                    print(issue, file=streams.err)
                status = FAILED
                continue
            found += err.issues
            status = max(status, PROBLEMS)
            if as_text:
                for issue in err.issues:
                    print(issue, file=streams.out)
        except ContribPolicyError as err:  # a plugin failing on this policy
            print(f"{path}: error: {err}", file=streams.err)
            status = max(status, PROBLEMS)
        else:
            if as_text:
                print(f"{path}: ok", file=streams.out)
    if not as_text:
        json.dump(
            [_issue_dict(issue) for issue in found], streams.out, ensure_ascii=False, indent=2
        )
        streams.out.write("\n")
    return status


def _load(path: str, streams: _Streams) -> Policy | int:
    """The policy, or the exit code after its problems were printed."""
    try:
        return load_policy(path)
    except PolicyError as err:
        for issue in err.issues:
            print(issue, file=streams.err)
        return FAILED if _unreadable(err) else PROBLEMS
    except ContribPolicyError as err:
        print(f"{path}: error: {err}", file=streams.err)
        return PROBLEMS


def _evaluate(args: argparse.Namespace, streams: _Streams) -> int:
    policy = _load(args.policy, streams)
    if isinstance(policy, int):
        return policy
    name = "<stdin>" if args.person == "-" else args.person
    try:
        if args.person == "-":
            text = streams.stdin.read()
        else:
            with open(args.person, encoding="utf-8-sig") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as err:
        print(f"{name}: cannot read: {getattr(err, 'strerror', None) or err}", file=streams.err)
        return FAILED
    try:
        # Decimal, never float: a JSON amount is exact decimal text and stays so (money).
        record = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as err:
        print(f"{name}:{err.lineno}:{err.colno}: error: invalid JSON: {err.msg}", file=streams.err)
        return PROBLEMS
    if not isinstance(record, dict):
        kind = type(record).__name__
        print(f"{name}: error: expected a JSON object (one person), found {kind}", file=streams.err)
        return PROBLEMS
    try:
        assessment = policy.evaluate(record)
    except InputError as err:
        print(f"{err.field}: {err.reason}", file=streams.err)
        return PROBLEMS
    document = assessment.to_dict(trace=not args.no_trace)
    streams.out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return OK


def _batch(args: argparse.Namespace, streams: _Streams) -> int:
    policy = _load(args.policy, streams)
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
    policy: Policy, roster: IO[str], args: argparse.Namespace, streams: _Streams
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
