"""The output table of columnar evaluation: the columns of ``contribpolicy batch``, typed.

One row per input row, in order: ``person_id``, then for each scheme its status and the four
amounts, then ``message``, exactly as ``batch`` writes them (``_assessment_row`` and
``_error_row``). Amounts are ``decimal128(18, places)``: exact, the CSV text of a value is the
``str`` of the Decimal ``Policy.evaluate`` gives (``400.00``), and 18 digits hold any amount up
to 10^16 yuan. A malformed row has status ``error``, null amounts (empty cells in a CSV) and its
``InputError`` as the message.
"""

# pyarrow and pandas ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from contribpolicy.columnar._state import ERROR, STATUS_NAMES, SchemeColumns
from contribpolicy.columnar._texts import distinct

__all__ = ["amount_type", "assemble", "schema_of"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
_PARTS = ("individual", "government", "sponsor", "total")


def amount_type(places: int) -> pa.DataType:
    return pa.decimal128(18, places)


def schema_of(
    schemes: Sequence[str], places: int, metadata: Mapping[str, str] | None = None
) -> pa.Schema:
    """The output columns: ``person_id``, per scheme status and amounts, ``message``."""
    fields = [pa.field("person_id", pa.string(), nullable=False)]
    for name in schemes:
        fields.append(pa.field(f"{name}_status", pa.string(), nullable=False))
        fields += [pa.field(f"{name}_{part}", amount_type(places)) for part in _PARTS]
    fields.append(pa.field("message", pa.string(), nullable=False))
    return pa.schema(fields, metadata=dict(metadata) if metadata else None)


def assemble(
    schema: pa.Schema,
    person_id: pa.Array,
    results: Mapping[str, SchemeColumns],
    malformed: Mapping[int, str],
    places: int,
) -> pa.RecordBatch:
    """The output block from each scheme's results and the malformed rows' messages."""
    size = len(person_id)
    broken = np.zeros(size, dtype=np.bool_)
    broken[list(malformed)] = True
    columns: list[pa.Array] = [person_id]
    statuses = pa.array(STATUS_NAMES, pa.string())
    for result in results.values():
        codes = np.where(broken, ERROR, result.status).astype(np.int8)
        columns.append(statuses.take(pa.array(codes)))
        for units in (result.individual, result.government, result.sponsor, result.total):
            columns.append(_decimals(units, broken, places))
    columns.append(_messages(results, malformed, size))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _decimals(units: IntArray, null: BoolArray, places: int) -> pa.Array:
    """int64 minor units as decimal128 (16-byte two's complement), null where ``null``."""
    pairs = np.zeros((units.size, 2), dtype=np.int64)  # the high words of amounts >= 0
    pairs[:, 0] = units
    if units.size and units.min() < 0:
        pairs[:, 1] = units >> 63
    validity = pa.array(~null).buffers()[1] if null.any() else None
    return pa.Array.from_buffers(
        amount_type(places), units.size, [validity, pa.py_buffer(pairs)], null_count=-1
    )


def _messages(
    results: Mapping[str, SchemeColumns], malformed: Mapping[int, str], size: int
) -> pa.Array:
    """``scheme: message`` for each scheme that has one, joined by ``; ``, made once per
    distinct combination; a malformed row's message is its error."""
    keys = np.zeros(size, dtype=np.int64)
    for result in results.values():
        width = len(result.message.table) + 1
        keys = distinct(keys * width + result.message.codes + 1)[0].astype(np.int64)
    codes, rows = distinct(keys)
    table = [_joined(results, int(row)) for row in rows]
    if malformed:
        where = np.fromiter(malformed, dtype=np.intp, count=len(malformed))
        codes[where] = np.arange(len(table), len(table) + where.size, dtype=np.int32)
        table.extend(malformed.values())
    return pa.array(table, pa.string()).take(pa.array(codes))


def _joined(results: Mapping[str, SchemeColumns], row: int) -> str:
    words = []
    for name, result in results.items():
        code = int(result.message.codes[row])
        if code >= 0:
            words.append(f"{name}: {result.message.table[code]}")
    return "; ".join(words)
