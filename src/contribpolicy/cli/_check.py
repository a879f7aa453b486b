"""``contribpolicy check POLICY...``: load each policy, then prove its static properties.

``validate`` runs the same checks and prints one line per problem; ``check`` also prints each
finding's counterexample as a ready-to-run test case and can keep silenced findings in view.
A policy that does not load is reported like ``validate`` does and is not checked further.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from contribpolicy.checks import (
    CODES,
    DEFAULT_MAX_CLASSES,
    Finding,
    check_policy,
    check_villages,
)
from contribpolicy.cli._common import (
    FAILED,
    OK,
    PROBLEMS,
    Streams,
    add_lang_option,
    unreadable,
)
from contribpolicy.cli._formats import (
    FINDING_FORMATS,
    Reportable,
    as_dict,
    github_line,
    sarif_log,
    text_lines,
)
from contribpolicy.engine.records import roster_columns
from contribpolicy.errors import ContribPolicyError, PolicyError
from contribpolicy.format.loader import load_policy
from contribpolicy.model.policy import Policy
from contribpolicy.support.version import VERSION

__all__ = ["add_finding_options", "check_files", "register", "run"]


def add_finding_options(parser: argparse.ArgumentParser) -> None:
    """The options ``validate`` and ``check`` share."""
    parser.add_argument("policies", nargs="+", metavar="POLICY")
    add_lang_option(parser)
    parser.add_argument("--format", choices=FINDING_FORMATS, default="text")
    parser.add_argument(
        "--fail-on",
        choices=("warning", "error"),
        default="warning",
        help="the least severe finding that makes the exit code 1 (default: warning)",
    )
    parser.add_argument(
        "--show-silenced",
        action="store_true",
        help="also show findings a silence entry accepts, with the reason",
    )
    parser.add_argument(
        "--max-classes",
        type=int,
        default=DEFAULT_MAX_CLASSES,
        metavar="N",
        help=f"refuse a scheme split into more classes of people (default {DEFAULT_MAX_CLASSES})",
    )


def register(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="prove a policy's properties over every class of person: gaps, overlaps, "
        "dead rules, unread inputs, amounts",
    )
    add_finding_options(check)
    check.add_argument(
        "--roster",
        metavar="ROSTER",
        help="also warn where the roster's villages and the reference table differ",
    )
    check.set_defaults(command=run)


def run(args: argparse.Namespace, streams: Streams) -> int:
    return check_files(args, streams, counterexamples=True)


def _failing(finding: Finding, fail_on: str) -> bool:
    return finding.silenced is None and (fail_on == "warning" or finding.severity == "error")


def check_files(args: argparse.Namespace, streams: Streams, *, counterexamples: bool) -> int:
    """Load and check every policy; print in the chosen format; return the exit code."""
    shown: list[Reportable] = []
    status = OK
    for path in args.policies:
        try:
            policy = load_policy(path, base_folders=streams.base_folders)
        except PolicyError as err:
            if unreadable(err):
                for issue in err.issues:
                    print(issue, file=streams.err)
                status = FAILED
                continue
            shown.extend(err.issues)
            status = max(status, PROBLEMS)
            _text(args, streams, err.issues, counterexamples)
            continue
        except ContribPolicyError as err:  # a plugin failing on this policy
            print(f"{path}: error: {err}", file=streams.err)
            status = max(status, PROBLEMS)
            continue
        findings = check_policy(policy, include_silenced=True, max_classes=args.max_classes)
        if getattr(args, "roster", None):
            findings += check_villages(policy, _villages(policy, args.roster), args.roster)
        visible = [f for f in findings if f.silenced is None or args.show_silenced]
        if any(_failing(finding, args.fail_on) for finding in findings):
            status = max(status, PROBLEMS)
        shown.extend(visible if args.format != "sarif" else findings)
        _text(args, streams, visible, counterexamples)
        if args.format == "text" and not any(f.silenced is None for f in findings):
            print(f"{path}: ok", file=streams.out)
    _structured(args, streams, shown)
    return status


def _villages(policy: Policy, path: str) -> list[str]:
    """The village of every row of a roster that names one (malformed rows included). Imported
    here: ``validate`` runs on every commit and needs neither (they bring NumPy and Arrow)."""
    from contribpolicy.reports.people import EXTRA_COLUMNS
    from contribpolicy.rosters._formats import open_roster

    with open_roster(path, (*roster_columns(policy), *EXTRA_COLUMNS)) as source:
        return [record.get("village", "").strip() for _line, record, _problem in source.reader]


def _text(args: argparse.Namespace, streams: Streams, problems: Any, counterexamples: bool) -> None:
    if args.format != "text":
        return
    for problem in problems:
        for line in text_lines(problem, counterexample=counterexamples, lang=args.lang):
            print(line, file=streams.out)


def _structured(args: argparse.Namespace, streams: Streams, shown: list[Reportable]) -> None:
    if args.format == "json":
        json.dump([as_dict(p) for p in shown], streams.out, ensure_ascii=False, indent=2)
        streams.out.write("\n")
    elif args.format == "github":
        for problem in shown:
            print(github_line(problem), file=streams.out)
    elif args.format == "sarif":
        log = sarif_log(shown, VERSION, CODES)
        json.dump(log, streams.out, ensure_ascii=False, indent=2)
        streams.out.write("\n")
