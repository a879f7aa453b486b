"""evaluate_table gives every row exactly what Policy.evaluate gives the record made of it.

The record made of a row is its non-null cells, without a blank ``id_number`` or
``birth_date`` (as a CSV roster reads). A well-formed row's output is its assessment's status,
amounts (to the fen, and spelt as ``str`` of the Decimal) and messages; a malformed row's is
``error`` with no amounts and the ``InputError`` text ``Policy.evaluate`` raises.
"""

# pyarrow, pandas and cloudpickle ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from itertools import product
from pathlib import Path
from typing import Any

import attrs
import contribpolicy_testkind as testkind
import pyarrow as pa
import pyarrow.csv as pcsv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

import contribpolicy
from _policy_edit import POLICY_TEXT
from contribpolicy import Policy
from contribpolicy.columnar import compile_policy, evaluate_table, output_schema
from contribpolicy.plugin import BuildContext, Changes, Facts, RuleEffect, SchemeState
from contribpolicy.testing import assert_columnar_agrees
from strategies import BOUNDARY_DATES, FLAGS, INVALID_TIERS, OFFERED_TIERS, STATUSES, records

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=150, deadline=None)
COLUMNS = (
    *("person_id", "id_number", "name", "village", "birth_date", "residence", "statuses"),
    *("employee_pension", "employee_medical", "student", "pension_tier", "medical_sponsor"),
)


def assert_rows_match(policy: Policy, table: pa.Table) -> pa.Table:
    """Every output row equals the row Policy.evaluate gives (contribpolicy.testing's check)."""
    return assert_columnar_agrees(policy, table, allow_row_by_row=True)


def _id_number(born: date, serial: int) -> str:
    body = f"370406{born:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def _text(value: Any) -> str | None:
    """A record value as a CSV cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


#: Cells a collector's export really holds that the per-person parser refuses, or reads only
#: after normalizing (spaces, full-width digits): each goes through both paths.
ODD_CELLS: dict[str, list[str | None]] = {
    "person_id": ["", "  ", " P-1 ", "P\x002", "张三01", "P\u200b1"],
    "id_number": ["370406198001011235", "12345", "999999198001011239", " 370406198001011239 ",
                  "37040620231001474x", "３７０４０６１９８００１０１１２３９",
                  "370406 98001011239"],
    "birth_date": ["1985-02-30", "20250101", "1899-12-31", "2026-01-01", " 1980-05-01 ",
                   "１９８０-05-01", "1980-5-1", "   "],
    "residence": ["外地", "", " local ", "LOCAL", None],
    "statuses": ["disabled", "dibao; dibao_edge", ";;dibao", "dibao;;disability_1 "],
    "employee_pension": ["maybe", " 1 ", "TRUE", "Y", "否", "2"],
    "pension_tier": ["三百五", "350.0", "-5", "０３５０", "99999999999999999999",
                     "100000000000000"],
    "medical_sponsor": ["12.345", "-1", "1e2", "150.50", "10000.01", "１５０", "150.500", " 99 "],
    "name": ["张\x01三", "\u3000李四", "O'Neil"],
}  # fmt: skip


@st.composite
def text_rows(draw: st.DrawFn) -> dict[str, str | None]:
    """A roster row as a CSV gives it: text cells, some of them odd or malformed."""
    record = draw(records())
    row: dict[str, str | None] = {name: _text(record.get(name)) for name in COLUMNS}
    born = record["birth_date"]
    born = born if isinstance(born, date) else date.fromisoformat(born)
    how = draw(st.sampled_from(["date", "id", "both", "neither"]))
    if how in {"id", "both"}:
        row["id_number"] = _id_number(born, draw(st.integers(1, 999)))
    if how == "id":
        row["birth_date"] = draw(st.sampled_from(["", None]))
    for flag in FLAGS:
        if row[flag] is not None:
            row[flag] = draw(
                st.sampled_from({"1": ["1", "是", "true"], "0": ["0", "否", ""]}[row[flag] or "0"])
            )
    if draw(st.integers(0, 3)) == 0:
        column = draw(st.sampled_from(sorted(ODD_CELLS)))
        row[column] = draw(st.sampled_from(ODD_CELLS[column]))
    return row


def text_table(rows: list[dict[str, str | None]]) -> pa.Table:
    return pa.table({name: pa.array([row[name] for row in rows], pa.string()) for name in COLUMNS})


@SETTINGS
@given(rows=st.lists(text_rows(), min_size=1, max_size=30))
def test_text_rosters_match_policy_evaluate(
    policy_2025: Policy, rows: list[dict[str, Any]]
) -> None:
    """Random text rosters, odd and malformed cells mixed in: every row as Policy.evaluate."""
    assert_rows_match(policy_2025, text_table(rows))


TYPED_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("birth_date", pa.date32()),
        ("residence", pa.string()),
        ("statuses", pa.list_(pa.string())),
        *((flag, pa.bool_()) for flag in FLAGS),
        ("pension_tier", pa.int64()),
        ("medical_sponsor", pa.decimal128(18, 2)),
    ]
)


@SETTINGS
@given(records=st.lists(records(), min_size=1, max_size=30), negative=st.booleans())
def test_typed_rosters_match_policy_evaluate(
    policy_2025: Policy, records: list[dict[str, Any]], negative: bool
) -> None:
    """Typed columns (dates, booleans, integers, decimals, lists) give the same rows."""
    rows = []
    for record in records:
        row = {name: record.get(name) for name in TYPED_SCHEMA.names}
        born = record["birth_date"]
        row["birth_date"] = born if isinstance(born, date) else date.fromisoformat(str(born))
        rows.append(row)
    if negative:  # a refused value in a typed column
        rows[0]["pension_tier"] = -350
    assert_rows_match(policy_2025, pa.Table.from_pylist(rows, schema=TYPED_SCHEMA))


def _grid() -> list[dict[str, Any]]:
    """Every tier (offered, not offered, none) x status x boundary age x residence, with the
    flags set one at a time."""
    statuses = [[], *([code] for code in STATUSES), ["dibao", "disability_1"]]
    tiers = [*OFFERED_TIERS, *INVALID_TIERS[:2], None]
    flags: list[dict[str, bool]] = [{}, *({flag: True} for flag in FLAGS)]
    born_on = BOUNDARY_DATES[::2]
    rows = []
    for number, (tier, codes, born, residence, flagged) in enumerate(
        product(tiers, statuses, born_on, ("local", "permit", "none"), flags)
    ):
        sponsor = [None, Decimal("150.50"), Decimal(400)][number % 3]
        rows.append({"person_id": f"G{number}", "birth_date": born, "residence": residence,
                     "statuses": codes, "pension_tier": tier, "medical_sponsor": sponsor,
                     **flagged})  # fmt: skip
    return rows


def test_every_tier_status_and_age_band_of_2025(policy_2025: Policy) -> None:
    """五（一） and 四 over every combination: the columnar amounts equal Policy.evaluate's."""
    rows = [{name: row.get(name) for name in TYPED_SCHEMA.names} for row in _grid()]
    table = pa.Table.from_pylist(rows, schema=TYPED_SCHEMA)
    assert table.num_rows > 20_000
    output = assert_rows_match(policy_2025, table)
    statuses = set(output["pension_status"].to_pylist()) | set(output["medical_status"].to_pylist())
    assert statuses == {"eligible", "ineligible", "error", "not_paying"}


