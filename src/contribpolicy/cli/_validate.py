"""``contribpolicy validate POLICY...``: load each policy and report every problem.

Loading checks the YAML, the schema and the meaning; the static checks of ``check`` then run on
each policy that loads, so a pre-commit hook or CI job that validates misses nothing ``check``
finds. One line per problem, without ``check``'s counterexamples.
"""

from __future__ import annotations

import argparse
from typing import Any

from contribpolicy.cli._check import add_finding_options, check_files
from contribpolicy.cli._common import Streams


def register(commands: Any) -> None:
    validate = commands.add_parser(
        "validate", help="check policy files (load and static checks), reporting every problem"
    )
    add_finding_options(validate)
    validate.set_defaults(command=run)


def run(args: argparse.Namespace, streams: Streams) -> int:
    return check_files(args, streams, counterexamples=False)
