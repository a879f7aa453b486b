"""The 2025 Shancheng plan written by hand in NumPy, as one whole program: the yardstick of
``make bench`` (``bench/bench_scale.py``) for ``contribpolicy batch``.

    python bench/handwritten_numpy_2025.py ROSTER.csv OUT.csv

This is what a careful engineer would write for the 2025 plan alone, numbers and all: the CSV
read by Arrow (every column text), the rules as vectorized NumPy on int64 fen, the amounts
written back by Arrow. It checks what the rules need (a birth date, a known tier) and nothing
else, keeps no messages, and holds the whole file in memory at once. It imports neither
contribpolicy nor pandas; the library itself never contains a policy number. The benchmark
checks that it agrees with ``batch`` on every row, so a fast wrong answer cannot pass.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import sys

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

IntArray = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

YEAR = 2025  # ages are completed years on 1 January 2025 (二)
# 五（一）: the pension tiers a person may choose and the government's subsidy of each, in fen.
TIERS = np.array([100, 350, 500, 800, 1000, 3000, 5000, 8000], dtype=np.int64)
SUBSIDY_FEN = np.array([3000, 3000, 6000, 8000, 8000, 8000, 8000, 8000], dtype=np.int64)
ASSISTANCE = ("extreme_poverty", "dibao", "returned_to_poverty", "dibao_edge", "poverty_monitoring")
SEVERE = ("disability_1", "disability_2")
TRUE = ("1", "是")
STATUS = pa.array(["eligible", "ineligible", "error"])
SCHEMES = ("pension", "medical")
PARTS = ("individual", "government", "sponsor", "total")


def read(path: str) -> pa.Table:
    """The roster, every column as text, nulls for empty cells; by the suffix, a CSV, or
    Parquet (pyarrow.parquet) or ``.xlsx`` (openpyxl, read-only) as their best plain readers
    read them."""
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq

        return _nulls(pq.read_table(path))
    if path.endswith(".xlsx"):
        return _nulls(read_xlsx(path))
    options = pacsv.ConvertOptions(
        column_types={"pension_tier": pa.string(), "medical_sponsor": pa.string()},
        strings_can_be_null=True,
        auto_dict_encode=False,
    )
    read_options = pacsv.ReadOptions(block_size=1 << 24)
    return pacsv.read_csv(path, read_options=read_options, convert_options=options)


def read_xlsx(path: str) -> pa.Table:
    """The first worksheet, first row the header, every cell as text."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [str(cell) for cell in next(rows)]
    columns = list(zip(*rows, strict=True))
    book.close()
    return pa.table(
        {
            name: pa.array([None if cell is None else str(cell) for cell in column], pa.string())
            for name, column in zip(header, columns, strict=True)
        }
    )


def _nulls(table: pa.Table) -> pa.Table:
    """Empty text cells as nulls, as the CSV reader gives them."""
    columns = [
        pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
        for column in table.columns
    ]
    return pa.table(columns, names=table.column_names)


def ages(table: pa.Table) -> IntArray:
    """Completed years on 1 January, from birth_date or else the ID number's digits 7-14."""
    ids = table["id_number"].cast(pa.string())
    from_id = pc.binary_join_element_wise(
        *(pc.utf8_slice_codeunits(ids, a, b) for a, b in ((6, 10), (10, 12), (12, 14))), "-"
    )
    text = pc.coalesce(table["birth_date"].cast(pa.string()), from_id)
    born = pc.strptime(text, format="%Y-%m-%d", unit="s").cast(pa.date32())
    days = born.to_numpy().astype("datetime64[D]")
    year = days.astype("datetime64[Y]")
    after_new_year = days > year.astype("datetime64[D]")
    age: IntArray = YEAR - (year.astype(np.int64) + 1970) - after_new_year
    return np.maximum(age, 0)


def flag(table: pa.Table, name: str) -> Mask:
    return np.asarray(pc.is_in(table[name].cast(pa.string()), value_set=pa.array(TRUE)))


