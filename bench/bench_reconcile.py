"""Reconciliation at scale, next to a plain Arrow join and a plain pandas merge of the same files.

    python examples/generate_payments.py --rows 1000000 --roster-out build/roster-1m.csv \\
        -o build/payments-1m.csv
    python bench/bench_reconcile.py build/roster-1m.csv build/payments-1m.csv

Each way runs in a process of its own, so its peak memory (max RSS) is its own:

- ``reconcile``: ``contribpolicy.collection.reconcile_files`` as the CLI runs it (every row
  checked, dues from the policy per channel, statuses, refunds, balances), rows discarded;
- ``arrow``: read both CSVs with Arrow, sum payments per person, scheme and year, hash-join the
  roster's person ids: no checking, no dues, no statuses;
- ``pandas``: the same with pandas ``read_csv``, ``groupby`` and ``merge``.

The join-only ways do a small part of the work; the figures say what the checking and the
policy cost on top. Figures go in the issue note, never in tests.
"""

# pyarrow and pandas ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

POLICY = Path(__file__).resolve().parent.parent / "policies" / "2025.yaml"


def _reconcile(roster: str, payments: str) -> dict[str, object]:
    import contribpolicy
    from contribpolicy.collection import reconcile_files

    policy = contribpolicy.load_policy(POLICY)
    rows = 0

    def count(block: list[object]) -> None:
        nonlocal rows
        rows += len(block)

    summary = reconcile_files(policy, roster, payments, write=count)
    return {"rows": rows, "balanced": summary.balanced}


def _arrow(roster: str, payments: str) -> dict[str, object]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    text = pacsv.ConvertOptions(column_types={"person_id": pa.string(), "amount": pa.float64()})
    people = pacsv.read_csv(roster, convert_options=text).select(["person_id", "village"])
    paid = pacsv.read_csv(payments, convert_options=text)
    sums = paid.group_by(["person_id", "scheme", "year"]).aggregate([("amount", "sum")])
    joined = people.join(sums, "person_id", join_type="full outer")
    return {"rows": joined.num_rows}


def _pandas(roster: str, payments: str) -> dict[str, object]:
    import pandas as pd

    people = pd.read_csv(roster, dtype=str, usecols=["person_id", "village"])
    paid = pd.read_csv(payments, dtype={"person_id": str, "scheme": str, "channel": str})
    paid["amount"] = pd.to_numeric(paid["amount"], errors="coerce")
    sums = paid.groupby(["person_id", "scheme", "year"], as_index=False)["amount"].sum()
    joined = people.merge(sums, on="person_id", how="outer")
    return {"rows": len(joined)}


WAYS = {"reconcile": _reconcile, "arrow": _arrow, "pandas": _pandas}


def _one(way: str, roster: str, payments: str) -> None:
    start = time.perf_counter()
    result = WAYS[way](roster, payments)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"way": way, "seconds": seconds, "peak_mib": peak, **result}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("roster")
    parser.add_argument("payments")
    parser.add_argument("--way", choices=sorted(WAYS), help="run one way here (used internally)")
    args = parser.parse_args()
    if args.way:
        _one(args.way, args.roster, args.payments)
        return 0
    results = []
    for way in WAYS:
        done = subprocess.run(
            [sys.executable, __file__, args.roster, args.payments, "--way", way],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    base = next(r for r in results if r["way"] == "reconcile")
    for result in results:
        ratio = float(base["seconds"]) / float(result["seconds"])
        print(
            f"{result['way']:>10}: {result['seconds']:8.1f} s  peak {result['peak_mib']:7.0f} MiB"
            f"  rows {result['rows']}  (reconcile takes {ratio:.1f}x this)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
