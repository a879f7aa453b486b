"""Write a synthetic Shancheng roster for demos and benchmarks.

    python examples/generate_roster.py --rows 300 --seed 2025 -o examples/roster-2025.csv

No real person is in it: names, dates and ID numbers are drawn from a seeded generator, so the
same seed always gives the same file. People are spread over the 46 villages and communities of
the plan's attachment in proportion to their reference head counts, and the mix (ages, assistance
statuses, employees, students, tiers, sponsors) is chosen so that every rule of the 2025 policy
fires, including choices the plan does not allow (a 400 tier, the 100 tier without hardship).
``--with-bad-rows`` also plants malformed rows, one of each kind a collector's export produces.

``--fast`` draws the same mix with NumPy and writes it with Arrow (the ``columnar`` extra), a
million rows in about a second instead of half a minute: for benchmarks at province scale
(``make bench``). Every row is unique and new, none tiled from others; ID numbers stay unique
by giving each birth date's people distinct sequence numbers (and, past 999 of them, the next
district's code). Its rows are not those of the default generator for the same seed.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import IO, Any

from stdnum.cn import ric

COLUMNS = (
    "person_id",
    "id_number",
    "name",
    "village",
    "birth_date",
    "residence",
    "statuses",
    "employee_pension",
    "employee_medical",
    "student",
    "pension_tier",
    "medical_sponsor",
)

# The plan's attachment (山城街道2025年度居民社会保险费征缴统计参照表): village or community and
# its reference head count for medical insurance, 70,487 people in all.
VILLAGES: tuple[tuple[str, int], ...] = (
    ("城市社区", 4230),
    ("花泉社区", 960),
    ("后官庄社区", 1614),
    ("前官庄社区", 1975),
    ("沈庄社区", 2090),
    ("王峪村", 1810),
    ("驳山头村", 1315),
    ("沃里村", 1025),
    ("善崮村", 2217),
    ("横岭村", 2195),
    ("东江村", 2756),
    ("养子峪村", 1047),
    ("海子村", 941),
    ("库山头村", 1292),
    ("河崖村", 1079),
    ("刘庄村", 2485),
    ("柱子山村", 1293),
    ("南庄社区", 1801),
    ("东鲁社区", 1892),
    ("西山腰村", 916),
    ("西鲁社区", 1459),
    ("南岭村", 1045),
    ("东南庄村", 1334),
    ("东山腰村", 1452),
    ("段庄村", 575),
    ("三山前村", 1004),
    ("石龙口村", 1362),
    ("朴山前村", 1195),
    ("东山亭社区", 3749),
    ("西山亭社区", 1650),
    ("柴林社区", 1994),
    ("郭庄社区", 1106),
    ("双山社区", 1960),
    ("桃山村", 1500),
    ("格上社区", 1090),
    ("中水峪村", 1287),
    ("小王庄村", 1159),
    ("吴庄村", 1073),
    ("岩头村", 1577),
    ("南官庄村", 1349),
    ("岩底村", 1423),
    ("岩店村", 1156),
    ("枣树岭村", 1247),
    ("沙河头村", 956),
    ("薄板村", 902),
    ("东水峪村", 950),
)

REFERENCE = date(2025, 1, 1)  # the 2025 policy's age reference date
REGION = "370406"  # Shanting district, Zaozhuang

# Share of the population by five-year age band (0-4, 5-9, ... 90-95): a rural Shandong shape,
# many people in their fifties, few children, a long tail of the very old.
AGE_BANDS = (4.5, 5.5, 6, 5.5, 5, 5.5, 7.5, 7, 6.5, 7.5, 8.5, 8, 6.5, 5.5, 4.5, 3, 2, 1, 0.4)
ASSISTANCE = ("extreme_poverty", "dibao", "returned_to_poverty", "dibao_edge", "poverty_monitoring")
DISABILITY = ("disability_1", "disability_2", "disability_3", "disability_4")

# Tiers people choose; "" (nothing chosen), 400 (not offered) and 100 (hardship only) are there
# on purpose: the plan does not allow them, and the output must show it.
TIER_CHOICES = ("350", "500", "800", "1000", "3000", "5000", "8000", "", "400", "100")
TIER_WEIGHTS = (30, 25, 10, 12, 6, 3, 2, 4, 2, 3)

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
    "程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎褚"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红金凤文海燕春梅东峰立新"

Row = list[str]


class _Person:
    """Draws one plausible person; the methods follow the order of the roster's columns."""

    def __init__(self, rng: random.Random, used_ids: set[str]) -> None:
        self.rng = rng
        self.used_ids = used_ids
        band = rng.choices(range(len(AGE_BANDS)), AGE_BANDS)[0]
        self.age = min(band * 5 + rng.randrange(5), 95)
        born_year = REFERENCE.year - 1 - self.age
        # Any day but 1 January keeps the completed age on the reference date equal to `age`.
        self.born = date(born_year, 1, 1) + timedelta(days=rng.randrange(1, 365))
        self.statuses = [code for code in ASSISTANCE if rng.random() < 0.05]
        if rng.random() < 0.06:
            self.statuses.append(rng.choice(DISABILITY))
        self.residence = rng.choices(("local", "permit", "none"), (92, 6, 2))[0]
        working = 18 <= self.age <= 59
        self.employee_pension = working and rng.random() < 0.2
        self.employee_medical = (self.employee_pension and rng.random() < 0.9) or (
            self.age >= 60 and rng.random() < 0.12
        )
        self.student = rng.random() < _student_share(self.age)

    def id_number(self) -> str:
        while True:
            body = f"{REGION}{self.born:%Y%m%d}{self.rng.randrange(1, 1000):03d}"
            number: str = body + ric.calc_check_digit(body + "0")
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def severe(self) -> bool:
        return "disability_1" in self.statuses or "disability_2" in self.statuses

    def tier(self) -> str:
        rng = self.rng
        pension_age = 16 <= self.age <= 59
        if not pension_age or self.student or self.employee_pension or self.residence == "none":
            return rng.choice(("350", "500")) if rng.random() < 0.03 else ""
        if self.severe() or set(self.statuses) & set(ASSISTANCE):
            # The severely disabled may leave it blank: the government proxy-pays their 100.
            blank = self.severe() and rng.random() < 0.3
            return "" if blank else rng.choices(("100", "350", "500"), (70, 20, 10))[0]
        return rng.choices(TIER_CHOICES, TIER_WEIGHTS)[0]

    def sponsor(self) -> str:
        if self.residence == "none" or self.employee_medical or self.rng.random() >= 0.04:
            return ""
        return self.rng.choice(("100", "200", "400", "150.50"))

    def flag(self, value: bool) -> str:
        if self.rng.random() < 0.05:  # some agents type 是/否
            return "是" if value else "否"
        return "1" if value else "0"


