"""What each roster person owes through each collection channel, as a table.

The reconciliation's dues, for callers who build their own reports (the public notice, progress
per village) or generate payments: per person and scheme, the status and, in yuan, what the
person pays (``individual``, by an agent or themselves), the sponsor (``sponsor``), the
government on the person's behalf (``on_behalf``, 代缴 through the special channel, 五（三）3),
and their sum, the ``contribution``.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from contribpolicy.columnar._dues import dues_of
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import STATUSES

__all__ = ["dues_table"]


def dues_table(policy: Policy, roster: pa.Table) -> pa.Table:
    """One row per roster row and scheme: ``person_id, scheme, status, individual, sponsor,
    on_behalf, contribution`` (decimal amounts); a malformed row has status ``error``."""
    batch = pa.RecordBatch.from_arrays(
        [roster.column(name).combine_chunks() for name in roster.column_names],
        names=roster.column_names,
    )
    dues = dues_of(policy, batch)
    places = policy.money.places
    money = pa.decimal128(18, places)
    columns: dict[str, list[pa.Array]] = {}
    ids = roster.column("person_id").combine_chunks().cast(pa.string())
    for scheme, found in dues.schemes.items():
        status = [str(STATUSES[code]) for code in found.status.tolist()]
        for row in dues.errors:
            status[row] = "error"
        parts = {
            "person_id": ids,
            "scheme": pa.array([scheme] * batch.num_rows, pa.string()),
            "status": pa.array(status, pa.string()),
            "individual": found.individual,
            "sponsor": found.sponsor,
            "on_behalf": found.on_behalf,
            "contribution": found.contribution,
        }
        for name, values in parts.items():
            array = values if isinstance(values, pa.Array) else _amounts(values, places, money)
            columns.setdefault(name, []).append(array)
    return pa.table({name: pa.concat_arrays(arrays) for name, arrays in columns.items()})


def _amounts(units: npt.NDArray[np.int64], places: int, money: pa.DataType) -> pa.Array:
    """Minor units as exact decimals."""
    return pa.array([Decimal(value).scaleb(-places) for value in units.tolist()], money)
