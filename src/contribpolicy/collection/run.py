"""Reconciling files or records: the entry points, streaming a roster block by block.

``reconcile_files`` reads the payments into a ``Ledger`` (columns, not objects), then hands each
roster block to the ``Reconciler`` and its rows to ``write`` as they are made, so a roster of
millions is never held whole; ``reconcile`` collects the rows, for rosters that fit in memory.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from contribpolicy.collection._ledger import Ledger
from contribpolicy.collection._summary import Summary
from contribpolicy.collection.payments import Payment, PaymentsFile, open_payments
from contribpolicy.collection.reconcile import BLOCK_ROWS, EXTRA_ROSTER_FIELDS, Reconciler
from contribpolicy.collection.rows import Reconciliation, ReconciliationRow
from contribpolicy.engine.records import roster_columns
from contribpolicy.errors import InputError
from contribpolicy.model.policy import Policy
from contribpolicy.rosters._columns import ColumnMap
from contribpolicy.rosters._formats import open_roster
from contribpolicy.rosters.reader import RosterRow

__all__ = ["FileOptions", "reconcile", "reconcile_files", "roster_fields"]


def _blocks(rows: Iterable[RosterRow], size: int = BLOCK_ROWS) -> Iterator[list[RosterRow]]:
    block: list[RosterRow] = []
    for row in rows:
        block.append(row)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


def roster_fields(policy: Policy) -> tuple[str, ...]:
    """The columns a roster for reconciliation may have."""
    return (*roster_columns(policy), *EXTRA_ROSTER_FIELDS)


def reconcile(
    policy: Policy,
    roster: str | Iterable[Mapping[str, Any]],
    payments: str | PaymentsFile | Iterable[Payment],
    *,
    lang: str = "en",
) -> Reconciliation:
    """Reconcile a roster with payments: paths (read as ``reconcile_files`` does), or the
    roster's records and ``Payment`` objects (``read_payments``), in memory."""
    if isinstance(roster, str) and isinstance(payments, str):
        rows: list[ReconciliationRow] = []
        summary = reconcile_files(policy, roster, payments, lang=lang, write=rows.extend)
        return Reconciliation(tuple(rows), summary)
    if isinstance(payments, str):
        payments = read_payments_file(policy, payments)
    if isinstance(payments, PaymentsFile):
        ledger = Ledger.from_payments(payments.payments, policy)
        ledger = attrs.evolve(ledger, problems=payments.problems, rows=payments.rows)
    else:
        ledger = Ledger.from_payments(payments, policy)
    reconciler = Reconciler(policy, ledger, lang=lang)
    if isinstance(roster, str):
        with open_roster(roster, roster_fields(policy)) as source:
            found = [row for block in _blocks(source.reader) for row in reconciler.block(block)]
    else:
        numbered = (
            (line, {k: "" if v is None else str(v) for k, v in record.items()}, None)
            for line, record in enumerate(roster, start=2)
        )
        found = [row for block in _blocks(numbered) for row in reconciler.block(block)]
    found.extend(reconciler.finish())
    return Reconciliation(tuple(found), reconciler.summary)


def read_payments_file(policy: Policy, path: str) -> PaymentsFile:
    from contribpolicy.collection.payments import read_payments

    return read_payments(path, policy)


@attrs.frozen
class FileOptions:
    """How to read one input file: encoding (CSV), sheet (.xlsx), column map."""

    encoding: str | None = None
    sheet: str | None = None
    column_map: ColumnMap | None = None


def reconcile_files(
    policy: Policy,
    roster_path: str,
    payments_path: str,
    *,
    write: Any,
    lang: str = "en",
    roster: FileOptions = FileOptions(),
    payments: FileOptions = FileOptions(),
) -> Summary:
    """Reconcile the files, handing each block's rows to ``write`` as they are made (so a
    roster of millions is never held whole); returns the totals. Raises ``InputError`` for a
    file that cannot be read at all (its header); a bad row is a problem in the summary."""
    try:
        with open_payments(
            payments_path,
            policy,
            encoding=payments.encoding,
            sheet=payments.sheet,
            column_map=payments.column_map,
        ) as source:
            ledger = Ledger.from_rows(source.rows, policy)
    except InputError as err:
        err.add_note(payments_path)  # which file: the CLI names it
        raise
    reconciler = Reconciler(policy, ledger, lang=lang)
    try:
        with open_roster(
            roster_path,
            roster_fields(policy),
            encoding=roster.encoding,
            sheet=roster.sheet,
            column_map=roster.column_map,
        ) as opened:
            for block in _blocks(opened.reader):
                write(reconciler.block(block))
    except InputError as err:
        err.add_note(roster_path)
        raise
    write(reconciler.finish())
    return reconciler.summary
