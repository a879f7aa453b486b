"""``contribpolicy batch POLICY ROSTER -o OUT``: every roster row assessed, then a summary.

The roster is a CSV (UTF-8, or GB18030/GBK as Chinese Excel saves it), an ``.xlsx`` workbook or
a Parquet file, by its suffix; ``-o OUT`` is CSV, ``.xlsx`` or Parquet, by its own
(docs/rosters.md). ``-o OUT``, ``--errors`` and ``--summary-json`` are written to temporary files
and renamed into place only when complete, so an interrupted run (Ctrl-C, a killed process, a
full disk) leaves the previous files as they were, never a truncated one that looks finished.
Without ``-o`` the rows stream to stdout as CSV as they are assessed, and that cannot be undone
(on the columnar path they are held in a temporary file and sent when all are assessed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from contribpolicy.cli._batch_checks import (
    TOO_MANY,
    count_or_share,
    fields,
    kept,
    refused,
    scheme_labels,
    too_many_malformed,
)
from contribpolicy.cli._common import (
    FAILED,
    OK,
    PROBLEMS,
    Streams,
    Terminated,
    add_lang_option,
    add_roster_options,
    with_policy,
)
from contribpolicy.cli._formats import severity_word
from contribpolicy.engine.records import roster_columns
from contribpolicy.errors import InputError, PluginError
from contribpolicy.i18n import SOURCE_LANGUAGE, translator
from contribpolicy.model.person import DEFAULT_RECORD_LIMITS, RecordLimits
from contribpolicy.model.policy import Policy
from contribpolicy.rosters._columns import ColumnMap, load_column_map
from contribpolicy.rosters._formats import RosterSource, format_of, open_roster
from contribpolicy.rosters._output import ERRORS_COLUMNS, header_labels, open_output, write_csv_rows
from contribpolicy.rosters._progress import with_progress
from contribpolicy.rosters._summary_text import render_summary
from contribpolicy.rosters._wording import Wording
from contribpolicy.rosters._workbook import Workbook
from contribpolicy.rosters.batch import BatchSummary, run_batch
from contribpolicy.rosters.reader import RosterReader, output_columns, shown
from contribpolicy.support.atomic import atomic_writer
from contribpolicy.support.files import check_outputs


def register(commands: Any) -> None:
    batch = commands.add_parser("batch", help="assess every row of a roster")
    batch.add_argument("policy", metavar="POLICY")
    batch.add_argument(
        "roster", metavar="ROSTER", help="a CSV, .xlsx or .parquet file; '-' reads a CSV on stdin"
    )
    batch.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="the .csv, .xlsx or .parquet to write (default: CSV on stdout)",
    )
    batch.add_argument("--summary-json", metavar="FILE", help="also write the summary as JSON")
    batch.add_argument(
        "--errors", metavar="FILE", help="write the malformed rows, with their lines, to a CSV"
    )
    add_roster_options(batch)
    add_lang_option(batch, "--labels")
    batch.add_argument(
        "--quiet", action="store_true", help="no progress bar (the summary is still printed)"
    )
    batch.add_argument(
        "--excel",
        "--bom",
        dest="bom",
        action="store_true",
        default=None,
        help="start the CSV with a BOM so Excel reads it as UTF-8 (the default with --lang zh)",
    )
    batch.add_argument(
        "--keep",
        metavar="FIELDS",
        type=fields,
        default=(),
        help="roster columns to carry into each output row after person_id, such as "
        "name,id_number,village, or 'all' for every column of the roster",
    )
    batch.add_argument(
        "--row-by-row",
        action="store_true",
        help="read the roster row by row, never with the columnar evaluator (the same output)",
    )
    batch.add_argument(
        "--verbose",
        action="store_true",
        help="say on stderr whether the columnar evaluator or the row-by-row reader was used",
    )
    batch.add_argument(
        "--max-amount",
        metavar="AMOUNT",
        type=_amount,
        default=DEFAULT_RECORD_LIMITS.max_amount,
        help="the largest amount input (a sponsorship) one row may hold "
        f"(default {DEFAULT_RECORD_LIMITS.max_amount}); larger ones are error rows",
    )
    batch.add_argument(
        "--no-check",
        action="store_true",
        help="assess even if the policy fails its static checks (contribpolicy check)",
    )
    batch.add_argument(
        "--max-malformed",
        metavar="N",
        type=count_or_share,
        default=None,
        help="exit 1 when more than N rows (or N%% of them) are malformed "
        "(default: only when every row is)",
    )
    batch.set_defaults(command=run)


def _amount(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not an amount: {text!r}") from None
    if not amount.is_finite() or amount < 0:
        raise argparse.ArgumentTypeError(f"not an amount of at least 0: {text!r}")
    return amount


@with_policy
def run(args: argparse.Namespace, streams: Streams, policy: Policy) -> int:
    if refusal := refused(args, policy, streams):
        return refusal
    name = "<stdin>" if args.roster == "-" else args.roster
    try:
        summary = _batch_file(policy, args, streams)
    except InputError as err:  # the file as a whole: its header, its encoding
        said = (
            str(err) if args.lang == SOURCE_LANGUAGE else Wording(policy, args.lang).row_error(err)
        )
        print(
            f"{shown(name)}: {severity_word('error', args.lang)}: {shown(said)}", file=streams.err
        )
        return PROBLEMS
    except (OSError, ImportError, PluginError, KeyboardInterrupt) as err:
        print(_failure(err, name, args.output), file=streams.err)
        return FAILED
    shown_on = streams.out if args.output else streams.err
    labels = None if args.lang == SOURCE_LANGUAGE else scheme_labels(policy)
    shown_on.write(render_summary(summary, args.lang, labels))
    if too_many_malformed(summary, args.max_malformed):
        t = translator(args.lang)
        print(t.gettext(TOO_MANY, malformed=summary.malformed, rows=summary.rows), file=streams.err)
        return PROBLEMS
    return OK


def _failure(err: BaseException, name: str, output: str | None) -> str:
    """What stopped the run: a file that cannot be read or written, a missing extra, a rule
    kind's bug (no traceback: its notes say where), or Ctrl-C."""
    if isinstance(err, OSError):
        return f"{shown(str(err.filename or name))}: {err.strerror or err}"
    if isinstance(err, KeyboardInterrupt):
        how = "terminated (SIGTERM)" if isinstance(err, Terminated) else "interrupted"
        return f"{how}{f'; {output} is unchanged' if output else ''}"
    notes = "".join(f" ({note})" for note in getattr(err, "__notes__", ()))
    return f"{shown(name)}: error: {err}{notes}"


