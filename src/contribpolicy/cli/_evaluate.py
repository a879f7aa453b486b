"""``contribpolicy evaluate POLICY --person FILE``: one person's assessment as JSON."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from typing import Any

from ..errors import InputError
from ._common import FAILED, OK, PROBLEMS, Streams, load_for_command


def register(commands: Any) -> None:
    evaluate = commands.add_parser("evaluate", help="assess one person record (JSON)")
    evaluate.add_argument("policy", metavar="POLICY")
    evaluate.add_argument(
        "--person", required=True, metavar="FILE", help="a JSON object; '-' reads stdin"
    )
    evaluate.add_argument("--no-trace", action="store_true", help="leave out the rule trace")
    evaluate.set_defaults(command=run)


def run(args: argparse.Namespace, streams: Streams) -> int:
    policy = load_for_command(args.policy, streams)
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
