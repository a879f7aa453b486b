"""The payments ``cover_table`` reads: one scheme's, sorted by person and date, with running
totals, so each roster row finds the day its payments of the year first reach what is due
with one binary search (and its back-paid years with one lookup per year).
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from contribpolicy.columnar._money import to_units
from contribpolicy.model.policy import Policy

__all__ = ["NONE", "Paid", "column", "paid_of", "paid_on"]

IntArray = npt.NDArray[np.int64]
NONE = -1


@attrs.frozen(eq=False)
class Paid:
    """Payments of one scheme, sorted by person and date, with running totals."""

    keys: pa.Array  # distinct person ids
    start: IntArray  # first payment of each person
    end: IntArray
    running: IntArray  # cumulative amounts, in sorted order
    date: IntArray  # day numbers, in sorted order
    back: dict[int, tuple[pa.Array, IntArray]]  # year -> (person ids, total back-paid)


def column(table: pa.Table, name: str, size: int) -> pa.Array:
    if name in table.column_names:
        return table.column(name).combine_chunks()
    return pa.nulls(size, pa.string())


def _days(array: pa.Array) -> IntArray:
    """Dates (date32, or ISO text) as day numbers (``date.toordinal``); null as -1."""
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        array = pc.strptime(array, format="%Y-%m-%d", unit="s").cast(pa.date32())
    days = array.cast(pa.int32()).fill_null(NONE - date(1970, 1, 1).toordinal())
    return (
        np.asarray(days.to_numpy(zero_copy_only=False), dtype=np.int64)
        + date(1970, 1, 1).toordinal()
    )


def _units(array: pa.Array, places: int) -> IntArray:
    values = array.to_pylist()
    return np.array([to_units(Decimal(str(value)), places) for value in values], dtype=np.int64)


def _typed(payments: pa.Table) -> pa.Table:
    """The payment columns in the types read here (an empty column may have come as null)."""
    types = {"person_id": pa.string(), "scheme": pa.string(), "kind": pa.string(),
             "year": pa.int64(), "amount": pa.string()}  # fmt: skip
    columns = {}
    for name in payments.column_names:
        column = payments.column(name)
        if name in types and (pa.types.is_null(column.type) or name != "amount"):
            column = column.cast(types[name])
        elif name == "date" and pa.types.is_null(column.type):
            column = column.cast(pa.date32())
        columns[name] = column
    return pa.table(columns)


def paid_of(policy: Policy, payments: pa.Table, scheme: str) -> Paid:
    payments = _typed(payments)
    size = payments.num_rows
    places = policy.money.places
    mine = pc.equal(column(payments, "scheme", size), scheme).fill_null(False)
    table = payments.filter(mine)
    size = table.num_rows
    kind = column(table, "kind", size).fill_null("regular")
    kind = pc.if_else(pc.equal(kind, ""), "regular", kind)
    year = np.asarray(table.column("year").cast(pa.int64()).to_numpy(), dtype=np.int64)
    regular = pc.and_(pc.equal(kind, "regular"), pa.array(year == policy.coverage_year))
    current = table.filter(regular)
    order = pc.sort_indices(
        pa.table({"k": current.column("person_id"), "d": _day_array(current)}),
        sort_keys=[("k", "ascending"), ("d", "ascending")],
    )
    current = current.take(order)
    keys = current.column("person_id").combine_chunks()
    encoded = pc.dictionary_encode(keys)
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    change = np.flatnonzero(np.diff(codes)) + 1 if codes.size else np.zeros(0, dtype=np.int64)
    starts = np.concatenate([[0], change]).astype(np.int64) if codes.size else change
    ends = np.concatenate([change, [codes.size]]).astype(np.int64) if codes.size else change
    firsts = keys.take(pa.array(starts)) if codes.size else pa.array([], pa.string())
    amounts = _units(current.column("amount").combine_chunks(), places)
    back = _back(table.filter(pc.equal(kind, "back_payment")), places)
    return Paid(firsts, starts, ends, np.cumsum(amounts), _days(_day_array(current)), back)


def _day_array(table: pa.Table) -> pa.Array:
    column = table.column("date").combine_chunks()
    if pa.types.is_string(column.type):
        return pc.strptime(column, format="%Y-%m-%d", unit="s").cast(pa.date32())
    return column


def _back(table: pa.Table, places: int) -> dict[int, tuple[pa.Array, IntArray]]:
    result: dict[int, tuple[pa.Array, IntArray]] = {}
    if not table.num_rows:
        return result
    amounts = pa.array(_units(table.column("amount").combine_chunks(), places))
    grouped = (
        pa.table({"k": table.column("person_id"), "y": table.column("year"), "a": amounts})
        .group_by(["k", "y"])
        .aggregate([("a", "sum")])
    )
    years = np.asarray(grouped.column("y").to_numpy(), dtype=np.int64)
    for year in np.unique(years).tolist():
        part = grouped.filter(pa.array(years == year))
        totals = np.asarray(part.column("a_sum").to_numpy(), dtype=np.int64)
        result[int(year)] = (part.column("k").combine_chunks(), totals)
    return result


def paid_on(paid: Paid, found: IntArray, due: IntArray) -> IntArray:
    """The day each person's payments of the year, in date order, first reach ``due``."""
    result = np.full(found.size, NONE, dtype=np.int64)
    if not paid.running.size:
        return result
    rows = np.flatnonzero(found >= 0)
    groups = found[rows]
    start, end = paid.start[groups], paid.end[groups]
    before = np.where(start > 0, paid.running[np.maximum(start - 1, 0)], 0)
    position = np.searchsorted(paid.running, before + due[rows], side="left")
    done = position < end
    result[rows[done]] = paid.date[position[done]]
    return result
