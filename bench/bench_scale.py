"""``make bench``: ``contribpolicy batch`` against a hand-written NumPy program, whole process.

    .venv/bin/python bench/bench_scale.py                      # 1M and 10M rows, 3 pairs each
    .venv/bin/python bench/bench_scale.py --rows 1000000 --pairs 5 --skip validate,evaluate

Run by hand; the figures go in the issue note and docs/rosters.md, never in a test. For each
size it generates a roster once (``examples/generate_roster.py --fast``: unique person_ids and ID
numbers, every row drawn, none tiled) into ``build/bench/``, then runs the hand-written program
(``bench/handwritten_numpy_2025.py``) and ``contribpolicy batch`` alternately, ``--pairs``
times, each in its own process, timing the wall clock and taking each process's peak resident
memory from the kernel (``os.wait4``). The first pair's outputs are compared on every row
(statuses, and amounts where eligible), so a fast wrong answer cannot pass. It prints medians,
the median of the pairs' ratios, and the load of the machine when it ran.

It also times ``contribpolicy validate`` against ``python -c pass`` (alternated, median), the
same batch from ``.xlsx`` (100k rows) and Parquet inputs against the hand-written program on
their plain readers (openpyxl, pyarrow.parquet), and runs ``bench_evaluate.py`` for
``Policy.evaluate`` per person.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "bench"
POLICY = ROOT / "policies" / "2025.yaml"
PYTHON = sys.executable
CONTRIBPOLICY = str(Path(PYTHON).parent / "contribpolicy")
HANDWRITTEN = str(ROOT / "bench" / "handwritten_numpy_2025.py")
SCHEMES = ("pension", "medical")
AMOUNTS = ("individual", "government", "sponsor", "total")


@attrs.frozen
class Run:
    """One process: wall seconds, processor seconds (user and system, all its threads: what
    other work on the machine disturbs least) and peak resident memory in MiB."""

    seconds: float
    peak_mib: float
    cpu: float


#: Children may cache their bytecode as an installed package does (this machine's environment
#: sets PYTHONDONTWRITEBYTECODE, which would make every run compile every module again).
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(command: Sequence[str], allowed: tuple[int, ...] = (0,)) -> Run:
    """Run ``command`` to its end; its own peak memory, as the kernel counted it. An exit
    code not ``allowed`` stops the benchmark."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode not in allowed:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)  # KiB on Linux


def roster(rows: int, seed: int) -> Path:
    """The generated roster of ``rows`` rows, made once and kept."""
    BUILD.mkdir(parents=True, exist_ok=True)
    path = BUILD / f"roster-{rows}-{seed}.csv"
    if not path.exists():
        partial = path.with_suffix(".partial")
        generator = [PYTHON, str(ROOT / "examples" / "generate_roster.py"), "--fast"]
        subprocess.run(
            [*generator, "--rows", str(rows), "--seed", str(seed), "-o", str(partial)], check=True
        )
        partial.rename(path)
    return path


def converted(csv_path: Path, suffix: str, rows: int | None = None) -> Path:
    """The roster (its first ``rows`` rows) as ``.xlsx`` or Parquet, every cell text."""
    path = csv_path.with_name(f"{csv_path.stem}{f'-{rows}' if rows else ''}{suffix}")
    if path.exists():
        return path
    options = pacsv.ConvertOptions(column_types=_all_text(csv_path))
    table = pacsv.read_csv(csv_path, convert_options=options)
    if rows is not None:
        table = table.slice(0, rows)
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, path)
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(table.column_names)
        for batch in table.to_batches(1 << 16):
            for row in zip(*(column.to_pylist() for column in batch.columns), strict=True):
                sheet.append(row)
        book.save(path)
    return path


def _all_text(path: Path) -> dict[str, pa.DataType]:
    with path.open(encoding="utf-8") as handle:
        return dict.fromkeys(handle.readline().strip().split(","), pa.string())


def commands(roster_path: Path, name: str) -> tuple[list[str], list[str], Path, Path]:
    """The hand-written and the batch command lines, and their output files."""
    hand_out = BUILD / f"{name}-hand.csv"
    ours_out = BUILD / f"{name}-batch.csv"
    hand = [PYTHON, HANDWRITTEN, str(roster_path), str(hand_out)]
    ours = [CONTRIBPOLICY, "batch", str(POLICY), str(roster_path), "-o", str(ours_out), "--quiet"]
    return hand, ours, hand_out, ours_out


def pairs(
    hand: list[str], ours: list[str], count: int, allowed: tuple[int, ...] = (0,)
) -> list[tuple[Run, Run]]:
    """``count`` pairs of runs, alternating which goes first so neither always has the warmer
    cache."""
    result = []
    for index in range(count):
        if index % 2:
            second = run(ours, allowed)
            first = run(hand)
        else:
            first = run(hand)
            second = run(ours, allowed)
        result.append((first, second))
    return result


