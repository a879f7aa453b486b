"""``contribpolicy diff OLD NEW [--roster ROSTER]``: what changed, and what it costs.

Differences are the point of the command, not a failure: it exits 0 when it ran, like ``git
diff``, and 1 only with ``--exit-code`` when there are differences. 2 means it could not run
(a policy that does not load, a roster that cannot be read): nothing was compared.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import attrs

from contribpolicy.cli._common import (
    FAILED,
    OK,
    PROBLEMS,
    Streams,
    add_roster_options,
    load_for_command,
)
from contribpolicy.diff._markdown import render_markdown
from contribpolicy.diff._text import render_text
from contribpolicy.diff.compare import Impact, diff_policies, roster_impact
from contribpolicy.engine.records import roster_columns
from contribpolicy.errors import InputError
from contribpolicy.model.policy import Policy
from contribpolicy.rosters._columns import load_column_map
from contribpolicy.rosters._formats import open_roster


def register(commands: Any) -> None:
    diff = commands.add_parser(
        "diff", help="rules and values changed between two policies, and the cost on a roster"
    )
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument(
        "--roster",
        metavar="ROSTER",
        help="a roster (CSV, .xlsx or .parquet, read as batch reads it) to assess under both "
        "policies",
    )
    add_roster_options(diff)
    diff.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    diff.add_argument(
        "--examples", type=int, default=5, metavar="N", help="people shown per scheme (default 5)"
    )
    diff.add_argument(
        "--exit-code", action="store_true", help="exit 1 when the policies differ (as git diff)"
    )
    diff.set_defaults(command=run)


def run(args: argparse.Namespace, streams: Streams) -> int:
    old = load_for_command(args.old, streams)
    new = load_for_command(args.new, streams)
    if isinstance(old, int) or isinstance(new, int):
        return FAILED
    result = diff_policies(old, new)
    if args.roster is not None:
        impact = _impact(old, new, args, streams)
        if impact is None:
            return FAILED
        result = attrs.evolve(result, impact=impact)
    if args.format == "json":
        document = result.to_dict()
        if document["impact"] is not None:
            document["impact"] = {"roster": args.roster, **document["impact"]}
        streams.out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "markdown":
        streams.out.write(render_markdown(result, args.roster))
    else:
        streams.out.write(render_text(result, args.roster))
    return PROBLEMS if args.exit_code and not result.identical else OK


def _impact(old: Policy, new: Policy, args: argparse.Namespace, streams: Streams) -> Impact | None:
    """The roster assessed under both policies, read as ``batch`` reads one (CSV in UTF-8 or
    GB18030, .xlsx, .parquet; a column map for the roster's own headers and values)."""
    columns = list(dict.fromkeys([*roster_columns(old), *roster_columns(new)]))
    try:
        column_map = load_column_map(args.columns, columns) if args.columns else None
        with open_roster(
            args.roster, columns, encoding=args.encoding, sheet=args.sheet, column_map=column_map
        ) as source:
            return roster_impact(old, new, source.reader, examples=args.examples)
    except InputError as err:  # the file as a whole: its header, its encoding
        print(f"{args.roster}: error: {err}", file=streams.err)
    except OSError as err:
        print(f"{err.filename or args.roster}: {err.strerror or err}", file=streams.err)
    return None
