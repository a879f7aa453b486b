"""Whole-process ``contribpolicy batch`` on a generated roster: seconds, rows/s, peak memory.

Run by hand; the figures go in the issue note and docs/rosters.md, never in a test:

    .venv/bin/python bench/bench_batch.py --rows 1000000
    .venv/bin/python bench/bench_batch.py --rows 100000 --tile 100 --formats csv
    .venv/bin/python bench/bench_batch.py --rows 100000 --row-by-row   # the reference path

A CSV -> CSV run on a plain UTF-8 roster takes the columnar path (``_batch_columnar``);
``--row-by-row`` passes the flag of that name, to measure the per-row path it must equal.

It generates a roster with ``examples/generate_roster.py`` (about 30,000 rows a second, so it
is made once per size and kept in ``build/``; ``--tile N`` repeats it N times, person_ids and ID
numbers made unique, to reach 10 million rows in a minute rather than six), then runs the
command in a subprocess, as a collector would, for each output format, under
``/usr/bin/time -v`` where that exists so the peak resident memory is measured by the kernel,
not estimated.
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
                writer.writerows(
                    [f"{row[0]}-{copy}", _other_id(row[1], copy), *row[2:]] for row in lines[1:]
                )
    return tiled


def _other_id(number: str, copy: int) -> str:
    """Another valid ID number of the same birth date and sex for each copy (sequence moved by
    an even step, check digit recomputed), so copies are not repeats (七) nor lack a birth
    date; a few may still meet a real person's number, as in life."""
    if len(number) != 18 or copy == 0:
        return number
    from stdnum.cn import ric

    sequence = (int(number[14:17]) + 2 * copy) % 1000
    body = f"{number[:14]}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # it reads the first 17 of 18


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
    parser.add_argument("--tile", type=int, default=1)
    parser.add_argument("--formats", default="csv", help="output suffixes, e.g. csv,parquet,xlsx")
    parser.add_argument("--row-by-row", action="store_true", help="measure the per-row path")
    args = parser.parse_args()
    options = ["--row-by-row"] if args.row_by_row else []
    path = roster(args.rows, args.tile)
    total = args.rows * args.tile
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
