"""The check itself: ``evaluate_table`` gives every row what ``Policy.evaluate`` gives it.

The record a row stands for is its non-null cells, without a blank ``id_number`` or
``birth_date`` (as a CSV roster reads). A well-formed row's output is its assessment's status,
amounts (to the minor unit, and spelt as ``str`` of the Decimal) and messages; a malformed
row's is ``error`` in every scheme, no amounts, and the ``InputError`` text.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pyarrow as pa

from contribpolicy.columnar import compile_policy, evaluate_table, output_schema
from contribpolicy.errors import InputError
from contribpolicy.model.policy import Policy

__all__ = ["assert_columnar_agrees", "expected_row", "record_of", "roster_table"]

PARTS = ("status", "individual", "government", "sponsor", "total")


def record_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The record a table row stands for: its non-null cells, blank dates and IDs left out."""
    return {
        name: value
        for name, value in row.items()
        if value is not None
        and not (
            name in {"id_number", "birth_date"} and isinstance(value, str) and not value.strip()
        )
    }


def expected_row(policy: Policy, record: Mapping[str, Any]) -> dict[str, Any]:
    """The output row ``evaluate_table`` must give for ``record``, made with ``Policy.evaluate``."""
    row: dict[str, Any] = {}
    try:
        assessment = policy.evaluate(record)
    except InputError as err:
        shown = record.get("person_id", "")
        row["person_id"] = shown.strip() if isinstance(shown, str) else str(shown)
        for scheme in policy.schemes:
            row |= {f"{scheme}_{part}": None for part in PARTS} | {f"{scheme}_status": "error"}
        return row | {"message": str(err)}
    row["person_id"] = assessment.person_id
    messages = []
    for scheme, result in assessment.items():
        row[f"{scheme}_status"] = str(result.status)
        for part in PARTS[1:]:
            row[f"{scheme}_{part}"] = getattr(result, part)
        if result.message:
            messages.append(f"{scheme}: {result.message}")
    return row | {"message": "; ".join(messages)}


def roster_table(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Rows as an Arrow table: a column of text cells is a string column even when every
    cell is missing; any other column has the type Arrow infers from its values."""
    names = list(dict.fromkeys(name for row in rows for name in row))
    columns = {}
    for name in names:
        values = [row.get(name) for row in rows]
        text = all(value is None or isinstance(value, str) for value in values)
        columns[name] = pa.array(values, pa.string()) if text else pa.array(values)
    return pa.table(columns)


def _row_by_row(policy: Policy) -> list[str]:
    return [str(item) for item in compile_policy(policy).row_by_row]


def assert_columnar_agrees(
    policy: Policy,
    roster: pa.Table | Sequence[Mapping[str, Any]],
    *,
    allow_row_by_row: bool = False,
) -> pa.Table:
    """Assert that ``evaluate_table(policy, roster)`` gives every row exactly what
    ``Policy.evaluate`` gives the record made of it: status, amounts to the minor unit (spelt
    the same), messages, and for a malformed row the ``InputError`` text. Returns the table.

    ``roster`` is a table or a list of rows (mappings). A rule whose kind has no
    ``apply_columns`` makes its scheme run person by person, which would prove nothing about a
    columnar form: that fails too, unless ``allow_row_by_row``.
    """
    slow = _row_by_row(policy)
    if slow and not allow_row_by_row:
        raise AssertionError("evaluated person by person, not in columns: " + "; ".join(slow))
    table = roster if isinstance(roster, pa.Table) else roster_table(roster)
    output = evaluate_table(policy, table)
    if output.schema.names != list(output_schema(policy).names):
        raise AssertionError(f"output columns {output.schema.names}")
    got = output.to_pylist()
    if len(got) != table.num_rows:
        raise AssertionError(f"{len(got)} output rows for {table.num_rows} input rows")
    for number, (row, out) in enumerate(zip(table.to_pylist(), got, strict=True)):
        want = expected_row(policy, record_of(row))
        spelt = {name: str(value) for name, value in want.items() if isinstance(value, Decimal)}
        if out != want or any(str(out[name]) != text for name, text in spelt.items()):
            raise AssertionError(_difference(number, row, want, out))
    return output


def _difference(number: int, row: Mapping[str, Any], want: Mapping[str, Any], got: Any) -> str:
    lines = [f"row {number} {dict(row)!r}: evaluate_table differs from Policy.evaluate"]
    for name, value in want.items():
        found = got.get(name)
        if found != value or str(found) != str(value):
            lines.append(f"  {name}: Policy.evaluate {value!r}, evaluate_table {found!r}")
    return "\n".join(lines)
