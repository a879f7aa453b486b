"""``contribpolicy evaluate POLICY --person FILE``: one person's assessment as JSON."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from typing import Any

from contribpolicy.cli._common import FAILED, OK, PROBLEMS, Streams, with_policy
from contribpolicy.errors import InputError, PluginError
from contribpolicy.model.policy import Policy
from contribpolicy.rosters.reader import shown

#: One person's record is a few hundred bytes; a file far larger is not one, and is refused
#: before it is parsed (JSON nesting and number size then stay small too).
MAX_RECORD_CHARS = 100_000


def register(commands: Any) -> None:
    evaluate = commands.add_parser("evaluate", help="assess one person record (JSON)")
    evaluate.add_argument("policy", metavar="POLICY")
    evaluate.add_argument(
        "--person", required=True, metavar="FILE", help="a JSON object; '-' reads stdin"
    )
    evaluate.add_argument("--no-trace", action="store_true", help="leave out the rule trace")
    evaluate.set_defaults(command=run)


@with_policy
def run(args: argparse.Namespace, streams: Streams, policy: Policy) -> int:
    name = "<stdin>" if args.person == "-" else args.person
    try:
        if args.person == "-":
            text = streams.stdin.read(MAX_RECORD_CHARS + 1)
        else:
            with open(args.person, encoding="utf-8-sig") as handle:
                text = handle.read(MAX_RECORD_CHARS + 1)
    except (OSError, UnicodeDecodeError) as err:
        print(f"{name}: cannot read: {getattr(err, 'strerror', None) or err}", file=streams.err)
        return FAILED
    record = _record(text, name, streams)
    if record is None:
        return PROBLEMS
    try:
        assessment = policy.evaluate(record)
    except InputError as err:
        print(shown(f"{err.field}: {err.reason}"), file=streams.err)
        return PROBLEMS
    except PluginError as err:  # the rule kind's bug, not the record's: name it, no traceback
        print(f"{policy.path or args.policy}: error: {err}", file=streams.err)
        return FAILED
    document = assessment.to_dict(trace=not args.no_trace)
    streams.out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return OK


class _RepeatedKey(ValueError):
    """A key written twice in one JSON object: json keeps the last silently."""


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict, refusing a key written twice (which one was meant?)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RepeatedKey(f"the key {key!r} is written twice in one object; which is meant?")
        found[key] = value
    return found


def _record(text: str, name: str, streams: Streams) -> dict[str, Any] | None:
    """The JSON object in ``text``, or None once the reason it is not one was printed."""
    if len(text) > MAX_RECORD_CHARS:
        print(f"{name}: error: more than {MAX_RECORD_CHARS} characters", file=streams.err)
        return None
    try:
        # Decimal, never float: a JSON amount is exact decimal text and stays so (money);
        # NaN and Infinity become Decimal too, and are refused as amounts by the record check.
        record = json.loads(
            text, parse_float=Decimal, parse_constant=Decimal, object_pairs_hook=_no_repeats
        )
    except _RepeatedKey as err:
        print(f"{name}: error: {err}", file=streams.err)
        return None
    except json.JSONDecodeError as err:
        print(f"{name}:{err.lineno}:{err.colno}: error: invalid JSON: {err.msg}", file=streams.err)
        return None
    # A number of thousands of digits, or nesting thousands deep.
    except (ValueError, RecursionError) as err:
        print(f"{name}: error: unreadable JSON: {type(err).__name__}", file=streams.err)
        return None
    if not isinstance(record, dict):
        kind = type(record).__name__
        print(f"{name}: error: expected a JSON object (one person), found {kind}", file=streams.err)
        return None
    return record
