"""The columnar form of cover dates gives, row by row, what ``Policy.coverage`` gives."""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

import contribpolicy
from conftest import POLICY_2025
from contribpolicy.columnar._cover import cover_table
from contribpolicy.model.payment import Payment

POLICY = contribpolicy.load_policy(POLICY_2025)
_PERSON = st.fixed_dictionaries(
    {
        "birth_date": st.sampled_from(["1980-02-02", "1950-05-05", "2025-03-01", "2024-12-20"]),
        "residence": st.sampled_from(["local", "local", "none"]),
        "statuses": st.sampled_from(["", "", "dibao"]),
        "employee_medical": st.sampled_from(["0", "0", "0", "1"]),
        "insured_years": st.sampled_from(["", "none", "2024", "2022;2023", "2019", "2020;2021"]),
        "death_date": st.sampled_from(["", "", "2024-06-01", "2025-07-01"]),
    }
)
_DAY = st.integers(0, 480).map(lambda n: date(2024, 9, 1) + timedelta(days=n))
_PAYMENT = st.tuples(
    st.sampled_from(["regular", "regular", "back_payment"]),
    st.integers(2019, 2024),
    st.sampled_from(["400", "300", "200", "100"]),
    _DAY,
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_PERSON, st.lists(_PAYMENT, max_size=4)), min_size=1, max_size=12))
def test_columnar_cover_is_per_person_cover(
    people: list[tuple[dict[str, str], list[tuple[str, int, str, date]]]],
) -> None:
    """Start, end, fixed and variable months, break and back-paid years, paid day: equal."""
    records, payments = [], []
    for index, (person, paid) in enumerate(people):
        record = {"person_id": f"p{index}", **person}
        records.append(record)
        for kind, year, amount, day in paid:
            paid_for = 2025 if kind == "regular" else year
            who = record["person_id"]
            payments.append(Payment("medical", paid_for, Decimal(amount), day, "self", kind, who))
    roster = pa.Table.from_pylist(records)
    table = pa.table(
        {
            "person_id": [p.person_id for p in payments],
            "scheme": [p.scheme for p in payments],
            "year": pa.array([p.year for p in payments], pa.int64()),
            "amount": [str(p.amount) for p in payments],
            "date": pa.array([p.date for p in payments], pa.date32()),
            "kind": [p.kind for p in payments],
        }
    )
    rows = cover_table(POLICY, roster, table).to_pylist()
    for record, row in zip(records, rows, strict=True):
        mine = [p for p in payments if p.person_id == record["person_id"]]
        expected = POLICY.coverage(record, mine)
        keys = ("start", "end", "fixed_months", "variable_months", "break_years",
                "back_paid_years", "paid_on", "history_known")  # fmt: skip
        assert {key: row[key] for key in keys} == {key: getattr(expected, key) for key in keys}
        assert row["reason"] == expected.reasons[-1].code
