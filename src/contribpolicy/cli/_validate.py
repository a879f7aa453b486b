"""``contribpolicy validate POLICY...``: load each policy and report every problem."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..errors import ContribPolicyError, PolicyError, PolicyIssue
from ..loader import load_policy
from ._common import FAILED, OK, PROBLEMS, Streams, issue_dict, unreadable


def register(commands: Any) -> None:
    validate = commands.add_parser("validate", help="check policy files, reporting every problem")
    validate.add_argument("policies", nargs="+", metavar="POLICY")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(command=run)


def run(args: argparse.Namespace, streams: Streams) -> int:
    found: list[PolicyIssue] = []
    status = OK
    as_text = args.format == "text"
    for path in args.policies:
        try:
            load_policy(path)
        except PolicyError as err:
            if unreadable(err):
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
        json.dump([issue_dict(issue) for issue in found], streams.out, ensure_ascii=False, indent=2)
        streams.out.write("\n")
    return status
