"""``contribpolicy schema [-o FILE]``: the JSON Schema of policy files, for editors and CI.

The schema is assembled with the installed rule kinds, so an editor completes and checks the
keys of every kind a policy may use. ``--builtin`` leaves out third-party kinds: that is the
schema committed as ``schema/policy-1.schema.json``, which the policies' modeline points at.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from contribpolicy.cli._common import FAILED, OK, Streams
from contribpolicy.format._schema import policy_schema
from contribpolicy.format.registry import Registry, default_registry
from contribpolicy.support.atomic import atomic_writer

_OWN = "contribpolicy"


def register(commands: Any) -> None:
    schema = commands.add_parser("schema", help="print the JSON Schema of policy files")
    schema.add_argument("-o", "--output", metavar="FILE", help="write it to FILE")
    schema.add_argument(
        "--builtin", action="store_true", help="only the rule kinds contribpolicy itself provides"
    )
    schema.set_defaults(command=run)


def builtin_registry() -> Registry:
    """The installed registry without third-party kinds."""
    kinds = default_registry().kinds
    own = {name: kind for name, kind in kinds.items() if kind.provider.split()[0] == _OWN}
    return Registry(kinds=own)


def schema_text(*, builtin: bool = False) -> str:
    registry = builtin_registry() if builtin else default_registry()
    return json.dumps(policy_schema(registry), ensure_ascii=False, indent=2) + "\n"


def run(args: argparse.Namespace, streams: Streams) -> int:
    text = schema_text(builtin=args.builtin)
    if not args.output:
        streams.out.write(text)
        return OK
    try:
        with atomic_writer(args.output) as handle:
            handle.write(text)
    except OSError as err:
        print(f"{args.output}: cannot write: {err.strerror or err}", file=streams.err)
        return FAILED
    return OK
