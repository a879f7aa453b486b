"""Rows per second: ``evaluate_table`` against a hand-written NumPy implementation of 2025.

Run by hand; the figures go in the issue note, never in a test. One run generates a synthetic
roster (``examples/generate_roster.py``), reads it into Arrow and builds, outside the timed part:

* the roster as read from the CSV, every column text (``text``);
* the roster typed as a system would hold it (``typed``): ``birth_date`` a date (from the ID
  number where the CSV has none), flags booleans, ``pension_tier`` an integer,
  ``medical_sponsor`` a decimal; no ``id_number``, ``name`` or ``village``.

Then it times, best of ``--repeat`` runs, on the same rows:

* ``handwritten_numpy`` (below): the 2025 amounts written by hand in NumPy from the typed
  table, numbers and all, into int64 fen arrays and status codes: the yardstick; and its
  rules alone, on NumPy arrays converted beforehand (no messages, no output table);
* ``evaluate_table`` on the typed table and on the text table (which also checks every ID
  number, date and text cell), on one thread and on one per processor (its default); both
  produce the whole output table, messages included.

It also checks that ``evaluate_table`` and the hand-written code agree on every row, so a fast
wrong answer cannot pass for a result. ``--tile N`` repeats the generated roster N times (the
generator writes about 30,000 rows a second, so 10 million rows take it some six minutes).
"""

# pyarrow and pandas ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

import contribpolicy
from contribpolicy.columnar import evaluate_table

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "2025.yaml"
GENERATOR = ROOT / "examples" / "generate_roster.py"
COLUMNS = (
    *("person_id", "id_number", "name", "village", "birth_date", "residence", "statuses"),
    *("employee_pension", "employee_medical", "student", "pension_tier", "medical_sponsor"),
)
IntArray = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

# The 2025 plan, by hand (五（一）): tiers and their subsidies, in fen.
TIERS = np.array([100, 350, 500, 800, 1000, 3000, 5000, 8000], dtype=np.int64)
SUBSIDY_FEN = np.array([3000, 3000, 6000, 8000, 8000, 8000, 8000, 8000], dtype=np.int64)
ASSISTANCE = ("extreme_poverty", "dibao", "returned_to_poverty", "dibao_edge", "poverty_monitoring")
SEVERE = ("disability_1", "disability_2")


def generate(rows: int, seed: int, directory: Path) -> Path:
    path = directory / f"roster-{rows}.csv"
    command = [sys.executable, str(GENERATOR), "--rows", str(rows), "--seed", str(seed)]
    subprocess.run([*command, "-o", str(path)], check=True)
    return path


def read_text(path: Path) -> pa.Table:
    types = dict.fromkeys(COLUMNS, pa.string())
    options = pcsv.ConvertOptions(column_types=types, strings_can_be_null=True)
    return pcsv.read_csv(path, convert_options=options).combine_chunks()


def typed(text: pa.Table) -> pa.Table:
    """The roster as a system holds it: dates, booleans, integers, decimals."""
    ids = text["id_number"]
    from_id = pc.binary_join_element_wise(
        *(pc.utf8_slice_codeunits(ids, start, end) for start, end in ((6, 10), (10, 12), (12, 14))),
        "-",
    )
    born = pc.if_else(pc.is_valid(text["birth_date"]), text["birth_date"], from_id)

    def flag(name: str) -> pa.ChunkedArray:
        return pc.is_in(text[name], value_set=pa.array(["1", "是"]))

    return pa.table(
        {
            "person_id": text["person_id"],
            "birth_date": pc.strptime(born, format="%Y-%m-%d", unit="s").cast(pa.date32()),
            "residence": text["residence"],
            "statuses": text["statuses"],
            "employee_pension": flag("employee_pension"),
            "employee_medical": flag("employee_medical"),
            "student": flag("student"),
            "pension_tier": text["pension_tier"].cast(pa.int64()),
            "medical_sponsor": text["medical_sponsor"].cast(pa.decimal128(18, 2)),
        }
    ).combine_chunks()


#: The columns the hand-written code computes from: age, residence, flags, statuses, choices.
Arrays = tuple[IntArray, Mask, Mask, Mask, IntArray, IntArray, Mask, Mask]


def handwritten_numpy(table: pa.Table) -> dict[str, IntArray]:
    """The 2025 amounts of every row, by hand: status codes (0 eligible, 1 ineligible,
    2 error) and amounts in fen."""
    return handwritten_amounts(arrays(table))


def arrays(table: pa.Table) -> Arrays:
    """The typed table as the NumPy arrays the hand-written rules read."""
    born = table["birth_date"].to_numpy().astype("datetime64[D]")
    year = born.astype("datetime64[Y]")
    age = np.maximum(2025 - (year.astype(np.int64) + 1970) - (born > year), 0)
    codes = pc.dictionary_encode(pc.fill_null(table["statuses"], "")).combine_chunks()
    words = [frozenset(text.split(";")) for text in codes.dictionary.to_pylist()]
    indices = codes.indices.to_numpy()
    assist = np.array([bool(w.intersection(ASSISTANCE)) for w in words])[indices]
    severe = np.array([bool(w.intersection(SEVERE)) for w in words])[indices]
    local = pc.is_in(table["residence"], value_set=pa.array(["local", "permit"]))
    resident = np.asarray(local.to_numpy(), dtype=np.bool_)

    def flag(name: str) -> Mask:
        return np.asarray(pc.fill_null(table[name], False).to_numpy(), dtype=np.bool_)

    chosen = pc.fill_null(table["pension_tier"], -1).to_numpy()
    cents = pc.multiply(pc.fill_null(table["medical_sponsor"], 0), 100).cast(pa.int64())
    pension = resident & ~(flag("employee_pension") | flag("student"))
    medical = resident & ~flag("employee_medical")
    return age, pension, medical, severe, chosen, cents.to_numpy(), assist, resident


