"""Persons per second: ``Policy.evaluate`` and ``batch`` against a hand-written function.

Run by hand (``make bench``); the figures go in the issue note, never in a test. One run
generates a synthetic roster, then times, on the same records:

* the hand-written 2025 function (``handwritten_2025.assess``), the yardstick;
* ``Policy.evaluate`` as shipped (results shared between people with equal facts);
* ``Policy.evaluate`` with that sharing turned off, every rule run for every person;
* the ``contribpolicy batch`` command, whole process (start-up, CSV in and out, summary).

It also checks that the engine and the hand-written function agree on every row, so a fast
wrong answer cannot pass for a result.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import contribpolicy
from contribpolicy.engine.evaluation import Evaluator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from handwritten_2025 import assess as handwritten

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "2025.yaml"
GENERATOR = ROOT / "examples" / "generate_roster.py"
Record = dict[str, Any]


def generate(rows: int, seed: int, directory: Path) -> Path:
    path = directory / f"roster-{rows}.csv"
    command = [sys.executable, str(GENERATOR), "--rows", str(rows), "--seed", str(seed)]
    subprocess.run([*command, "-o", str(path)], check=True)
    return path


def read_records(path: Path) -> list[Record]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def best_of(
    repeat: int, work: Callable[[], object], clock: Callable[[], float] = time.process_time
) -> float:
    """The fastest of ``repeat`` runs, in processor seconds of this process (its own work,
    which other work on a shared machine disturbs least; a ``batch`` subprocess is timed by
    the wall clock instead)."""
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        work()
        best = min(best, clock() - start)
    return best


def engine_amounts(assessment: contribpolicy.Assessment) -> dict[str, tuple[Any, ...]]:
    return {
        name: (r.status, r.individual, r.government, r.sponsor, r.total)
        for name, r in assessment.items()
    }


def cross_check(policy: contribpolicy.Policy, records: list[Record]) -> tuple[int, int]:
    """Rows compared and rows where the engine and the hand-written function disagree."""
    compared = disagreements = 0
    for record in records:
        try:
            ours = engine_amounts(policy.evaluate(record))
        except contribpolicy.InputError:
            continue
        theirs = handwritten(record)
        compared += 1
        if any(_differs(ours[name], theirs[name]) for name in ours):
            disagreements += 1
            if disagreements <= 3:
                print(f"  disagreement on {record['person_id']}: {ours} != {theirs}")
    return compared, disagreements


def _differs(ours: tuple[Any, ...], theirs: tuple[Any, ...]) -> bool:
    if ours[0] != theirs[0]:
        return True
    return ours[0] == "eligible" and tuple(map(Decimal, ours[1:])) != theirs[1:]


def valid_records(policy: contribpolicy.Policy, records: list[Record]) -> list[Record]:
    result = []
    for record in records:
        try:
            policy.evaluate(record)
        except contribpolicy.InputError:
            continue
        result.append(record)
    return result


def run_all(records: list[Record], apply: Callable[[Mapping[str, Any]], object]) -> None:
    for record in records:
        apply(record)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-batch", action="store_true", help="leave out the batch command")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        roster = generate(args.rows, args.seed, Path(tmp))
        policy = contribpolicy.load_policy(POLICY)
        records = valid_records(policy, read_records(roster))
        count = len(records)
        print(f"roster: {args.rows} generated rows, {count} valid; best of {args.repeat} runs")

        compared, wrong = cross_check(policy, records)
        print(f"cross-check: {compared} rows compared, {wrong} disagreements")

        hand = best_of(args.repeat, lambda: run_all(records, handwritten))
        fresh = contribpolicy.load_policy(POLICY)
        shared = best_of(args.repeat, lambda: run_all(records, fresh.evaluate))
        cold = Evaluator(policy, cache_size=0)
        every = best_of(args.repeat, lambda: run_all(records, cold.evaluate))
        output = Path(tmp) / "out.csv"
        command = [sys.executable, "-m", "contribpolicy", "batch", str(POLICY), str(roster)]
        batch = (
            None
            if args.no_batch
            else best_of(
                args.repeat,
                lambda: subprocess.run(
                    [*command, "-o", str(output)], check=True, stdout=subprocess.DEVNULL
                ),
                clock=time.perf_counter,
            )
        )

    _report("hand-written function", count, hand, hand)
    _report("Policy.evaluate", count, shared, hand)
    _report("Policy.evaluate, no sharing", count, every, hand)
    if batch is not None:
        _report("contribpolicy batch (process)", args.rows, batch, None)
    return 1 if wrong else 0


def _report(name: str, count: int, seconds: float, yardstick: float | None) -> None:
    per = seconds / count * 1e6
    ratio = f"  {seconds / yardstick:5.2f}x hand-written" if yardstick else ""
    print(f"{name:32} {count / seconds:>10,.0f} persons/s  {per:7.2f} µs/person{ratio}")


if __name__ == "__main__":
    raise SystemExit(main())
