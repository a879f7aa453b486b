"""A plain Arrow join of a roster and its payments: the yardstick of ``reconcile`` in
``make bench`` (``bench/bench_scale.py``).

    python bench/handwritten_join.py ROSTER.csv PAYMENTS.csv DUES.csv OUT.csv

What an engineer would write to put payments next to people without contribpolicy: both files
read by Arrow, the payments summed per person and scheme, joined to the roster's people and to
the dues (``DUES.csv``: person_id, scheme, due, as ``batch`` computed them beforehand: the join
does not assess anyone), the difference computed, the rows written by Arrow. No checks of
any cell, no statuses beyond the sign of the difference, no refunds, no balance.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv


def read(path: str, columns: list[str], types: dict[str, pa.DataType]) -> pa.Table:
    options = pacsv.ConvertOptions(include_columns=columns, column_types=types)
    return pacsv.read_csv(path, convert_options=options)


def main(argv: list[str]) -> int:
    roster_path, payments_path, dues_path, output = argv
    money = pa.decimal128(18, 2)
    text = pa.string()
    roster = read(roster_path, ["person_id", "id_number", "name", "village"], {"id_number": text})
    payments = read(
        payments_path, ["person_id", "scheme", "amount"], {"amount": money, "person_id": text}
    )
    dues = read(dues_path, ["person_id", "scheme", "due"], {"due": money, "person_id": text})
    paid = payments.group_by(["person_id", "scheme"]).aggregate([("amount", "sum")])
    rows = dues.join(paid, ["person_id", "scheme"], join_type="left outer")
    rows = rows.join(roster, "person_id", join_type="left outer")
    amount = pc.fill_null(rows["amount_sum"].cast(money), pa.scalar(0, money))
    difference = pc.subtract(amount, rows["due"])
    status = pc.if_else(
        pc.equal(difference, 0),
        "paid",
        pc.if_else(pc.less(difference, 0), "underpaid", "overpaid"),
    )
    result = rows.append_column("paid", amount).append_column("difference", difference)
    pacsv.write_csv(result.append_column("status", status), output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