def _batch_file(policy: Policy, args: argparse.Namespace, streams: Streams) -> BatchSummary:
    check_outputs(
        {"-o": args.output, "--errors": args.errors, "--summary-json": args.summary_json},
        {
            "roster": args.roster,
            "column map": args.columns,
            **{f"policy {layer}": layer for layer in policy.layers if layer},
            "policy": args.policy,
        },
    )
    known = roster_columns(policy)
    column_map = load_column_map(args.columns, known) if args.columns else None
    fast = _fast_roster(args, known, column_map)
    if args.verbose:
        way = "the columnar evaluator" if fast is not None else "the row-by-row reader"
        print(f"batch: read with {way}", file=streams.err)
    summary = None
    if fast is not None:
        summary = _batch_fast(policy, fast, args, streams)
        if summary is None and args.verbose:
            print("batch: not plain CSV after all; read again row by row", file=streams.err)
    if summary is None:
        with _source(args, known, column_map, streams) as source:
            summary = _batch_source(policy, source, args, streams)
    if args.summary_json:
        _write_summary(args.summary_json, summary)
    return summary


def _fast_roster(
    args: argparse.Namespace, known: tuple[str, ...], column_map: ColumnMap | None
) -> Any:
    """The roster for the columnar path, or None: only a plain UTF-8 CSV file or a Parquet file
    of text columns, written as CSV, with the default limits (the columnar engine holds those),
    and with NumPy and PyArrow."""
    utf8 = args.encoding is None or args.encoding.replace("-", "").replace("_", "").lower() in (
        "utf8",
        "utf8sig",
    )
    csv_out = args.output is None or format_of(args.output) == "csv"
    given = "stdin" if args.roster == "-" else format_of(args.roster)
    if not (csv_out and ((given == "csv" and utf8) or given == "parquet")):
        return None
    if args.row_by_row or args.max_amount != DEFAULT_RECORD_LIMITS.max_amount:
        return None
    if args.lang != SOURCE_LANGUAGE or args.keep or args.bom:
        return None  # words for people and kept columns are made row by row
    try:
        import numpy  # noqa: F401
        import pyarrow  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return None  # plain CSV needs no extra: the per-row path reads it
    from contribpolicy.rosters._fast import open_fast_parquet, open_fast_roster

    if given == "parquet":
        return open_fast_parquet(args.roster, known, column_map)
    return open_fast_roster(args.roster, known, column_map)


def _batch_fast(
    policy: Policy, roster: Any, args: argparse.Namespace, streams: Streams
) -> BatchSummary | None:
    """``_batch_source`` for a plain CSV, on the columnar evaluator: the same files; None if
    the file is not plain after all (its output files are then left as they were)."""
    from contribpolicy.rosters._fast import NotPlain, RepeatsFound

    try:
        try:
            return _run_fast(policy, roster, args, streams, None)
        except RepeatsFound as found:  # nothing was kept: assess again, knowing them
            return _run_fast(policy, roster, args, streams, found.repeats)
    except NotPlain:
        return None