def _one(policy: Policy, **cells: Any) -> dict[str, Any]:
    row = {"person_id": "p1", "residence": "local", **cells}
    out: dict[str, Any] = evaluate_table(policy, pa.Table.from_pylist([row])).to_pylist()[0]
    return out


def test_relief_for_60_to_69_is_half_of_400(policy_2025: Policy) -> None:
    """五（一）: born 1959-06-30 is 65: the government bears 200 of the 400; pension stops at 60."""
    out = _one(policy_2025, birth_date="1959-06-30")
    assert (out["medical_individual"], out["medical_government"]) == (
        Decimal("200.00"),
        Decimal("870.00"),
    )
    assert out["medical_total"] == Decimal("1070.00")
    assert out["pension_status"] == "ineligible"
    assert out["message"] == (
        "pension: 不在养老保险缴费年龄（16至59周岁） (age 65 is outside age 16 to 59)"
    )


def test_severe_disability_with_no_tier_is_enrolled_at_100(policy_2025: Policy) -> None:
    """五（一）: grade 1, no tier chosen: 100 paid by the government, plus the 30 subsidy."""
    out = _one(policy_2025, birth_date="1990-03-15", statuses="disability_1")
    assert (out["pension_individual"], out["pension_government"], out["pension_total"]) == (
        Decimal("0.00"), Decimal("130.00"), Decimal("130.00"),
    )  # fmt: skip


def test_sponsor_covers_only_what_relief_leaves(policy_2025: Policy) -> None:
    """五（一）: 62 with 300 offered: relief 200, the sponsor pays the other 200, no more."""
    out = _one(policy_2025, birth_date="1962-09-09", medical_sponsor="300")
    assert (out["medical_individual"], out["medical_sponsor"]) == (
        Decimal("0.00"),
        Decimal("200.00"),
    )


