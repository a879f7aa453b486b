"""The payments of a file as columns, grouped by person, scheme and year paid for.

A file of a million payments is held as a few NumPy arrays (amounts in fen, dates as day
numbers, channels as codes), not a million objects, and grouped once: a roster block then
finds its people's payments with one Arrow ``index_in`` per scheme and year. Groups are keyed
by the text ``key␟scheme␟year``, where key is the person_id or ``id:`` and the ID number.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from contribpolicy.collection.payments import CHANNELS, KINDS, Payment, PaymentRow
from contribpolicy.columnar._money import to_units
from contribpolicy.errors import InputError
from contribpolicy.model.policy import Policy

__all__ = ["AGENT", "GOVERNMENT", "SELF", "SPONSOR", "Ledger", "group_key"]

IntArray = npt.NDArray[np.int64]
AGENT, SELF, GOVERNMENT, SPONSOR = (CHANNELS.index(name) for name in CHANNELS)
_SEPARATOR = "\x1f"


def group_key(key: str, scheme: str, year: int) -> str:
    """The text a group of payments is found by."""
    return f"{key}{_SEPARATOR}{scheme}{_SEPARATOR}{year}"


class _Columns:
    """Payments appended one at a time as plain lists, turned into arrays once."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.amount: list[int] = []
        self.date: list[int] = []
        self.channel: list[int] = []
        self.kind: list[int] = []
        self.line: list[int] = []
        self.year: list[int] = []
        self.scheme: list[str] = []


@attrs.frozen(eq=False)
class Ledger:
    """Good payments as columns (one entry per payment, in file order) and their groups.

    ``group`` gives each payment's group; ``names`` the groups' keys; per group, ``paid``
    is the total and ``by_channel[c]`` / ``count[c]`` what each channel paid and how often.
    ``problems`` are the file's bad rows, ``rows`` every data row read."""

    amount: IntArray
    date: IntArray
    channel: npt.NDArray[np.int8]
    kind: npt.NDArray[np.int8]
    line: IntArray
    year: IntArray
    scheme: tuple[str, ...]
    group: IntArray
    names: pa.Array
    paid: IntArray
    by_channel: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]
    last_date: IntArray
    years: tuple[int, ...]
    problems: tuple[InputError, ...]
    rows: int

    @property
    def groups(self) -> int:
        return len(self.names)

    @property
    def collected(self) -> int:
        """Every good payment's amount together, in fen."""
        return int(self.amount.sum())

    def collected_by_channel(self) -> IntArray:
        return np.bincount(self.channel, weights=None, minlength=len(CHANNELS)) * 0 + np.array(
            [int(self.amount[self.channel == code].sum()) for code in range(len(CHANNELS))],
            dtype=np.int64,
        )

    def find(self, keys: pa.Array) -> IntArray:
        """The group of each key (-1 where there is none)."""
        found = pc.index_in(keys, value_set=self.names)
        return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)

    def payments_of(self, groups: Sequence[int]) -> npt.NDArray[np.intp]:
        """Positions of the payments of ``groups``, in file order."""
        return np.flatnonzero(np.isin(self.group, np.asarray(groups, dtype=np.int64)))

    @classmethod
    def from_rows(cls, rows: Iterable[PaymentRow], policy: Policy) -> Ledger:
        """The ledger of a payments file's rows (``open_payments``)."""
        columns = _Columns()
        problems: list[InputError] = []
        count = 0
        places = policy.money.places
        for _line, payment, problem in rows:
            count += 1
            if payment is None:
                if problem is not None:
                    problems.append(problem)
                continue
            _append(columns, payment, places)
        return cls._build(columns, problems, count)

    @classmethod
    def from_payments(cls, payments: Iterable[Payment], policy: Policy) -> Ledger:
        """The ledger of payments made in code (or read with ``read_payments``)."""
        columns = _Columns()
        places = policy.money.places
        count = 0
        for payment in payments:
            count += 1
            _append(columns, payment, places)
        return cls._build(columns, [], count)

    @classmethod
    def _build(cls, columns: _Columns, problems: list[InputError], rows: int) -> Ledger:
        keys = pa.array(
            [
                group_key(key, scheme, year)
                for key, scheme, year in zip(
                    columns.keys, columns.scheme, columns.year, strict=True
                )
            ],
            pa.string(),
        )
        encoded = pc.dictionary_encode(keys)
        group = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
        groups = len(encoded.dictionary)
        amount = np.asarray(columns.amount, dtype=np.int64)
        channel = np.asarray(columns.channel, dtype=np.int8)
        date = np.asarray(columns.date, dtype=np.int64)
        by_channel = np.zeros((len(CHANNELS), groups), dtype=np.int64)
        count = np.zeros((len(CHANNELS), groups), dtype=np.int64)
        for code in range(len(CHANNELS)):
            mine = channel == code
            by_channel[code] = _sums(group[mine], amount[mine], groups)
            count[code] = np.bincount(group[mine], minlength=groups)
        last_date = np.zeros(groups, dtype=np.int64)
        np.maximum.at(last_date, group, date)
        year = np.asarray(columns.year, dtype=np.int64)
        return cls(
            amount=amount,
            date=date,
            channel=channel,
            kind=np.asarray(columns.kind, dtype=np.int8),
            line=np.asarray(columns.line, dtype=np.int64),
            year=year,
            scheme=tuple(columns.scheme),
            group=group,
            names=encoded.dictionary,
            paid=by_channel.sum(axis=0),
            by_channel=by_channel,
            count=count,
            last_date=last_date,
            years=tuple(sorted({int(value) for value in np.unique(year)})),
            problems=tuple(problems),
            rows=rows,
        )


def _sums(group: IntArray, amount: IntArray, groups: int) -> IntArray:
    """Exact integer sums of ``amount`` per group (bincount's weights are floats)."""
    result = np.zeros(groups, dtype=np.int64)
    np.add.at(result, group, amount)
    return result


def _append(columns: _Columns, payment: Payment, places: int) -> None:
    columns.keys.append(payment.key)
    columns.scheme.append(payment.scheme)
    columns.year.append(payment.year)
    columns.amount.append(to_units(payment.amount, places))
    columns.date.append(payment.date.toordinal())
    columns.channel.append(CHANNELS.index(payment.channel))
    columns.kind.append(KINDS.index(payment.kind))
    columns.line.append(payment.line)