def _run_fast(
    policy: Policy, roster: Any, args: argparse.Namespace, streams: Streams, repeats: Any
) -> BatchSummary:
    from contribpolicy.rosters._fast import run_fast_batch

    header = header_labels(policy, output_columns(policy), args.lang)
    with ExitStack() as stack:
        on_error = None
        if args.errors:
            path = args.errors
            handle = stack.enter_context(_naming(atomic_writer(path, encoding="utf-8-sig"), path))
            write_error = write_csv_rows(handle, [*ERRORS_COLUMNS, *roster.source_header])

            def on_error(line: int, error: InputError, cells: list[str]) -> None:
                write_error([str(line), error.field, error.reason, *cells])

        if args.output:
            out = stack.enter_context(_naming(atomic_writer(args.output), args.output))
        else:  # held back until complete: a block found not plain starts the run again
            out = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", newline=""))
        write_csv_rows(out, header, bom=args.bom)
        bar = stack.enter_context(_bar(streams.err, roster.estimated_rows, not args.quiet))
        summary = run_fast_batch(
            policy, roster, out, on_error=on_error, progress=bar, repeats=repeats
        )
        if not args.output:
            out.seek(0)
            shutil.copyfileobj(out, streams.out)
        return summary


@contextmanager
def _bar(stream: Any, total: int | None, enabled: bool) -> Iterator[Callable[[int], object] | None]:
    """The progress bar of ``with_progress``, counted a block of rows at a time."""
    isatty = getattr(stream, "isatty", None)
    if not enabled or isatty is None or not isatty():
        yield None
        return
    try:
        from tqdm import tqdm  # type: ignore[import-untyped]
    except ImportError:
        yield None
        return
    with tqdm(total=total or None, file=stream, unit=" rows", unit_scale=True) as progress:
        yield progress.update


@contextmanager
def _source(
    args: argparse.Namespace,
    known: tuple[str, ...],
    column_map: ColumnMap | None,
    streams: Streams,
) -> Iterator[RosterSource]:
    if args.roster == "-":
        yield RosterSource(RosterReader(streams.stdin, known, column_map=column_map), "csv")
        return
    with open_roster(
        args.roster, known, encoding=args.encoding, sheet=args.sheet, column_map=column_map
    ) as source:
        yield source


def _write_summary(path: str, summary: BatchSummary) -> None:
    try:
        with atomic_writer(path) as handle:
            json.dump(summary.to_dict(), handle, ensure_ascii=False, indent=2)
            handle.write("\n")
    except OSError as err:
        err.filename = path
        raise


def _batch_source(
    policy: Policy, source: RosterSource, args: argparse.Namespace, streams: Streams
) -> BatchSummary:
    limits = RecordLimits(max_amount=args.max_amount)
    given = None if limits == DEFAULT_RECORD_LIMITS else limits
    keep = kept(args.keep, source.reader.header)
    columns = output_columns(policy)
    columns[1:1] = keep
    rows = with_progress(source.reader, streams.err, source.estimated_rows, enabled=not args.quiet)
    with ExitStack() as stack:
        wording = None if args.lang == SOURCE_LANGUAGE else Wording(policy, args.lang)
        on_error = _errors_file(stack, args.errors, source, wording) if args.errors else None
        header = header_labels(policy, columns, args.lang)
        if not args.output:
            write = write_csv_rows(streams.out, header, bom=args.bom)
        elif format_of(args.output) == "csv":
            out = stack.enter_context(_naming(atomic_writer(args.output), args.output))
            write = write_csv_rows(out, header, bom=args.bom)
        else:
            output = open_output(args.output, policy, columns, labels=args.lang)
            write = stack.enter_context(_naming(output, args.output))
        summary = run_batch(
            policy, rows, write, limits=given, on_error=on_error, wording=wording, keep=keep
        )
        if isinstance(write, Workbook):
            write.summary = summary
            write.scheme_labels = scheme_labels(policy)
        return summary


@contextmanager
def _naming(writer: Any, path: str) -> Iterator[Any]:
    try:
        with writer as value:
            yield value
    except OSError as err:
        err.filename = path  # not the temporary file's name, which the user never chose
        raise


def _errors_file(
    stack: ExitStack, path: str, source: RosterSource, wording: Wording | None
) -> Callable[[int, InputError], object]:
    """The ``on_error`` that writes each malformed row, with its line and cells as read; its
    own columns, the field and the reason in the reader's language (``wording``)."""
    handle = stack.enter_context(_naming(atomic_writer(path, encoding="utf-8-sig"), path))
    reader = source.reader
    own = list(ERRORS_COLUMNS) if wording is None else wording.errors_header()
    write = write_csv_rows(handle, [*own, *reader.source_header])

    def on_error(line: int, error: InputError) -> None:
        # The reader's last row is the one run_batch is reporting: it pulls rows one by one.
        cells = reader.last_cells if reader.last_cells is not None else []
        if wording is None:
            write([str(line), error.field, error.reason, *cells])
        else:
            write([str(line), wording.field(error.field), wording.reason(error), *cells])

    return on_error
