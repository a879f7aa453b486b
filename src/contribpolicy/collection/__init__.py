"""The collection year: payments in, reconciliation to the fen (钱表相符), refunds.

Above the rosters in the layers: a payments file is read by the roster readers, the roster's
dues come from the columnar machinery. The stable API::

    read_payments(path, policy) -> PaymentsFile        # .payments, .problems (line, field)
    open_payments(path, policy) -> rows one at a time   # for files of millions
    reconcile(policy, roster, payments) -> Reconciliation  # .rows, .summary
    reconcile_files(policy, roster_path, payments_path, write=...) -> Summary  # streaming
"""

from contribpolicy.collection._summary import RECIPIENTS, StatusTally, Summary, Terms
from contribpolicy.collection.dues import dues_table
from contribpolicy.collection.payments import (
    CHANNELS,
    KINDS,
    PAYMENT_COLUMNS,
    Payment,
    PaymentsFile,
    open_payments,
    parse_payment,
    read_payments,
)
from contribpolicy.collection.reconcile import EXTRA_ROSTER_FIELDS, STATUSES, Reconciler
from contribpolicy.collection.rows import Reconciliation, ReconciliationRow, reconciliation_columns
from contribpolicy.collection.run import FileOptions, reconcile, reconcile_files, roster_fields

__all__ = [
    "CHANNELS",
    "EXTRA_ROSTER_FIELDS",
    "KINDS",
    "PAYMENT_COLUMNS",
    "RECIPIENTS",
    "STATUSES",
    "FileOptions",
    "Payment",
    "PaymentsFile",
    "Reconciler",
    "Reconciliation",
    "ReconciliationRow",
    "StatusTally",
    "Summary",
    "Terms",
    "dues_table",
    "open_payments",
    "parse_payment",
    "read_payments",
    "reconcile",
    "reconcile_files",
    "reconciliation_columns",
    "roster_fields",
]