def test_100_tier_without_hardship_is_an_error_on_pension_only(policy_2025: Policy) -> None:
    """五（一）: the 100 tier is only for hardship groups; medical is still assessed."""
    out = _one(policy_2025, birth_date="1980-05-01", pension_tier="100")
    assert out["pension_status"] == "error"
    assert out["pension_individual"] == Decimal("0.00")
    assert out["medical_individual"] == Decimal("400.00")
    assert (
        out["message"]
        == "pension: pension_tier 100 is only for 重度残疾人等缴费困难群体（100元档次）"
    )


def test_malformed_row_is_an_error_row_with_the_field(policy_2025: Policy) -> None:
    """A row Policy.evaluate refuses is an error row: no amounts, the field and the reason."""
    out = _one(policy_2025, birth_date="1985-02-30")
    assert out["pension_status"] == out["medical_status"] == "error"
    assert out["pension_individual"] is None
    assert out["message"] == "birth_date: expected an ISO date YYYY-MM-DD, found '1985-02-30'"


def test_output_types_and_csv_text(policy_2025: Policy) -> None:
    """Amounts are decimal128(18, 2): written as CSV they read 400.00, as str(Decimal) does."""
    out = evaluate_table(
        policy_2025,
        pa.table(
            {"person_id": ["a", "b"], "birth_date": ["1980-05-01", "x"], "residence": ["local"] * 2}
        ),
    )
    assert out.schema.field("medical_individual").type == pa.decimal128(18, 2)
    assert out.schema.field("message").type == pa.string()
    text = io.BytesIO()
    pcsv.write_csv(out.select(["person_id", "medical_individual", "medical_total"]), text)
    assert text.getvalue().decode().splitlines()[1:] == ['"a",400.00,1070.00', '"b",,']


def test_record_batches_chunks_and_empty_tables(policy_2025: Policy) -> None:
    """A RecordBatch, a table in many chunks and an empty table all work, in order."""
    rows = [
        {"person_id": str(i), "birth_date": "1980-05-01", "residence": "local"} for i in range(5)
    ]
    table = pa.Table.from_pylist(rows)
    chunked = pa.concat_tables([table.slice(0, 2), table.slice(2)])
    assert chunked["person_id"].num_chunks == 2
    whole = evaluate_table(policy_2025, table)
    assert evaluate_table(policy_2025, chunked).equals(whole)
    assert evaluate_table(policy_2025, table.to_batches()[0]).equals(whole)
    empty = evaluate_table(policy_2025, table.slice(0, 0))
    assert empty.num_rows == 0
    assert empty.schema.equals(output_schema(policy_2025))


@pytest.mark.parametrize(
    ("columns", "field", "reason"),
    [
        (["person_id", "hukou"], "hukou", "unknown column"),
        (["residence"], "person_id", "missing column"),
    ],
)
def test_table_columns_are_checked_first(
    policy_2025: Policy, columns: list[str], field: str, reason: str
) -> None:
    """A column no row may have, or no person_id column, refuses the whole table."""
    table = pa.table({name: ["x"] for name in columns})
    with pytest.raises(contribpolicy.InputError, match=reason) as caught:
        evaluate_table(policy_2025, table)
    assert caught.value.field == field


def test_duplicate_columns_are_refused(policy_2025: Policy) -> None:
    """Two columns of one name: which one holds the value is unknowable."""
    table = pa.Table.from_arrays(
        [pa.array(["1"]), pa.array(["2"])], names=["person_id", "person_id"]
    )
    with pytest.raises(contribpolicy.InputError, match="twice"):
        evaluate_table(policy_2025, table)


BONUS_RULE = """
      - id: medical-district-bonus
        kind: slow_bonus
        label: 区级额外补助20元
        cite: 四
        bonus: 20
        component: district
"""


@attrs.frozen
class _PersonByPerson:
    """A compiled flat_bonus rule with only its per-person form."""

    rule: RuleEffect

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        return self.rule.apply(facts, state)


class _SlowBonusKind:
    """flat_bonus (tests/plugin_pkg) without apply_columns, as a kind that never had one."""

    parameters = testkind.PARAMETERS

    def build(self, params: Mapping[str, Any], context: BuildContext) -> _PersonByPerson:
        return _PersonByPerson(testkind.KIND.build(params, context))


