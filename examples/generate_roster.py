"""Write a synthetic Shancheng roster for demos and benchmarks.

    python examples/generate_roster.py --rows 300 --seed 2025 -o examples/roster-2025.csv

No real person is in it: names, dates and ID numbers are drawn from a seeded generator, so the
same seed always gives the same file. People are spread over the 46 villages and communities of
the plan's attachment in proportion to their reference head counts, and the mix (ages, assistance
statuses, employees, students, tiers, sponsors) is chosen so that every rule of the 2025 policy
fires, including choices the plan does not allow (a 400 tier, the 100 tier without hardship).
``--with-bad-rows`` also plants malformed rows, one of each kind a collector's export produces.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import IO

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("-o", "--output", help="the CSV to write (default stdout)")
    parser.add_argument(
        "--with-bad-rows", action="store_true", help="plant malformed rows among the others"
    )
    args = parser.parse_args(argv)
    if args.rows < 0:
        parser.error("--rows must not be negative")
    rows = generate(args.rows, args.seed, with_bad_rows=args.with_bad_rows)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            write(rows, out)
    else:
        write(rows, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