def compared_rows(hand_out: Path, ours_out: Path) -> tuple[int, int]:
    """Rows compared and rows that differ: person_id, statuses, amounts where eligible."""
    rows = wrong = 0
    for theirs, ours in _aligned(_batches(hand_out), _batches(ours_out)):
        differs = pc.not_equal(theirs["person_id"], ours["person_id"])
        for scheme in SCHEMES:
            status = f"{scheme}_status"
            differs = pc.or_(differs, pc.not_equal(theirs[status], ours[status]))
            eligible = pc.equal(ours[status], "eligible")
            for part in AMOUNTS:
                name = f"{scheme}_{part}"
                other = pc.and_(eligible, pc.not_equal(theirs[name], ours[name]))
                differs = pc.or_(differs, other)
        rows += len(ours)
        wrong += pc.sum(differs.cast(pa.int64())).as_py() or 0
    return rows, wrong


_COMPARED = ["person_id", *(f"{s}_{p}" for s in SCHEMES for p in ("status", *AMOUNTS))]


def _batches(path: Path) -> Iterator[pa.RecordBatch]:
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=1 << 24),
        convert_options=pacsv.ConvertOptions(
            include_columns=_COMPARED, column_types=dict.fromkeys(_COMPARED, pa.string())
        ),
    )
    yield from reader


def _aligned(
    left: Iterator[pa.RecordBatch], right: Iterator[pa.RecordBatch]
) -> Iterator[tuple[pa.RecordBatch, pa.RecordBatch]]:
    """Equal-length slices of two streams of batches, in order; unequal lengths fail."""
    a = b = None
    while True:
        a = a if a is not None and len(a) else next(left, None)
        b = b if b is not None and len(b) else next(right, None)
        if a is None or b is None:
            if a is not None or b is not None:
                raise SystemExit("the outputs have different numbers of rows")
            return
        size = min(len(a), len(b))
        yield a.slice(0, size), b.slice(0, size)
        a, b = a.slice(size), b.slice(size)


@attrs.frozen
class Row:
    """A line of the table: the work, our runs, theirs, and the ratios of the pairs."""

    work: str
    ours: list[Run]
    theirs: list[Run]
    yardstick: str

    def line(self) -> str:
        pairs = list(zip(self.ours, self.theirs, strict=True))
        ratios = [o.seconds / t.seconds for o, t in pairs]
        cpu_ratios = [o.cpu / t.cpu for o, t in pairs]
        return (
            f"| {self.work} | {_figures(self.ours)} | {self.yardstick}: {_figures(self.theirs)} "
            f"| {statistics.median(ratios):.2f}x (pairs: {', '.join(f'{r:.2f}' for r in ratios)})"
            f"; CPU {statistics.median(cpu_ratios):.2f}x |"
        )