def test_kind_without_columnar_form_is_evaluated_row_by_row(policy_2025: Policy) -> None:
    """A kind without apply_columns: its scheme goes person by person, correctly,
    and the evaluator and the output's metadata say so."""
    registry = contribpolicy.default_registry().with_kind("slow_bonus", _SlowBonusKind(), "test")
    policy = contribpolicy.loads_policy(POLICY_TEXT + BONUS_RULE, registry=registry)
    slow = compile_policy(policy).row_by_row
    assert [(item.scheme, item.rule_id, item.kind) for item in slow] == [
        ("medical", "medical-district-bonus", "slow_bonus")
    ]
    assert "has no apply_columns" in str(slow[0])
    rows = [row for row in _grid() if row["person_id"].endswith(("1", "7"))]
    table = pa.Table.from_pylist(
        [{name: row.get(name) for name in TYPED_SCHEMA.names} for row in rows], schema=TYPED_SCHEMA
    )
    output = assert_rows_match(policy, table)
    assert b"slow_bonus" in output.schema.metadata[b"contribpolicy.row_by_row"]
    assert set(output["medical_total"].to_pylist()) <= {Decimal("1090.00"), None, Decimal("0.00")}
    assert compile_policy(policy_2025).row_by_row == ()


WITHOUT_NUMPY = """
import sys
sys.modules["numpy"] = None  # as if neither were installed
sys.modules["pyarrow"] = None
import contribpolicy, contribpolicy.columnar, contribpolicy.plugin
policy = contribpolicy.load_policy("policies/2025.yaml")
record = {"person_id": "1", "birth_date": "1980-05-01", "residence": "local"}
print(policy.evaluate(record)["medical"].total)
try:
    contribpolicy.evaluate_table(policy, None)
except ImportError as err:
    print(err)
"""


def test_without_numpy_and_pyarrow_only_columnar_needs_the_extra() -> None:
    """import contribpolicy and Policy.evaluate need neither; evaluate_table names the extra."""
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_NUMPY], cwd=ROOT, capture_output=True, text=True, check=True
    )
    total, error = result.stdout.splitlines()
    assert total == "1070.00"
    assert "pip install 'contribpolicy[columnar]'" in error


def test_more_statuses_than_bits_are_assessed_person_by_person() -> None:
    """A policy with 70 statuses (more than a bitmask holds) still gives every row its due."""
    extra = "".join(f"    extra_{number}: 附加身份{number}\n" for number in range(61))
    text = POLICY_TEXT.replace(
        "    disability_4: 四级残疾\n", "    disability_4: 四级残疾\n" + extra
    )
    policy = contribpolicy.loads_policy(text)
    assert len(policy.vocabulary.statuses) == 70
    rows = [
        {
            "person_id": "1",
            "birth_date": "1980-05-01",
            "residence": "local",
            "statuses": "extra_60",
        },
        {"person_id": "2", "birth_date": "1980-05-01", "residence": "local", "statuses": "dibao"},
        {"person_id": "3", "birth_date": "1980-05-01", "residence": "local", "statuses": "nope"},
    ]
    output = assert_rows_match(policy, pa.Table.from_pylist(rows))
    assert output["medical_individual"].to_pylist() == [Decimal("400.00"), Decimal("0.00"), None]


def test_blocks_on_threads_give_the_same_table(
    policy_2025: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many blocks evaluated on several threads come back complete and in order."""
    monkeypatch.setattr(contribpolicy.columnar, "BLOCK_ROWS", 997)
    rows = [{name: row.get(name) for name in TYPED_SCHEMA.names} for row in _grid()[:9000]]
    table = pa.Table.from_pylist(rows, schema=TYPED_SCHEMA)
    alone = evaluate_table(policy_2025, table, threads=1)
    assert evaluate_table(policy_2025, table, threads=3).equals(alone)
    assert alone["person_id"].to_pylist() == [row["person_id"] for row in rows]


def test_formula_like_person_id_is_refused_as_per_person(policy_2025: Policy) -> None:
    """A person_id starting with = + or @ is refused by both paths, with the same message."""
    table = pa.table(
        {
            "person_id": ["=1+1", "+86", "@x", "ok-1"],
            "birth_date": ["1980-01-01"] * 4,
            "residence": ["local"] * 4,
            "pension_tier": ["500"] * 4,
        }
    )
    result = evaluate_table(policy_2025, table).to_pylist()
    for row, person_id in zip(result, ["=1+1", "+86", "@x"], strict=False):
        with pytest.raises(contribpolicy.InputError) as caught:
            policy_2025.evaluate(
                {
                    "person_id": person_id,
                    "birth_date": "1980-01-01",
                    "residence": "local",
                    "pension_tier": 500,
                }
            )
        assert row["pension_status"] == "error"
        assert caught.value.reason in row["message"]
    assert result[3]["pension_status"] == "eligible"
