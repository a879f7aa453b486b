"""The ``contribpolicy`` command: a thin shell over the library.

Exit codes are a linter's: 0 when everything is in order, 1 when the inputs were read and have
problems (an invalid policy, a malformed person record, a roster whose header is wrong), 2 when
the command could not do its work at all (bad usage, a file that cannot be read or written).
A batch whose rows are partly malformed still exits 0: those rows are in the output and counted;
it exits 1 when every row is malformed (or more than ``--max-malformed``), and refuses a policy
that fails its static checks unless given ``--no-check``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from typing import IO

from contribpolicy.cli._common import FAILED, OK, Streams, on_sigterm
from contribpolicy.support.version import VERSION

__all__ = ["main", "run"]

#: Each command is a module with ``register(subparsers)``; its parser's default ``command`` runs
#: it. Only the module of the command given is imported (a pre-commit hook runs ``validate`` on
#: every commit: it should not wait for ``batch``'s or ``test``'s imports); all of them for help
#: or a mistyped command.
_COMMANDS = {
    "validate": "_validate",
    "check": "_check",
    "test": "_test",
    "schema": "_schema_cmd",
    "evaluate": "_evaluate",
    "batch": "_batch",
    "show": "_show",
    "diff": "_diff",
    "reconcile": "_reconcile",
    "notice": "_notice",
    "progress": "_progress",
}


def main(argv: Sequence[str] | None = None) -> int:
    """The ``contribpolicy`` command: run ``argv`` on the process's streams, return the code."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_sigterm)
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
    parser = _parser(argv)
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            args = parser.parse_args(list(argv))
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else FAILED if exit_.code else OK
    streams = Streams(
        stdout, stderr, stdin if stdin is not None else sys.stdin, tuple(args.base_folders)
    )
    code: int = args.command(args, streams)
    return code


def _parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The command line's parser, with the command named in ``argv`` (all when none is)."""
    parser = argparse.ArgumentParser(
        prog="contribpolicy",
        description="Check contribution policies and assess people and rosters against them.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    parser.add_argument(
        "--base-folder",
        action="append",
        default=[],
        dest="base_folders",
        metavar="DIR",
        help="a folder (besides the policy's own) that a policy's extends: may name a base in; "
        "repeat for more",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    given = next((word for word in argv if not word.startswith("-")), None)
    for name, module in _COMMANDS.items():
        if given not in _COMMANDS or name == given:
            importlib.import_module(f"{__name__}.{module}").register(commands)
    return parser
