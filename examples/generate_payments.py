"""Write synthetic payments for a roster, and the roster with its collection columns.

    python examples/generate_payments.py --roster examples/roster-2025.csv --with-bad-rows \\
        --roster-out examples/roster-2025-collection.csv -o examples/payments-2025.csv
    python examples/generate_payments.py --rows 1000000 --roster-out roster.csv -o payments.csv

The roster is read (``--roster``) or made by ``generate_roster.py`` (``--rows``, ``--seed``), so
generated rosters and payments match. What each person owes per channel comes from the policy
(``contribpolicy.collection.dues_table``); then a seeded draw plants every situation of
reconciliation (七（二）) and of cover dates (五（二）, 38号): paid in the period, paid late,
unpaid, underpaid, overpaid, paid twice (agent and self), the government's part collected by an
agent, paid although not eligible, paid for someone who died in 2024, payments for people
not on the roster, breaks in enrolment with back payments, a newborn paid for within 90 days.
``--roster-out`` adds ``death_date`` and ``insured_years`` (the years insured before) to the
roster. ``--with-bad-rows`` adds payment rows a bank export gets wrong. Same seed, same files.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO

import pyarrow as pa

import contribpolicy
from contribpolicy.collection import dues_table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_roster import COLUMNS, generate

PAYMENT_COLUMNS = ("person_id", "scheme", "year", "amount", "date", "channel", "kind")
YEAR = 2025
PERIOD = (date(2024, 10, 11), date(2024, 12, 31))  # the concentrated payment phase (七（二）)
LATE = (date(2025, 1, 1), date(2025, 6, 30))
CHUNK = 100_000
#: What happens to an eligible person's contribution, and how often (per 1000).
SITUATIONS = (
    ("paid", 815),
    ("late", 40),
    ("unpaid", 40),
    ("underpaid", 15),
    ("overpaid", 15),
    ("duplicate", 15),
    ("via_agent", 60),
)
BAD_ROWS = (
    ["SC000001", "medical", "2025", "4OO", "2024-11-02", "agent", "regular"],
    ["SC000002", "medical", "2025", "400.00", "2024-11-31", "agent", "regular"],
    ["SC000003", "medical", "2025", "400.00", "2024-11-02", "", "regular"],
)
Payment = list[str]
#: Per scheme: status, individual, sponsor, on_behalf, contribution.
Dues = dict[str, dict[str, object]]


class _Draw:
    """The seeded choices for one roster, in roster order."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def day(self, span: tuple[date, date]) -> date:
        return span[0] + timedelta(days=self.rng.randrange((span[1] - span[0]).days + 1))

    def situation(self) -> str:
        names = [name for name, _ in SITUATIONS]
        return self.rng.choices(names, [weight for _, weight in SITUATIONS])[0]

    def history(self) -> tuple[str, int]:
        """``insured_years`` and the last year of a break (0 when none)."""
        roll = self.rng.random()
        if roll < 0.80:
            return "2021;2022;2023;2024", 0
        if roll < 0.92:
            return "", 0  # history unknown: taken as continuously enrolled
        last = self.rng.choice((2019, 2020, 2021, 2022))
        return ";".join(str(year) for year in range(2017, last + 1)), last


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _parts(
    person_id: str, scheme: str, due: dict[str, Decimal], *, when: date, draw: _Draw, how: str
) -> Iterator[Payment]:
    """The payments of one person and scheme for the situation ``how``."""
    individual, on_behalf, sponsor = due["individual"], due["on_behalf"], due["sponsor"]
    personal = draw.rng.choice(("agent", "agent", "agent", "self"))

    def pay(amount: Decimal, channel: str, day: date = when) -> Payment:
        return [person_id, scheme, str(YEAR), _amount(amount), day.isoformat(), channel, "regular"]

    if how == "via_agent" and on_behalf:
        yield pay(individual + on_behalf, "agent")
        if sponsor:
            yield pay(sponsor, "sponsor")
        return
    change = {"underpaid": Decimal(-50), "overpaid": Decimal(100)}.get(how, Decimal(0))
    if individual + change > 0:
        yield pay(individual + change, personal)
    if how == "duplicate" and individual:
        other = "self" if personal == "agent" else "agent"
        yield pay(individual, other, when + timedelta(days=draw.rng.randrange(1, 20)))
    if on_behalf:
        yield pay(on_behalf, "government")
    if sponsor:
        yield pay(sponsor, "sponsor")


