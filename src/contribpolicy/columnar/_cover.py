"""When cover starts, for a whole roster at once: the columnar form of ``Policy.coverage``.

``cover_table(policy, roster, payments)`` gives, for each roster row in order, what
``Policy.coverage`` gives the row's record and the payments with its ``person_id``: the start
and end dates, fixed and variable months, years of break and years back-paid, and the code of
the reason that decided (with its cite). Rows are done block by block on NumPy arrays of day
numbers; the payments are sorted once and found by ``person_id`` (a payment given only an ID
number is not matched here: reconcile first). Tests hold it equal to the per-person form.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from contribpolicy.columnar import BLOCK_ROWS, compile_policy
from contribpolicy.columnar._cover_paid import Paid, column, paid_of
from contribpolicy.columnar._cover_paid import paid_on as day_paid
from contribpolicy.columnar._dues import ELIGIBLE, dues_of
from contribpolicy.columnar._facts import ColumnFacts
from contribpolicy.engine.coverage import COVER_FIELDS, NEVER, insured_years_of
from contribpolicy.engine.idnumber import IdNumberProblem, birth_date_of, normalize_id_number
from contribpolicy.engine.values import ascii_form
from contribpolicy.errors import InputError
from contribpolicy.model.parts import SchemeCoverage
from contribpolicy.model.policy import Policy

__all__ = ["COVER_COLUMNS", "cover_table"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
_NONE = -1
#: The deciding reason of each row, as ``Cover.reasons[-1].code`` names it.
REASONS = (
    "error", "died", "not-eligible", "nothing-due", "not-paid", "in-period", "newborn",
    "exempt", "starts", "too-late",
)  # fmt: skip
COVER_COLUMNS = (
    "person_id", "covered", "start", "end", "fixed_months", "variable_months",
    "waiting_months", "break_years", "back_paid_years", "paid_on", "history_known", "reason",
    "cite",
)  # fmt: skip


def cover_table(
    policy: Policy, roster: pa.Table, payments: pa.Table, scheme: str = "medical"
) -> pa.Table:
    """Cover dates for every roster row, in order (see the module's description)."""
    rules = policy.coverage_rules.schemes[scheme]
    paid = paid_of(policy, payments, scheme)
    blocks = [_block(policy, rules, paid, roster.slice(offset, BLOCK_ROWS), scheme)
              for offset in range(0, max(roster.num_rows, 1), BLOCK_ROWS)]  # fmt: skip
    return pa.Table.from_batches(blocks) if blocks else _empty()


def _empty() -> pa.Table:
    return pa.table({name: pa.array([], pa.string()) for name in COVER_COLUMNS})


def _distinct(array: pa.Array, parse: Callable[[str | None], int]) -> IntArray:
    """``parse`` of each distinct value, spread to the rows."""
    encoded = pc.dictionary_encode(array)
    values = np.array([parse(v) for v in encoded.dictionary.to_pylist()] + [parse(None)])
    codes = encoded.indices.fill_null(len(encoded.dictionary))
    spread: IntArray = np.asarray(values, dtype=np.int64)[codes.to_numpy(zero_copy_only=False)]
    return spread


def _history(year: int) -> Callable[[str | None], int]:
    """The last year insured before ``year``: -1 unknown history, -2 never insured."""

    def last(text: str | None) -> int:
        try:
            years = insured_years_of(text)
        except InputError:
            return -3
        if years is None:
            return -1
        earlier = [y for y in years if y < year]
        return max(earlier) if earlier else -2

    return last


def _ordinal(text: str | None) -> int:
    if not text or not text.strip():
        return _NONE
    value = ascii_form(text)
    try:
        return date.fromisoformat(value).toordinal() if len(value) == 10 else -2
    except ValueError:
        return -2


def _born(text: str | None) -> int:
    if not text or not text.strip():
        return _NONE
    try:
        return birth_date_of(normalize_id_number(ascii_form(text))).toordinal()
    except IdNumberProblem:
        return _NONE


@attrs.frozen(eq=False)
class _People:
    """A block's facts about each person that cover dates need (day numbers, -1 for none)."""

    ids: pa.Array
    history: IntArray  # last year insured before the year; -1 unknown, -2 never, -3 malformed
    died: IntArray
    born: IntArray
    since: IntArray  # the first year of the break that counts
    breaks: IntArray


def _people(roster: pa.Table, year: int, rules: SchemeCoverage) -> _People:
    size = roster.num_rows
    ids = pc.utf8_trim_whitespace(column(roster, "person_id", size))
    history = _distinct(column(roster, "insured_years", size), _history(year))
    born = _distinct(column(roster, "id_number", size), _born)
    born = np.where(born == _NONE, _distinct(column(roster, "birth_date", size), _ordinal), born)
    counted_from = rules.waiting.break_years_counted_from
    since = np.where(history >= 0, history + 1, counted_from if counted_from else year)
    if counted_from is not None:
        since = np.maximum(since, counted_from)
    breaks = np.where(history == -1, 0, year - since)
    breaks = np.where((history == -2) & (counted_from is None), 0, breaks)
    died = _distinct(column(roster, "death_date", size), _ordinal)
    return _People(ids, history, died, born, since, breaks)


def _back_paid(paid: Paid, people: _People, due: IntArray, year: int) -> IntArray:
    """Years of each person's break back-paid in full at the current contribution (38号)."""
    back = np.zeros(len(people.ids), dtype=np.int64)
    for back_year, (keys, totals) in paid.back.items():
        where = np.asarray(
            pc.index_in(people.ids, value_set=keys).fill_null(-1).to_numpy(zero_copy_only=False),
            dtype=np.int64,
        )
        full = (where >= 0) & (totals[np.maximum(where, 0)] >= due)
        counts = full & (back_year >= people.since) & (back_year < year) & (people.breaks > 0)
        back += counts.astype(np.int64)
    return back


def _months(rules: SchemeCoverage, breaks: IntArray, back: IntArray) -> tuple[IntArray, IntArray]:
    """Fixed and variable months of the waiting period of each row."""
    waiting = rules.waiting
    fixed = np.full(breaks.size, waiting.fixed_months, dtype=np.int64)
    further = np.maximum(breaks - waiting.break_years_free, 0)
    variable = further * waiting.variable_months_per_break_year
    variable -= np.minimum(variable, back * waiting.back_payment_months_per_year)
    if waiting.floor_after_break_years is not None:
        low = (breaks >= waiting.floor_after_break_years) & (
            fixed + variable < waiting.floor_months
        )
        variable = np.where(low, waiting.floor_months - fixed, variable)
    return fixed, variable


def _exempt(rules: SchemeCoverage, columns: ColumnFacts, size: int) -> IntArray:
    """The first exempt group each row is in (-1: none)."""
    group = np.full(size, -1, dtype=np.int64)
    for index, item in reversed(list(enumerate(rules.exempt))):
        group = np.where(columns.holds(item.when), index, group)
    return group


def _block(
    policy: Policy, rules: SchemeCoverage, paid: Paid, roster: pa.Table, scheme: str
) -> pa.RecordBatch:
    size = roster.num_rows
    fields = [name for name in roster.column_names if name not in COVER_FIELDS]
    batch = pa.RecordBatch.from_arrays(
        [roster.column(name).combine_chunks() for name in fields], names=fields
    )
    dues = dues_of(policy, batch)
    parsed = compile_policy(policy).parser.parse(batch)
    year = policy.coverage_year
    first, last_day = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    people = _people(roster, year, rules)
    found = np.asarray(
        pc.index_in(people.ids, value_set=paid.keys).fill_null(-1).to_numpy(zero_copy_only=False),
        dtype=np.int64,
    )
    due = dues.schemes[scheme].contribution
    paid_on = day_paid(paid, found, due)
    back = _back_paid(paid, people, due, year)
    period = next(p for p in policy.collection.periods if p.id == rules.period)
    in_period = (paid_on >= period.start.toordinal()) & (paid_on <= period.end.toordinal())
    newborn = np.zeros(size, dtype=np.bool_)
    if rules.newborn_days is not None:
        days = paid_on - people.born
        newborn = (people.born != _NONE) & (days >= 0) & (days <= rules.newborn_days)
    group = _exempt(rules, parsed.columns, size)
    fixed, variable = _months(rules, people.breaks, back)
    begin = np.maximum(paid_on, first)
    died = people.died
    end = np.where((died >= 0) & (died < last_day), died, last_day)
    bad = parsed.bad.copy()
    bad[list(dues.errors)] = True
    bad |= (people.history == -3) | (died == -2)
    decided = np.select(
        [
            bad,
            (died >= 0) & (died < first),
            dues.schemes[scheme].status != ELIGIBLE,
            due == 0,
            paid_on == _NONE,
            in_period & (people.breaks == 0),
            newborn,
            group >= 0,
        ],
        [0, 1, 2, 3, 4, 5, 6, 7],
        8,
    )
    start = np.select(
        [decided == 3, decided == 5, decided == 6, decided == 7, decided == 8],
        [np.full(size, first), np.full(size, first), np.maximum(people.born, first),
         np.where(in_period, first, begin), _add_months(begin, fixed + variable)],
        _NONE,
    )  # fmt: skip
    waits = decided == 8
    too_late = (start != _NONE) & (start > end)
    decided = np.where(too_late, 9, decided)
    start = np.where(too_late, _NONE, start)
    columns = {
        "start": start,
        "end": np.where(start != _NONE, end, _NONE),
        "fixed": np.where(waits, fixed, 0),
        "variable": np.where(waits, variable, 0),
        "breaks": np.where(decided >= 5, people.breaks, 0),
        "back": np.where(waits, back, 0),
        "paid_on": np.where(decided >= 5, paid_on, _NONE),
    }
    return _output(people, columns, decided, _cites(rules, decided, group))


def _cites(rules: SchemeCoverage, decided: IntArray, group: IntArray) -> list[str]:
    """The cite of each row's deciding reason (an exempt group's own cite)."""
    cites = {
        0: "", 1: "六（六）", 2: "四", 3: rules.cite, 4: rules.cite, 5: rules.cite,
        6: rules.newborn_cite or rules.cite, 8: rules.waiting.cite, 9: rules.waiting.cite,
    }  # fmt: skip
    groups = [item.cite for item in rules.exempt]
    return [
        groups[index] if code == 7 else cites[code]
        for code, index in zip(decided.tolist(), group.tolist(), strict=True)
    ]


def _output(
    people: _People, columns: dict[str, IntArray], decided: IntArray, cite: list[str]
) -> pa.RecordBatch:
    fixed, variable = columns["fixed"], columns["variable"]
    return pa.RecordBatch.from_arrays(
        [
            people.ids,
            pa.array(columns["start"] != _NONE),
            _dates(columns["start"]),
            _dates(columns["end"]),
            pa.array(fixed),
            pa.array(variable),
            pa.array(fixed + variable),
            pa.array(columns["breaks"]),
            pa.array(columns["back"]),
            _dates(columns["paid_on"]),
            pa.array(people.history != -1),
            pa.array([REASONS[code] for code in decided.tolist()], pa.string()),
            pa.array(cite, pa.string()),
        ],
        names=list(COVER_COLUMNS),
    )


def _dates(days: IntArray) -> pa.Array:
    epoch = date(1970, 1, 1).toordinal()
    return pa.array(np.where(days == _NONE, 0, days - epoch).astype(np.int32), pa.date32(),
                    mask=days == _NONE)  # fmt: skip


def _add_months(days: IntArray, months: IntArray) -> IntArray:
    """``_coverage.add_months`` on day numbers: the same day, the month's last if shorter."""
    epoch = date(1970, 1, 1).toordinal()
    day = (np.maximum(days, epoch) - epoch).astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    offset = (day - month.astype("datetime64[D]")).astype(np.int64)
    target = month + months.astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    result = target.astype("datetime64[D]") + np.minimum(offset, length - 1)
    days_out: IntArray = result.astype(np.int64) + epoch
    return days_out


__all__ += ["NEVER", "REASONS"]