def _student_share(age: int) -> float:
    if 6 <= age <= 15:
        return 0.95
    if 16 <= age <= 18:
        return 0.8
    if 19 <= age <= 22:
        return 0.45
    return 0.0


def _row(index: int, rng: random.Random, used_ids: set[str], village: str) -> Row:
    person = _Person(rng, used_ids)
    kind = rng.random()
    id_number = person.id_number() if kind < 0.85 else ""
    birth_date = person.born.isoformat() if kind < 0.7 or not id_number else ""
    name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
    return [
        f"SC{index:06d}",
        id_number,
        name,
        village,
        birth_date,
        person.residence,
        ";".join(person.statuses),
        person.flag(person.employee_pension),
        person.flag(person.employee_medical),
        person.flag(person.student),
        person.tier(),
        person.sponsor(),
    ]


def _set(column: str, value: str) -> Callable[[Row], Row]:
    position = COLUMNS.index(column)

    def spoil(row: Row) -> Row:
        row[position] = value
        return row

    return spoil


def _wrong_check_digit(row: Row) -> Row:
    number = row[1] or f"{REGION}19800101123" + "4"
    last = number[17]
    row[1] = number[:17] + ("1" if last != "1" else "2")
    return row


def _disagreeing_birth_date(row: Row) -> Row:
    if not row[1]:
        row[1] = "370406198001011239"  # a valid number: its check digit is 9
    row[4] = "1990-05-05"
    return row


# One of each mistake a collector's export really contains; each makes the row malformed.
BAD_ROWS: tuple[Callable[[Row], Row], ...] = (
    _set("birth_date", "1985-02-30"),
    _wrong_check_digit,
    _set("statuses", "disabled"),
    _set("residence", "外地"),
    lambda row: row[:-1],  # a cell short
    _set("employee_pension", "maybe"),
    _set("pension_tier", "三百五"),
    _set("medical_sponsor", "12.345"),
    _disagreeing_birth_date,
    _set("person_id", ""),
)