def _person_payments(
    row: dict[str, str], dues: Dues, draw: _Draw
) -> tuple[list[Payment], str, str]:
    """One roster row's payments, and its death_date and insured_years cells."""
    person_id = row["person_id"]
    history, last = draw.history()
    died = ""
    payments: list[Payment] = []
    for scheme, due in dues.items():
        if due["status"] != "eligible" or not due["contribution"]:
            if due["status"] == "ineligible" and draw.rng.random() < 0.02:
                payments.append([person_id, scheme, str(YEAR), "400.00",
                                 draw.day(PERIOD).isoformat(), "agent", "regular"])  # fmt: skip
            continue
        how = draw.situation()
        if how == "unpaid":
            continue
        when = draw.day(LATE if how == "late" else PERIOD)
        born = row.get("birth_date", "")
        if born.startswith("2024-1") and scheme == "medical":
            when = date.fromisoformat(born) + timedelta(days=60)  # a newborn, within 90 days
        amounts = {key: Decimal(str(due[key])) for key in ("individual", "on_behalf", "sponsor")}
        payments.extend(_parts(person_id, scheme, amounts, when=when, draw=draw, how=how))
        if scheme == "medical" and last and draw.rng.random() < 0.5:
            for year in range(YEAR - 1, last, -1)[: draw.rng.randrange(1, 3)]:
                payments.append([person_id, scheme, str(year), _amount(amounts["individual"]
                                 + amounts["on_behalf"] + amounts["sponsor"]),
                                 draw.day(LATE).isoformat(), "self", "back_payment"])  # fmt: skip
    if payments and draw.rng.random() < 0.005:
        died = draw.day((date(2024, 1, 1), date(2024, 12, 31))).isoformat()
    return payments, died, history


def _dues(policy: contribpolicy.Policy, rows: list[dict[str, str]]) -> list[Dues]:
    """Each row's dues per scheme, computed a chunk at a time."""
    found: list[Dues] = [{} for _ in rows]
    names = [name for name in rows[0] if name in COLUMNS] if rows else []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        table = pa.table({name: [row.get(name, "") for row in chunk] for name in names})
        result = dues_table(policy, table)
        schemes = result.column("scheme").to_pylist()
        columns = {name: result.column(name).to_pylist() for name in result.column_names}
        for index, scheme in enumerate(schemes):
            row = index % len(chunk)
            found[start + row][scheme] = {name: columns[name][index] for name in columns}
    return found


def build(
    rows: list[dict[str, str]], policy: contribpolicy.Policy, seed: int, *, bad_rows: bool
) -> tuple[list[Payment], list[list[str]]]:
    """The payments, and the roster rows with ``death_date`` and ``insured_years``."""
    draw = _Draw(seed)
    payments: list[Payment] = []
    roster: list[list[str]] = []
    for row, dues in zip(rows, _dues(policy, rows), strict=True):
        mine, died, history = _person_payments(row, dues, draw)
        payments.extend(mine)
        roster.append([row.get(name, "") for name in COLUMNS] + [died, history])
    strays = max(1, len(rows) // 500)
    for number in range(strays):
        payments.append([f"SC9{number:06d}", "medical", str(YEAR), "400.00",
                         draw.day(PERIOD).isoformat(), "agent", "regular"])  # fmt: skip
    if bad_rows:
        payments.extend(list(bad) for bad in BAD_ROWS)
    return payments, roster


def _write(path: str | None, header: Sequence[str], rows: list[list[str]]) -> None:
    def emit(out: IO[str]) -> None:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)

    if path:
        with open(path, "w", encoding="utf-8", newline="") as out:
            emit(out)
    else:
        emit(sys.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--roster", help="a roster CSV (default: generate one with --rows)")
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2025)
    default = Path(__file__).resolve().parent.parent / "policies" / "2025.yaml"
    parser.add_argument("--policy", default=str(default))
    parser.add_argument("-o", "--output", help="the payments CSV (default stdout)")
    parser.add_argument("--roster-out", help="write the roster with death_date, insured_years")
    parser.add_argument("--with-bad-rows", action="store_true", help="add malformed payments")
    args = parser.parse_args(argv)
    if args.roster:
        with open(args.roster, encoding="utf-8-sig", newline="") as source:
            cells = list(csv.reader(source))[1:]
        rows = [dict(zip(COLUMNS, row, strict=False)) for row in cells]
    else:
        rows = [dict(zip(COLUMNS, cells, strict=True)) for cells in generate(args.rows, args.seed)]
    policy = contribpolicy.load_policy(args.policy)
    payments, roster = build(rows, policy, args.seed, bad_rows=args.with_bad_rows)
    _write(args.output, PAYMENT_COLUMNS, payments)
    if args.roster_out:
        _write(args.roster_out, (*COLUMNS, "death_date", "insured_years"), roster)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