def handwritten_amounts(prepared: Arrays) -> dict[str, IntArray]:
    """The rules alone, on arrays already converted."""
    age, pension, medical, severe, chosen, sponsor_fen, assist, _resident = prepared
    result = _pension(age, pension, chosen, severe, assist)
    result.update(_medical(age, medical, sponsor_fen, assist))
    return result


def _pension(
    age: IntArray, resident: Mask, chosen: IntArray, severe: Mask, assist: Mask
) -> dict[str, IntArray]:
    covered = resident & (age >= 16) & (age <= 59)
    tier = np.where(chosen >= 0, chosen, np.where(severe, 100, -1))
    slot = np.minimum(np.searchsorted(TIERS, tier), TIERS.size - 1)
    allowed = (TIERS[slot] == tier) & ((tier != 100) | severe | assist)
    ok = covered & allowed
    return {
        "pension_status": np.where(~covered, 1, np.where(allowed, 0, 2)),
        "pension_individual": np.where(ok, tier * 100 - severe * 10_000, 0),
        "pension_government": np.where(ok, SUBSIDY_FEN[slot] + severe * 10_000, 0),
        "pension_sponsor": np.zeros(age.size, dtype=np.int64),
    }


def _medical(
    age: IntArray, covered: Mask, sponsor_fen: IntArray, assist: Mask
) -> dict[str, IntArray]:
    relief = np.where(assist | (age >= 70), 40_000, np.where(age >= 60, 20_000, 0))
    sponsor = np.where(covered, np.minimum(sponsor_fen, 40_000 - relief), 0)
    return {
        "medical_status": np.where(covered, 0, 1),
        "medical_individual": np.where(covered, 40_000 - relief - sponsor, 0),
        "medical_government": np.where(covered, 67_000 + relief, 0),
        "medical_sponsor": sponsor,
    }


def cross_check(output: pa.Table, expected: dict[str, IntArray]) -> int:
    """Rows where evaluate_table and the hand-written code disagree."""
    wrong = np.zeros(output.num_rows, dtype=np.bool_)
    statuses = {"eligible": 0, "ineligible": 1, "error": 2}
    for name, values in expected.items():
        column = output[name]
        if name.endswith("_status"):
            got = np.array([statuses[s] for s in column.to_pylist()])
        else:
            got = pc.multiply(column, 100).cast(pa.int64()).to_numpy()
        wrong |= got != values
    return int(wrong.sum())


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds: the least disturbed by the machine."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--tile", type=int, default=1, help="repeat the roster this many times")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--roster", type=Path, help="a roster CSV made before, instead of --rows")
    args = parser.parse_args()

    if args.roster is not None:
        text = read_text(args.roster)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            text = read_text(generate(args.rows, args.seed, Path(tmp)))
    text = pa.concat_tables([text] * args.tile).combine_chunks()
    typed_table = typed(text)
    policy = contribpolicy.load_policy(POLICY)
    rows = text.num_rows
    threads = len(os.sched_getaffinity(0))
    print(f"roster: {rows:,} rows ({rows // args.tile:,} x {args.tile}); best of {args.repeat}")

    expected = handwritten_numpy(typed_table)
    wrong = cross_check(evaluate_table(policy, typed_table), expected)
    wrong_text = cross_check(evaluate_table(policy, text), expected)
    print(f"cross-check: {wrong} typed and {wrong_text} text rows disagree with the hand-written")

    hand = best_of(args.repeat, lambda: handwritten_numpy(typed_table))
    prepared = arrays(typed_table)
    rules_only = best_of(args.repeat, lambda: handwritten_amounts(prepared))
    alone = best_of(args.repeat, lambda: evaluate_table(policy, typed_table, threads=1))
    alone_text = best_of(args.repeat, lambda: evaluate_table(policy, text, threads=1))
    ours = best_of(args.repeat, lambda: evaluate_table(policy, typed_table))
    ours_text = best_of(args.repeat, lambda: evaluate_table(policy, text))
    _report("hand-written NumPy, rules only", rows, rules_only, hand)
    _report("hand-written NumPy (typed)", rows, hand, hand)
    _report("evaluate_table (typed, 1 thread)", rows, alone, hand)
    _report("evaluate_table (text, 1 thread)", rows, alone_text, hand)
    _report(f"evaluate_table (typed, {threads} threads)", rows, ours, hand)
    _report(f"evaluate_table (text, {threads} threads)", rows, ours_text, hand)
    return 1 if wrong or wrong_text else 0


def _report(name: str, rows: int, seconds: float, yardstick: float) -> None:
    ratio = yardstick / seconds
    print(
        f"{name:32} {rows / seconds:>12,.0f} rows/s  {seconds:7.3f} s  {ratio:5.2f}x hand-written"
    )


if __name__ == "__main__":
    raise SystemExit(main())