def _figures(runs: list[Run]) -> str:
    """Median wall and processor seconds, and the largest peak memory, of some runs."""
    wall = statistics.median(r.seconds for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    return f"{wall:.3f} s (CPU {cpu:.3f} s), peak {max(r.peak_mib for r in runs):,.0f} MiB"


def bench_batch(roster_path: Path, work: str, count: int, name: str) -> Row:
    hand, ours, hand_out, ours_out = commands(roster_path, name)
    runs = pairs(hand, ours, count)
    rows, wrong = compared_rows(hand_out, ours_out)
    print(f"{work}: {rows:,} rows compared with the hand-written program, {wrong} differ")
    if wrong:
        raise SystemExit("batch and the hand-written program disagree")
    return Row(work, [o for _, o in runs], [t for t, _ in runs], "hand-written NumPy program")


def payments_and_dues(roster_path: Path, batch_out: Path, count: int) -> tuple[Path, Path]:
    """A payments file of ``count`` payments (each eligible person's individual part, by an
    agent, medical first, then pension) and the dues file the plain join reads, made from
    ``batch``'s output for the roster."""
    payments = roster_path.with_name(f"{roster_path.stem}-payments-{count}.csv")
    dues = roster_path.with_name(f"{roster_path.stem}-dues.csv")
    if payments.exists() and dues.exists():
        return payments, dues
    names = ["person_id", *(f"{s}_{p}" for s in SCHEMES for p in ("status", "individual"))]
    options = pacsv.ConvertOptions(
        include_columns=names, column_types=dict.fromkeys(names, pa.string())
    )
    out = pacsv.read_csv(batch_out, convert_options=options)
    parts = []
    for scheme in SCHEMES:
        due = out.filter(pc.equal(out[f"{scheme}_status"], "eligible"))
        size = due.num_rows
        parts.append(
            pa.table(
                {
                    "person_id": due["person_id"],
                    "scheme": pa.array([scheme] * size, pa.string()),
                    "due": due[f"{scheme}_individual"],
                }
            )
        )
    every = pa.concat_tables([parts[1], parts[0]])
    write = pacsv.WriteOptions(quoting_style="none")
    pacsv.write_csv(every, dues, write_options=write)
    chosen = every.slice(0, count)
    size = chosen.num_rows
    table = pa.table(
        {
            "person_id": chosen["person_id"],
            "scheme": chosen["scheme"],
            "year": pa.array(["2025"] * size, pa.string()),
            "amount": chosen["due"],
            "date": pa.array(["2025-03-01"] * size, pa.string()),
            "channel": pa.array(["agent"] * size, pa.string()),
            "kind": pa.array(["regular"] * size, pa.string()),
        }
    )
    pacsv.write_csv(table, payments, write_options=write)
    return payments, dues


def bench_reconcile(roster_path: Path, count: int, pairs_count: int) -> Row:
    """``reconcile`` of the roster and ``count`` payments against the plain Arrow join."""
    batch_out = BUILD / "reconcile-dues-batch.csv"
    run([CONTRIBPOLICY, "batch", str(POLICY), str(roster_path), "-o", str(batch_out), "--quiet"])
    payments, dues = payments_and_dues(roster_path, batch_out, count)
    out = BUILD / "reconcile-out.csv"
    ours = [CONTRIBPOLICY, "reconcile", str(POLICY), str(roster_path), str(payments)]
    ours += ["-o", str(out), "--summary", str(BUILD / "reconcile-summary.txt")]
    join = str(ROOT / "bench" / "handwritten_join.py")
    hand = [PYTHON, join, str(roster_path), str(payments), str(dues), str(BUILD / "join-out.csv")]
    runs = pairs(hand, ours, pairs_count, allowed=(0, 1))
    return Row(
        f"`reconcile`, {roster_path.stem.split('-')[1]} people, {count:,} payments",
        [o for _, o in runs],
        [t for t, _ in runs],
        "plain Arrow join (bench/handwritten_join.py)",
    )


def bench_validate(count: int) -> Row:
    validate = [CONTRIBPOLICY, "validate", str(POLICY)]
    nothing = [PYTHON, "-c", "pass"]
    runs = pairs(nothing, validate, count)
    return Row(
        "`contribpolicy validate policies/2025.yaml`",
        [o for _, o in runs],
        [t for t, _ in runs],
        "`python -c pass`",
    )


class _Table(list[Row]):
    """The rows measured; each is also printed when done, so a long run shows its progress."""

    def append(self, row: Row) -> None:
        print(row.line(), flush=True)
        super().append(row)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000000,10000000", help="roster sizes, by commas")
    parser.add_argument("--pairs", type=int, default=3, help="alternated runs per figure")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--parquet-rows", type=int, default=10_000_000)
    parser.add_argument("--reconcile-rows", type=int, default=1_000_000)
    parser.add_argument(
        "--skip",
        default="",
        help="any of: csv,validate,evaluate,xlsx,parquet,reconcile (by commas)",
    )
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    print(f"load when started: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min)")
    table = _Table()
    run([PYTHON, "-m", "compileall", "-q", str(ROOT / "src")])  # cached before any timing
    if "validate" not in skip:
        table.append(bench_validate(max(args.pairs, 5)))
    if "csv" not in skip:
        for rows in (int(text) for text in args.rows.split(",")):
            path = roster(rows, args.seed)
            table.append(bench_batch(path, f"`batch`, {rows:,} rows CSV", args.pairs, "csv"))
    if "xlsx" not in skip:
        path = converted(roster(args.xlsx_rows, args.seed), ".xlsx")
        table.append(
            bench_batch(path, f"`batch`, {args.xlsx_rows:,} rows .xlsx", args.pairs, "xlsx")
        )
    if "parquet" not in skip:
        path = converted(roster(args.parquet_rows, args.seed), ".parquet")
        work = f"`batch`, {args.parquet_rows:,} rows Parquet"
        table.append(bench_batch(path, work, args.pairs, "parquet"))
    if "reconcile" not in skip:
        path = roster(args.reconcile_rows, args.seed)
        table.append(bench_reconcile(path, args.reconcile_rows, args.pairs))
    print(f"load when done: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min)")
    print("wall and CPU (user + system, all threads) seconds, medians; peak RSS from wait4")
    print("| work | contribpolicy (median) | yardstick (median) | ratio, median of pairs |")
    print("|---|---|---|---|")
    for row in table:
        print(row.line())
    if "evaluate" not in skip:
        evaluate = [PYTHON, str(ROOT / "bench" / "bench_evaluate.py")]
        subprocess.run([*evaluate, "--rows", "100000", "--no-batch"], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
