"""``batch``'s checks before and after the run: options read, outputs it cannot write, a
policy that fails its static checks, too many malformed rows; and the ``--keep`` fields.

They decide the exit code a CI or a cron job relies on (docs/rosters.md, "Exit codes").
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from contribpolicy.cli._common import FAILED, OK, PROBLEMS, Streams
from contribpolicy.cli._formats import text_lines
from contribpolicy.errors import InputError
from contribpolicy.i18n import N_, SOURCE_LANGUAGE, translator
from contribpolicy.model.policy import Policy
from contribpolicy.rosters.batch import BatchSummary
from contribpolicy.rosters.reader import shown

__all__ = [
    "TOO_MANY",
    "count_or_share",
    "fields",
    "kept",
    "refused",
    "scheme_labels",
    "too_many_malformed",
]


def fields(text: str) -> tuple[str, ...]:
    """``--keep``: field names separated by commas, or ``all``."""
    fields = tuple(field.strip() for field in text.replace("，", ",").split(",") if field.strip())
    if not fields:
        raise argparse.ArgumentTypeError("expected field names such as name,id_number,village")
    return fields


def count_or_share(text: str) -> tuple[int, bool]:
    """``--max-malformed``: a count of rows, or a percentage of them (``5%``)."""
    share = text.strip().endswith("%")
    digits = text.strip().removesuffix("%").strip()
    if not digits.isascii() or not digits.isdigit() or (share and int(digits) > 100):
        raise argparse.ArgumentTypeError(f"expected a number of rows or a percentage: {text!r}")
    return int(digits), share


TOO_MANY = N_("batch: {malformed} of {rows} rows are malformed; see their messages (exit 1)")
_CHECK_FAILED = N_(
    "batch: the policy fails its static checks (contribpolicy check {path}); fix it, or "
    "assess anyway with --no-check"
)


def refused(args: argparse.Namespace, policy: Policy, streams: Streams) -> int:
    """The exit code when the run must not start (an output it cannot write, a policy that
    fails its static checks), else 0; sets the BOM default for the language."""
    if args.output and (unknown := _unknown_output(args.output)):
        print(unknown, file=streams.err)
        return FAILED
    if args.bom is None:  # officials reading Chinese open the CSV in Excel
        args.bom = args.lang != SOURCE_LANGUAGE
    if args.no_check:
        return OK
    return _static_check_errors(args, policy, streams)


_OUTPUT_SUFFIXES = (".csv", ".xlsx", ".parquet")


def _unknown_output(path: str) -> str | None:
    """Why ``-o`` cannot be written, or None: a suffix no writer has (``.xls``, ``.ods``) would
    otherwise get CSV text under a name that promises something else."""
    suffix = Path(path).suffix.lower()
    if suffix in _OUTPUT_SUFFIXES or (os.path.lexists(path) and not os.path.isfile(path)):
        return None  # a device or folder is refused later, saying what it is
    supported = ", ".join(_OUTPUT_SUFFIXES)
    return f"batch: cannot write {shown(path)}: {suffix or 'no'} suffix; supported: {supported}"


def _static_check_errors(args: argparse.Namespace, policy: Policy, streams: Streams) -> int:
    """PROBLEMS after printing the policy's static-check errors, or 0 when it has none: a
    policy with a gap or an overlap gives wrong amounts for whole classes of people."""
    from contribpolicy.checks import check_policy

    errors = [finding for finding in check_policy(policy) if finding.severity == "error"]
    for finding in errors:  # as `check --lang` prints them
        print(*text_lines(finding, lang=args.lang), sep="\n", file=streams.err)
    if not errors:
        return OK
    print(translator(args.lang).gettext(_CHECK_FAILED, path=args.policy), file=streams.err)
    return PROBLEMS


def too_many_malformed(summary: BatchSummary, limit: tuple[int, bool] | None) -> bool:
    if limit is None:
        return summary.rows > 0 and summary.malformed == summary.rows
    count, share = limit
    allowed = summary.rows * count / 100 if share else count
    return summary.malformed > allowed


def kept(keep: tuple[str, ...], header: Sequence[str]) -> list[str]:
    """The roster fields ``--keep`` names (``all``: every field of the header), checked."""
    fields = [field for field in header if field and field != "person_id"]
    if keep == ("all",):
        return fields
    for field in keep:
        if field not in fields:
            raise InputError(
                field, f"--keep names a field the roster does not have: {', '.join(fields)}"
            )
    return list(keep)


def scheme_labels(policy: Policy) -> dict[str, str]:
    """Each scheme's name as the plan says it (城乡居民基本养老保险)."""
    return {name: scheme.label for name, scheme in policy.schemes.items()}
