"""What every command shares: the streams, the exit codes, and the prologue of the commands
that read a policy (``with_policy``: load it, or print its problems and stop with their code).

Rendering problems in each output format is ``contribpolicy._formats``'s.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from typing import IO

from contribpolicy.errors import ContribPolicyError, PolicyError
from contribpolicy.format.loader import load_policy
from contribpolicy.i18n import DEFAULT_LANGUAGE, LANGUAGES
from contribpolicy.model.policy import Policy

#: Exit codes, documented and stable: clean; problems found in the inputs; could not run.
OK, PROBLEMS, FAILED = 0, 1, 2

#: What ``args.command`` is: a command run with its arguments and streams, giving the exit code.
Command = Callable[[argparse.Namespace, "Streams"], int]
#: A command that reads ``args.policy``, given the loaded policy (see ``with_policy``).
PolicyCommand = Callable[[argparse.Namespace, "Streams", Policy], int]


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an exception as Ctrl-C is: every temporary output is removed on the
    way out (``support.atomic`` cleans up on any exception) and the previous files stay."""


def on_sigterm(signum: int, frame: object) -> None:
    """The SIGTERM handler ``main`` installs: stop where the process is, as Ctrl-C does."""
    raise Terminated


class Streams:
    """Where a command reads and writes, so tests drive commands without subprocesses."""

    def __init__(
        self, out: IO[str], err: IO[str], stdin: IO[str], base_folders: tuple[str, ...] = ()
    ) -> None:
        self.out = out
        self.err = err
        self.stdin = stdin
        #: Folders besides a policy's own that its ``extends:`` may name (``--base-folder``).
        self.base_folders = base_folders


def unreadable(err: PolicyError) -> bool:
    """Whether the policy could not be read at all (exit ``FAILED``), not only had problems."""
    return any(issue.code.startswith("io.") for issue in err.issues)


def load_for_command(path: str, streams: Streams) -> Policy | int:
    """The policy, or the exit code after its problems were printed."""
    try:
        return load_policy(path, base_folders=streams.base_folders)
    except PolicyError as err:
        for issue in err.issues:
            print(issue, file=streams.err)
        return FAILED if unreadable(err) else PROBLEMS
    except ContribPolicyError as err:
        print(f"{path}: error: {err}", file=streams.err)
        return PROBLEMS


def with_policy(command: PolicyCommand) -> Command:
    """The one prologue of the commands that read ``args.policy``.

    The policy is loaded first; when it cannot be, its problems are printed (one line each, as
    ``file:line:col: severity: message``) and the command stops with ``PROBLEMS``, or ``FAILED``
    when the file could not be read, before anything is written.
    """

    @functools.wraps(command)
    def run(args: argparse.Namespace, streams: Streams) -> int:
        policy = load_for_command(args.policy, streams)
        if isinstance(policy, int):
            return policy
        return command(args, streams, policy)

    return run


def add_roster_options(parser: argparse.ArgumentParser) -> None:
    """How to read a roster as an official sends it: its encoding, worksheet and column map
    (docs/rosters.md); the same for every command that reads one."""
    parser.add_argument(
        "--encoding", help="the CSV's encoding (default: UTF-8, or GB18030 when it is not UTF-8)"
    )
    parser.add_argument(
        "--sheet", metavar="NAME", help="the worksheet to read (default: the first)"
    )
    parser.add_argument(
        "--columns", metavar="MAP", help="a YAML map from the roster's own headers to fields"
    )


def add_lang_option(parser: argparse.ArgumentParser, *aliases: str) -> None:
    """``--lang zh|en``: the language of what the command writes for people (its messages,
    summary, status words and headers), from the message catalog (``contribpolicy.i18n``)."""
    parser.add_argument(
        "--lang",
        *aliases,
        dest="lang",
        choices=LANGUAGES,
        default=DEFAULT_LANGUAGE,
        help=f"the language people read in the output (default: {DEFAULT_LANGUAGE})",
    )
