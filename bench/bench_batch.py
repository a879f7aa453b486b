"""Whole-process ``contribpolicy batch`` on a generated roster: seconds, rows/s, peak memory.

Run by hand; the figures go in the issue note and docs/rosters.md, never in a test:

    .venv/bin/python bench/bench_batch.py --rows 1000000
    .venv/bin/python bench/bench_batch.py --rows 10000000 --formats csv
    .venv/bin/python bench/bench_batch.py --rows 100000 --row-by-row   # the reference path

A CSV -> CSV run on a plain UTF-8 roster takes the columnar path (``contribpolicy.rosters._fast``);
``--row-by-row`` passes the flag of that name, to measure the per-row path it must equal.

It generates a roster with ``examples/generate_roster.py --fast`` (every row drawn, unique
person_ids and ID numbers, a million rows a second; made once per size and kept in ``build/``),
then runs the command in a subprocess, as a collector would, for each output format, under
``/usr/bin/time -v`` where that exists so the peak resident memory is measured by the kernel,
not estimated. ``bench_scale.py`` (``make bench``) runs it against a hand-written program.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "bench"
BIN = Path(sys.executable).parent


def roster(rows: int) -> Path:
    """The generated roster of ``rows`` rows, made once."""
    BUILD.mkdir(parents=True, exist_ok=True)
    path = BUILD / f"roster-{rows}-2025.csv"
    if not path.exists():
        generator = [sys.executable, str(ROOT / "examples" / "generate_roster.py"), "--fast"]
        partial = path.with_suffix(".partial")
        subprocess.run([*generator, "--rows", str(rows), "-o", str(partial)], check=True)
        partial.rename(path)
    return path


def run(path: Path, output: Path, options: list[str]) -> tuple[float, int | None]:
    """Seconds of wall time and peak resident kilobytes of one ``batch`` run."""
    command = [str(BIN / "contribpolicy"), "batch", str(ROOT / "policies" / "2025.yaml"),
               str(path), "-o", str(output), "--quiet", *options]  # fmt: skip
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if timer:
        command = [timer, "-v", *command]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return seconds, int(peak.group(1)) if peak else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", default="csv", help="output suffixes, e.g. csv,parquet,xlsx")
    parser.add_argument("--row-by-row", action="store_true", help="measure the per-row path")
    args = parser.parse_args()
    options = ["--row-by-row"] if args.row_by_row else []
    path = roster(args.rows)
    total = args.rows
    for suffix in args.formats.split(","):
        seconds, peak = run(path, BUILD / f"out.{suffix}", options)
        memory = f", peak {peak / 1024:.0f} MiB" if peak else ""
        print(
            f"batch CSV -> {suffix}{' (row by row)' if options else ''}, {total} rows: "
            f"{seconds:.2f} s, "
            f"{total / seconds:,.0f} rows/s{memory}"
        )


if __name__ == "__main__":
    main()
