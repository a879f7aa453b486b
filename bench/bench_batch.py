"""Whole-process ``contribpolicy batch`` on a generated roster: seconds, rows/s, peak memory.

Run by hand; the figures go in the issue note and docs/rosters.md, never in a test:

    .venv/bin/python bench/bench_batch.py --rows 1000000
    .venv/bin/python bench/bench_batch.py --rows 100000 --tile 100 --formats csv

It generates a roster with ``examples/generate_roster.py`` (about 30,000 rows a second, so it
is made once per size and kept in ``build/``; ``--tile N`` repeats it N times, person_ids made
unique, to reach 10 million rows in a minute rather than six), then runs the command in a
subprocess, as a collector would, for each output format, under ``/usr/bin/time -v`` where that
exists so the peak resident memory is measured by the kernel, not estimated.
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "bench"
BIN = Path(sys.executable).parent


def roster(rows: int, tile: int) -> Path:
    """The generated roster of ``rows`` rows repeated ``tile`` times, made once."""
    BUILD.mkdir(parents=True, exist_ok=True)
    base = BUILD / f"roster-{rows}.csv"
    if not base.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "examples" / "generate_roster.py"), "--rows", str(rows),
             "-o", str(base)],
            check=True,
        )  # fmt: skip
    if tile == 1:
        return base
    tiled = BUILD / f"roster-{rows}x{tile}.csv"
    if not tiled.exists():
        with base.open(encoding="utf-8", newline="") as source:
            lines = list(csv.reader(source))
        with tiled.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(lines[0])
            for copy in range(tile):
                writer.writerows([f"{row[0]}-{copy}", "", *row[2:]] for row in lines[1:])
    return tiled


def run(path: Path, output: Path) -> tuple[float, int | None]:
    """Seconds of wall time and peak resident kilobytes of one ``batch`` run."""
    command = [str(BIN / "contribpolicy"), "batch", str(ROOT / "policies" / "2025.yaml"),
               str(path), "-o", str(output), "--quiet"]  # fmt: skip
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
    parser.add_argument("--tile", type=int, default=1)
    parser.add_argument("--formats", default="csv", help="output suffixes, e.g. csv,parquet,xlsx")
    args = parser.parse_args()
    path = roster(args.rows, args.tile)
    total = args.rows * args.tile
    for suffix in args.formats.split(","):
        seconds, peak = run(path, BUILD / f"out.{suffix}")
        memory = f", peak {peak / 1024:.0f} MiB" if peak else ""
        print(
            f"batch CSV -> {suffix}, {total} rows: {seconds:.2f} s, "
            f"{total / seconds:,.0f} rows/s{memory}"
        )


if __name__ == "__main__":
    main()