def generate(rows: int, seed: int, *, with_bad_rows: bool = False) -> list[Row]:
    """The roster's data rows (without the header), the same for the same arguments."""
    rng = random.Random(seed)
    names = [name for name, _count in VILLAGES]
    weights = [count for _name, count in VILLAGES]
    used_ids: set[str] = set()
    # A roster is issued village by village (五（二）), so rows come grouped in the plan's order.
    order = {name: index for index, name in enumerate(names)}
    villages = sorted(rng.choices(names, weights, k=rows), key=order.__getitem__)
    result = [_row(index + 1, rng, used_ids, village) for index, village in enumerate(villages)]
    if with_bad_rows and rows:
        count = min(rows, max(len(BAD_ROWS), rows // 100))
        for number, position in enumerate(sorted(rng.sample(range(rows), count))):
            result[position] = BAD_ROWS[number % len(BAD_ROWS)](result[position])
    return result


def write(rows: Sequence[Row], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)


# Districts of Zaozhuang: ID numbers go on in the next once a birth date has 999 (--fast).
REGIONS = ("370406", "370402", "370403", "370404", "370405", "370481")
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # GB 11643 check digit
_CHECK = b"10X98765432"
#: Sequence numbers of one birth date in one district (the shuffle's step 337 is prime to it).
SEQUENCES = 999
_FIRST_DAY = date(REFERENCE.year - 100, 1, 1)
#: Rows drawn at a time by ``--fast``: memory stays bounded however many rows are asked.
FAST_BLOCK = 1 << 20


def write_fast(rows: int, seed: int, path: str) -> None:
    """``rows`` rows drawn with NumPy and written with Arrow to ``path``, a block at a time:
    the mix of ``generate`` (not its rows), each row new, none tiled from others."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    schema = pa.schema([(name, pa.string()) for name in COLUMNS])
    weights = np.array([count for _name, count in VILLAGES], dtype=np.float64)
    villages = np.sort(rng.choice(weights.size, size=rows, p=weights / weights.sum()))
    # Per birth date: ID numbers given so far, and where its shuffled sequence starts.
    taken = np.stack([np.zeros(366 * 101, dtype=np.int64), rng.integers(0, 999, 366 * 101)])
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    with open(path, "wb") as out, pacsv.CSVWriter(out, schema, write_options=options) as writer:
        out.write((",".join(COLUMNS) + "\n").encode())
        for start in range(0, rows, FAST_BLOCK):
            block = _Drawn(rng, villages[start : start + FAST_BLOCK])
            writer.write_batch(pa.record_batch(block.columns(start, taken), schema=schema))


class _Drawn:
    """A block of people drawn at once, as ``_Person`` draws one."""

    def __init__(self, rng: Any, villages: Any) -> None:
        import numpy as np

        self.rng = rng
        self.villages = villages
        size = self.size = villages.size
        bands = np.array(AGE_BANDS, dtype=np.float64)
        band = rng.choice(bands.size, size=size, p=bands / bands.sum())
        self.age = age = np.minimum(band * 5 + rng.integers(0, 5, size), 95)
        year = (REFERENCE.year - 1 - age - 1970).astype("datetime64[Y]").astype("datetime64[D]")
        self.born = year + rng.integers(1, 365, size).astype("timedelta64[D]")
        self.assistance = rng.random((size, len(ASSISTANCE))) < 0.05
        self.disability = np.where(
            rng.random(size) < 0.06, rng.integers(1, len(DISABILITY) + 1, size), 0
        )
        self.residence = rng.choice(3, size=size, p=[0.92, 0.06, 0.02])
        working = (age >= 18) & (age <= 59)
        self.pension = working & (rng.random(size) < 0.2)
        self.medical = (self.pension & (rng.random(size) < 0.9)) | (
            (age >= 60) & (rng.random(size) < 0.12)
        )
        share = np.select(
            [(age >= 6) & (age <= 15), (age >= 16) & (age <= 18), (age >= 19) & (age <= 22)],
            [0.95, 0.8, 0.45],
            0.0,
        )
        self.student = rng.random(size) < share

    def columns(self, start: int, taken: Any) -> list[Any]:
        """The block's cells, column by column (``COLUMNS``), as Arrow string arrays."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        rng, size = self.rng, self.size
        kind = rng.random(size)
        has_id = kind < 0.85
        born = pa.array(self.born).cast(pa.string())
        number = pa.array(np.arange(start + 1, start + size + 1)).cast(pa.string())
        return [
            pc.binary_join_element_wise("SC", pc.utf8_lpad(number, 6, "0"), ""),
            self._id_numbers(has_id, taken),
            self._names(),
            pa.array([name for name, _count in VILLAGES]).take(self.villages),
            pc.if_else(pa.array((kind < 0.7) | ~has_id), born, ""),
            pa.array(["local", "permit", "none"]).take(self.residence),
            self._statuses(),
            *(self._flag(value) for value in (self.pension, self.medical, self.student)),
            pa.array(TIER_CHOICES).take(self._tiers()),
            self._sponsors(),
        ]

    def _id_numbers(self, has_id: Any, taken: Any) -> Any:
        """Valid, unique ID numbers where ``has_id``: each birth date's people numbered on from
        those of earlier blocks (the sequence shuffled), in the next district past 999."""
        import numpy as np
        import pyarrow as pa

        day = (self.born - np.datetime64(_FIRST_DAY, "D")).astype(np.int64)
        rows = np.flatnonzero(has_id)
        order = rows[np.argsort(day[rows], kind="stable")]
        keys = day[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        sizes = np.diff(np.r_[starts, keys.size])
        rank = np.arange(keys.size) - np.repeat(starts, sizes)
        given = taken[0, keys] + rank
        taken[0, keys[starts]] += sizes
        region = np.array(REGIONS, dtype=np.int64)[given // SEQUENCES]
        sequence = ((given % SEQUENCES) * 337 + taken[1, keys]) % SEQUENCES + 1
        born = self.born[order].astype("datetime64[D]")
        yyyymmdd = np.char.replace(born.astype(str), "-", "").astype(np.int64)
        body = (region * 10**8 + yyyymmdd) * 1000 + sequence
        digits = body[:, None] // 10 ** np.arange(16, -1, -1, dtype=np.int64) % 10
        check = np.frombuffer(_CHECK, dtype=np.uint8)[digits @ np.array(_WEIGHTS) % 11]
        text = np.concatenate([digits.astype(np.uint8) + ord("0"), check[:, None]], axis=1)
        numbers = np.full(self.size, b"", dtype="S18")
        numbers[order] = text.view("S18").ravel()
        return pa.array(numbers, pa.binary()).cast(pa.string())

    def _names(self) -> Any:
        import pyarrow as pa
        import pyarrow.compute as pc

        rng, size = self.rng, self.size
        given = pa.array(list(GIVEN))
        second = pc.if_else(
            pa.array(rng.random(size) < 0.5), given.take(rng.integers(0, len(GIVEN), size)), ""
        )
        return pc.binary_join_element_wise(
            pa.array(list(SURNAMES)).take(rng.integers(0, len(SURNAMES), size)),
            given.take(rng.integers(0, len(GIVEN), size)),
            second,
            "",
        )

    def _statuses(self) -> Any:
        """The statuses cell from a code per person: assistance bits, then the disability."""
        import numpy as np
        import pyarrow as pa

        cells = [
            ";".join(
                [code for bit, code in enumerate(ASSISTANCE) if bits >> bit & 1]
                + ([DISABILITY[disability - 1]] if disability else [])
            )
            for bits in range(1 << len(ASSISTANCE))
            for disability in range(len(DISABILITY) + 1)
        ]
        bits = self.assistance @ (1 << np.arange(len(ASSISTANCE)))
        return pa.array(cells).take(bits * (len(DISABILITY) + 1) + self.disability)

    def _flag(self, value: Any) -> Any:
        import pyarrow as pa

        typed = self.rng.random(self.size) < 0.05  # some agents type 是/否
        return pa.array(["0", "1", "否", "是"]).take(value.astype(int) + 2 * typed)

    def _tiers(self) -> Any:
        """Indices into ``TIER_CHOICES``, as ``_Person.tier`` chooses."""
        import numpy as np

        rng, size, age = self.rng, self.size, self.age
        severe = (self.disability == 1) | (self.disability == 2)
        hardship = severe | self.assistance.any(axis=1)
        index = {text: position for position, text in enumerate(TIER_CHOICES)}
        weights = np.array(TIER_WEIGHTS, dtype=np.float64)
        chosen = rng.choice(len(TIER_CHOICES), size=size, p=weights / weights.sum())
        hard = np.array([index["100"], index["350"], index["500"]])[
            rng.choice(3, size=size, p=[0.7, 0.2, 0.1])
        ]
        chosen = np.where(
            hardship, np.where(severe & (rng.random(size) < 0.3), index[""], hard), chosen
        )
        outside = (age < 16) | (age > 59) | self.student | self.pension | (self.residence == 2)
        stray = np.where(rng.random(size) < 0.03, rng.integers(0, 2, size), index[""])
        return np.where(outside, stray, chosen)

    def _sponsors(self) -> Any:
        import pyarrow as pa

        rng, size = self.rng, self.size
        none = (self.residence == 2) | self.medical | (rng.random(size) >= 0.04)
        picked = rng.integers(1, 5, size) * ~none
        return pa.array(["", "100", "200", "400", "150.50"]).take(picked)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("-o", "--output", help="the CSV to write (default stdout)")
    parser.add_argument(
        "--with-bad-rows", action="store_true", help="plant malformed rows among the others"
    )
    parser.add_argument(
        "--fast", action="store_true", help="draw with NumPy, write with Arrow (needs -o)"
    )
    args = parser.parse_args(argv)
    if args.rows < 0:
        parser.error("--rows must not be negative")
    if args.fast:
        if args.with_bad_rows or not args.output:
            parser.error("--fast writes no bad rows, and only to a file (-o)")
        write_fast(args.rows, args.seed, args.output)
        return 0
    rows = generate(args.rows, args.seed, with_bad_rows=args.with_bad_rows)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            write(rows, out)
    else:
        write(rows, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