def statuses(table: pa.Table) -> tuple[Mask, Mask]:
    """Who is on assistance and who severely disabled, from the distinct statuses cells."""
    codes = pc.dictionary_encode(pc.fill_null(table["statuses"], "")).combine_chunks()
    words = [frozenset(text.split(";")) for text in codes.dictionary.to_pylist()]
    indices = codes.indices.to_numpy()
    assist = np.array([bool(w.intersection(ASSISTANCE)) for w in words], dtype=np.bool_)
    severe = np.array([bool(w.intersection(SEVERE)) for w in words], dtype=np.bool_)
    return assist[indices], severe[indices]


def pension(
    age: IntArray, covered: Mask, tier_text: pa.ChunkedArray, severe: Mask, assist: Mask
) -> dict[str, IntArray]:
    """五（一）, 五（三）: tiers, subsidies, the proxy-paid 100 of the severely disabled."""
    covered = covered & (age >= 16) & (age <= 59)
    chosen = pc.fill_null(tier_text.cast(pa.int64()), -1).to_numpy()
    tier = np.where(chosen >= 0, chosen, np.where(severe, 100, -1))
    slot = np.minimum(np.searchsorted(TIERS, tier), TIERS.size - 1)
    allowed = (TIERS[slot] == tier) & ((tier != 100) | severe | assist)
    ok = covered & allowed
    individual = np.where(ok, tier * 100 - severe * 10_000, 0)
    government = np.where(ok, SUBSIDY_FEN[slot] + severe * 10_000, 0)
    return {
        "status": np.where(~covered, 1, np.where(allowed, 0, 2)),
        "individual": individual,
        "government": government,
        "sponsor": np.zeros(age.size, dtype=np.int64),
        "total": individual + government,
    }


def medical(
    age: IntArray, covered: Mask, sponsor_text: pa.ChunkedArray, assist: Mask
) -> dict[str, IntArray]:
    """五（二）, 五（三）: 400 a person, relieved for assistance and age, sponsors after."""
    relief = np.where(assist | (age >= 70), 40_000, np.where(age >= 60, 20_000, 0))
    given = pc.fill_null(sponsor_text.cast(pa.decimal128(18, 2)), 0)
    sponsor_fen = pc.multiply(given, 100).cast(pa.int64()).to_numpy()
    sponsor = np.where(covered, np.minimum(sponsor_fen, 40_000 - relief), 0)
    return {
        "status": np.where(covered, 0, 1),
        "individual": np.where(covered, 40_000 - relief - sponsor, 0),
        "government": np.where(covered, 67_000 + relief, 0),
        "sponsor": sponsor,
        "total": np.where(covered, 107_000, 0),
    }


def assess(table: pa.Table) -> dict[str, dict[str, IntArray]]:
    """Both schemes' status codes (0 eligible, 1 ineligible, 2 error) and amounts in fen."""
    age = ages(table)
    assist, severe = statuses(table)
    local = pc.is_in(table["residence"], value_set=pa.array(["local", "permit"]))
    resident = np.asarray(local.to_numpy(), dtype=np.bool_)
    return {
        "pension": pension(
            age,
            resident & ~(flag(table, "employee_pension") | flag(table, "student")),
            table["pension_tier"],
            severe,
            assist,
        ),
        "medical": medical(
            age, resident & ~flag(table, "employee_medical"), table["medical_sponsor"], assist
        ),
    }


def yuan(fen: IntArray) -> pa.Array:
    """Fen as exact yuan text with two places (amounts are never negative)."""
    whole = pa.array(fen // 100).cast(pa.string())
    cents = pc.utf8_lpad(pa.array(fen % 100).cast(pa.string()), 2, "0")
    return pc.binary_join_element_wise(whole, cents, ".")


def write(path: str, person_id: pa.ChunkedArray, result: dict[str, dict[str, IntArray]]) -> None:
    columns: dict[str, pa.Array | pa.ChunkedArray] = {"person_id": person_id}
    for scheme in SCHEMES:
        amounts = result[scheme]
        columns[f"{scheme}_status"] = STATUS.take(pa.array(amounts["status"]))
        for part in PARTS:
            columns[f"{scheme}_{part}"] = yuan(amounts[part])
    pacsv.write_csv(pa.table(columns), path)


def main(argv: list[str]) -> int:
    roster, output = argv
    table = read(roster)
    write(output, table["person_id"], assess(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
