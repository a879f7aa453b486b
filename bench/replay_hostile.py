# ruff: noqa: E501 - the cases are a table, one per line
"""Replay the hostile files of issue 15: each must end in a clear message or a correct result
within 5 s and 1 GiB. Run by hand (figures go in the issue note, never in tests):

    .venv/bin/python bench/replay_hostile.py [WORKDIR]

Each case runs the installed ``contribpolicy`` under ``/usr/bin/time -v`` and prints a Markdown
row: case, exit code, wall time, peak RSS, the first line of stderr.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICY = (ROOT / "policies" / "2025.yaml").read_text("utf-8")
CLI = str(Path(sys.executable).parent / "contribpolicy")
HEADER = ["person_id", "village", "birth_date", "residence", "statuses", "employee_pension",
          "employee_medical", "student"]  # fmt: skip


def person(number: int, village: str = "城市社区") -> list[str]:
    return [f"p{number}", village, "1980-05-01", "local", "", "0", "0", "0"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def diamond(depth: int) -> str:
    named = ["conditions:\n", "  d0:\n    input: {field: residence, in: [local, permit]}\n"]
    named += [f"  d{i}:\n    all:\n      - condition: d{i - 1}\n      - condition: d{i - 1}\n"
              for i in range(1, depth + 1)]  # fmt: skip
    text = POLICY.replace("conditions:\n", "".join(named), 1)
    return text.replace("{condition: resident}", f"{{condition: d{depth}}}")


def chain(length: int) -> str:
    named = ["conditions:\n", "  c0:\n    input: {field: residence, in: [local, permit]}\n"]
    named += [f"  c{i}:\n    condition: c{i - 1}\n" for i in range(1, length + 1)]
    text = POLICY.replace("conditions:\n", "".join(named), 1)
    return text.replace("{condition: resident}", f"{{condition: c{length}}}")


def xlsx(path: Path, rows: list[list[str]], dimension: str | None = None) -> Path:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as to:
        for info in source.infolist():
            data = source.read(info)
            if dimension and info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data
                )
            to.writestr(info.filename, data)
    plain.unlink()
    return path


def bomb(path: Path, entry: str, size: int, fill: bytes) -> Path:
    """A workbook with ``entry`` replaced by ``size`` bytes of ``fill`` (written in chunks)."""
    xlsx(path.with_suffix(".base.xlsx"), [person(1)])
    base = path.with_suffix(".base.xlsx")
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as to:
        for info in source.infolist():
            if info.filename != entry:
                to.writestr(info.filename, source.read(info))
        with to.open(zipfile.ZipInfo(entry), "w", force_zip64=True) as out:
            chunk = fill * (1 << 20)
            for _ in range(size >> 20):
                out.write(chunk)
    base.unlink()
    return path


def cases(work: Path) -> list[tuple[str, list[str]]]:
    policy = work / "p.yaml"
    policy.write_text(POLICY, "utf-8")
    roster300 = write_csv(work / "r300.csv", [person(i) for i in range(300)])
    for depth in (16, 20, 25):
        (work / f"diamond{depth}.yaml").write_text(diamond(depth), "utf-8")
    (work / "chain248.yaml").write_text(chain(248), "utf-8")
    layers = work / "layers"
    layers.mkdir()
    (layers / "l0.yaml").write_text(POLICY, "utf-8")
    for level in range(1, 496):
        (layers / f"l{level}.yaml").write_text(f"extends: l{level - 1}.yaml\n", "utf-8")
    person_json = work / "person.json"
    person_json.write_text('{"person_id": "p1", "birth_date": "1980-05-01", "residence": "local"}')
    dup_json = work / "dup.json"
    dup_json.write_text('{"person_id": "p1", "residence": "local", "residence": "none"}')
    long = "\n".join(["x" * 200] * 1000)
    ml = write_csv(
        work / "multiline.csv", [person(1), person(2), person(3, long), person(4), person(5)]
    )
    (work / "open.csv").write_text(",".join(HEADER) + '\np1,"a\nb","never closed\np3\n', "utf-8")
    mixed = (",".join(HEADER) + "\n").encode()
    for number, encoding in enumerate(["utf-8", "utf-8", "gbk", "utf-8"], start=1):
        mixed += (",".join(person(number)) + "\n").encode(encoding)
    (work / "mixed-utf8.csv").write_bytes(mixed)
    gbk = (",".join(HEADER) + "\n").encode()
    for number, encoding in enumerate(["gbk", "gbk", "gbk", "utf-8"], start=1):
        gbk += (",".join(person(number, "沈庄社区")) + "\n").encode(encoding)
    (work / "mixed-gbk.csv").write_bytes(gbk)
    for written, name in (("030", "octal"), ("1:20", "base60")):
        text = POLICY.replace("        amount: 100\n", f"        amount: {written}\n", 1)
        (work / f"{name}.yaml").write_text(text, "utf-8")
    ext = work / "ext"
    ext.mkdir()
    os.mkfifo(ext / "fifo.yaml")
    (ext / "fifo-child.yaml").write_text("extends: fifo.yaml\nid: x\n")
    (ext / "shadow-child.yaml").write_text("extends: /etc/shadow\nid: x\n")
    (ext / "secret").write_text("root:$6$hash:19000:0:99999:7:::\n")
    (ext / "secret-child.yaml").write_text("extends: secret\nid: x\n")
    xlsx(work / "dim-a1.xlsx", [person(i) for i in range(1, 11)], "A1")
    xlsx(work / "dim-a1c11.xlsx", [person(i) for i in range(1, 11)], "A1:C11")
    bomb(work / "cell-1gib.xlsx", "xl/sharedStrings.xml", 1 << 30, b"A")
    bomb(work / "space-3gib.xlsx", "xl/worksheets/sheet1.xml", 3 << 30, b" ")
    for size in (20, 50):
        with (work / f"blank{size}.csv").open("wb") as out:
            out.write((",".join(HEADER) + "\n").encode())
            out.write(b"\n" * (size << 20))
    hostile_ids = write_csv(work / "formulas.csv", [
        [pid, *person(0)[1:]] for pid in ("=1+1", '=HYPERLINK("http://x","y")', "@P5", "-12")
    ])  # fmt: skip
    labelled = work / "label.yaml"
    labelled.write_text(
        POLICY.replace("    label: 城乡居民基本养老保险\n", '    label: "=1+1"\n', 1)
    )
    nul = work / "nul.csv"
    nul.write_text(",".join(HEADER) + "\n" + ",".join(["a\x00b", *person(0)[1:]]) + "\n", "utf-8")
    (work / "link.csv").symlink_to(roster300)
    device = work / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    b = ["batch", str(policy)]
    return [
        ("1 diamond 16: validate", ["validate", str(work / "diamond16.yaml")]),
        ("1 diamond 20: validate", ["validate", str(work / "diamond20.yaml")]),
        ("1 diamond 25: evaluate", ["evaluate", "--person", str(person_json), str(work / "diamond25.yaml")]),
        ("1 diamond 20: batch --row-by-row, 300 rows", ["batch", str(work / "diamond20.yaml"), str(roster300), "--row-by-row", "-o", str(work / "o1.csv")]),
        ("2 chain of 248 named conditions", ["validate", str(work / "chain248.yaml")]),
        ("2 extends chain of 495 files", ["validate", str(layers / "l495.yaml")]),
        ("3 xlsx <dimension> A1, 10 people", [*b, str(work / "dim-a1.xlsx"), "-o", str(work / "o3a.csv")]),
        ("3 xlsx <dimension> A1:C11", [*b, str(work / "dim-a1c11.xlsx"), "-o", str(work / "o3b.csv")]),
        ("4 quoted cell of 1000 lines", [*b, str(ml), "-o", str(work / "o4.csv")]),
        ("4 unclosed quote opened on line 3", [*b, str(work / "open.csv"), "-o", str(work / "o4b.csv")]),
        ("5 -o = roster", [*b, str(roster300), "-o", str(roster300)]),
        ("5 --errors = roster", [*b, str(roster300), "--errors", str(roster300)]),
        ("5 --summary-json = roster", [*b, str(roster300), "--summary-json", str(roster300)]),
        ("5 --errors = policy", [*b, str(roster300), "--errors", str(policy)]),
        ("5 -o onto a symlink", [*b, str(roster300), "-o", str(work / "link.csv")]),
        ("5 -o onto a device node", [*b, str(roster300), "-o", str(device)]),
        ("6 formulas: --errors CSV", [*b, str(hostile_ids), "-o", str(work / "o6.csv"), "--errors", str(work / "e6.csv")]),
        ("6 label =1+1 in xlsx header", ["batch", str(labelled), str(hostile_ids), "-o", str(work / "o6.xlsx"), "--labels", "zh"]),
        ("6 person_id -12 to Parquet", [*b, str(hostile_ids), "-o", str(work / "o6.parquet")]),
        ("7 one GBK row in UTF-8", [*b, str(work / "mixed-utf8.csv"), "-o", str(work / "o7a.csv")]),
        ("7 one UTF-8 row in GB18030", [*b, str(work / "mixed-gbk.csv"), "-o", str(work / "o7b.csv")]),
        ("9 amount: 030", ["validate", str(work / "octal.yaml")]),
        ("9 amount: 1:20", ["validate", str(work / "base60.yaml")]),
        ("10 extends: a FIFO", ["validate", str(ext / "fifo-child.yaml")]),
        ("10 extends: /etc/shadow", ["validate", str(ext / "shadow-child.yaml")]),
        ("10 extends: a non-policy file", ["validate", str(ext / "secret-child.yaml")]),
        ("11 xlsx with a 1 GiB cell, --errors", [*b, str(work / "cell-1gib.xlsx"), "-o", str(work / "o11.csv"), "--errors", str(work / "e11.csv")]),
        ("11 xlsx whitespace bomb (3 GiB)", [*b, str(work / "space-3gib.xlsx"), "-o", str(work / "o11b.csv")]),
        ("11 CSV of 20 MB blank lines", [*b, str(work / "blank20.csv"), "-o", str(work / "o11c.csv")]),
        ("11 CSV of 50 MB blank lines", [*b, str(work / "blank50.csv"), "-o", str(work / "o11d.csv")]),
        ("12 xlsx run 1", [*b, str(roster300), "-o", str(work / "d1.xlsx")]),
        ("12 xlsx run 2", [*b, str(roster300), "-o", str(work / "d2.xlsx")]),
        ("13 duplicate key in --person JSON", ["evaluate", "--person", str(dup_json), str(policy)]),
        ("13 NUL in person_id", [*b, str(nul), "-o", str(work / "o13.csv")]),
    ]  # fmt: skip


def measure(argv: list[str]) -> tuple[int, float, float, int, str]:
    done = subprocess.run(
        ["/usr/bin/time", "-v", CLI, *argv, "--quiet"] if argv[0] == "batch" else
        ["/usr/bin/time", "-v", CLI, *argv],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    err = done.stderr
    wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", err)
    assert wall is not None, err
    hours, minutes, seconds = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1))  # type: ignore[union-attr]
    status = re.search(r"Exit status: (\d+)", err)
    code = int(status.group(1)) if status else done.returncode
    cpu = sum(
        float(found) for found in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", err)
    )
    lines = [*err.splitlines(), *done.stdout.splitlines()]
    said = next(
        (line for line in lines if ("error" in line or ": is " in line) and "\t" not in line
         and not line.startswith("Command exited")),
        done.stdout.splitlines()[0] if done.stdout else "",
    )  # fmt: skip
    return code, elapsed, cpu, rss, said[:160]


def main() -> None:
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    print(
        "| case | exit | wall s | CPU s | peak RSS MB | what it says |\n|---|---|---|---|---|---|"
    )
    baseline = [
        (
            "baseline: validate policies/2025.yaml",
            ["validate", str(ROOT / "policies" / "2025.yaml")],
        )
    ]
    for name, argv in [*baseline, *cases(work)]:
        code, elapsed, cpu, rss, said = measure(argv)
        said = said.replace("|", "/").replace(str(work) + "/", "")
        print(f"| {name} | {code} | {elapsed:.2f} | {cpu:.2f} | {rss / 1024:.0f} | {said} |")
    same = (work / "d1.xlsx").read_bytes() == (work / "d2.xlsx").read_bytes()
    print(f"\nxlsx byte-identical across runs: {same}")
    if len(sys.argv) <= 1:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
