"""The columnar form of ``Facts``: what rules may read about a whole block of people at once.

Every fact is one NumPy array with a row per person. Amounts are int64 arrays of minor units
(fen when ``money.places`` is 2), never floats, so comparisons with policy values are exact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from ._columnar_texts import Texts
from .plugin import Facts

if TYPE_CHECKING:
    from .conditions import Condition

__all__ = ["AmountColumn", "ChoiceColumn", "ColumnFacts"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
Rows = npt.NDArray[np.intp]


@attrs.frozen(eq=False)
class ChoiceColumn:
    """A declared choice: its whole number where ``present``, else not chosen (None)."""

    values: IntArray
    present: BoolArray


@attrs.frozen(eq=False)
class AmountColumn:
    """A declared amount: minor units where ``present``; ``given`` is each distinct amount as
    the record spelt it (``150.5``), indexed by ``codes`` (-1 for none), for texts and facts."""

    units: IntArray
    present: BoolArray
    codes: npt.NDArray[np.int32]
    given: tuple[Decimal | None, ...]


@attrs.define(eq=False)
class ColumnFacts:
    """What rules may read about a block of people: the columnar ``Facts``.

    ``age`` (completed years), ``statuses`` (a bitmask per person, bit ``status_bits[code]``),
    ``residence`` (an index into ``residence_values``), and the declared inputs through
    ``flag``, ``choice`` and ``amount`` (``places`` is ``money.places``). ``holds(condition)``
    is a condition's mask, computed once per block however many rules test it.
    """

    size: int
    places: int
    age: IntArray
    statuses: IntArray
    status_bits: Mapping[str, int]
    residence: IntArray
    residence_values: tuple[str, ...]
    flags: Mapping[str, BoolArray]
    choices: Mapping[str, ChoiceColumn]
    amounts: Mapping[str, AmountColumn]
    _masks: dict[int, tuple[Condition, BoolArray]] = attrs.field(factory=dict, init=False)
    _status_sets: dict[int, frozenset[str]] = attrs.field(factory=dict, init=False)

    def everyone(self) -> BoolArray:
        return np.ones(self.size, dtype=np.bool_)

    def nobody(self) -> BoolArray:
        return np.zeros(self.size, dtype=np.bool_)

    def holds(self, condition: Condition) -> BoolArray:
        """Where ``condition`` holds (read-only: shared by every rule that tests it)."""
        found = self._masks.get(id(condition))
        if found is None:
            mask = condition.mask(self)
            mask.flags.writeable = False
            found = self._masks[id(condition)] = (condition, mask)
        return found[1]

    def failure_texts(self, condition: Condition, where: BoolArray) -> Texts:
        """For the rows of ``where`` (where the condition fails): why, as ``explain`` says."""
        return condition.failure_texts(self, np.flatnonzero(where))

    def status_mask(self, codes: frozenset[str]) -> int:
        bits = 0
        for code in codes:
            bits |= self.status_bits.get(code, 0)
        return bits

    def any_status(self, codes: frozenset[str]) -> BoolArray:
        found: BoolArray = np.not_equal(self.statuses & self.status_mask(codes), 0)
        return found

    def all_statuses(self, codes: frozenset[str]) -> BoolArray:
        if any(code not in self.status_bits for code in codes):
            return self.nobody()
        mask = self.status_mask(codes)
        found: BoolArray = np.equal(self.statuses & mask, mask)
        return found

    def flag(self, name: str) -> BoolArray:
        found = self.flags.get(name)
        return self.nobody() if found is None else found

    def choice(self, name: str) -> ChoiceColumn:
        return self.choices[name]

    def amount(self, name: str) -> AmountColumn:
        return self.amounts[name]

    def value_in(self, field: str, allowed: tuple[Any, ...]) -> BoolArray:
        """Where ``facts.values[field] in allowed``, with Python's equality (True == 1)."""
        if field == "residence":
            codes = [i for i, value in enumerate(self.residence_values) if value in allowed]
            return np.isin(self.residence, codes)
        if field in self.flags:
            flag = self.flags[field]
            return np.where(flag, True in allowed, False in allowed)
        if field in self.choices:
            column = self.choices[field]
            return _numbers_in(column.values, column.present, allowed, 1)
        if field in self.amounts:
            amount = self.amounts[field]
            return _numbers_in(amount.units, amount.present, allowed, 10**self.places)
        return np.full(self.size, None in allowed, dtype=np.bool_)

    def value_key(self, field: str) -> IntArray:
        """An integer per row that is equal exactly where the field's values are."""
        if field == "residence":
            return self.residence.astype(np.int64)
        if field in self.flags:
            return self.flags[field].astype(np.int64)
        if field in self.choices:
            column = self.choices[field]
            return np.where(column.present, column.values, -1)
        if field in self.amounts:
            return self.amounts[field].codes.astype(np.int64)
        return np.zeros(self.size, dtype=np.int64)

    def status_set(self, bits: int) -> frozenset[str]:
        found = self._status_sets.get(bits)
        if found is None:
            found = frozenset(code for code, bit in self.status_bits.items() if bits & bit)
            self._status_sets[bits] = found
        return found

    def facts(self, row: int) -> Facts:
        """One person's ``Facts``, as the per-person parser makes them."""
        values: dict[str, Any] = {name: bool(flag[row]) for name, flag in self.flags.items()}
        for name, choice in self.choices.items():
            values[name] = int(choice.values[row]) if choice.present[row] else None
        for name, amount in self.amounts.items():
            code = int(amount.codes[row])
            values[name] = amount.given[code] if code >= 0 else None
        values["residence"] = self.residence_values[int(self.residence[row])]
        return Facts(int(self.age[row]), self.status_set(int(self.statuses[row])), values)

    def each(self, test: Callable[[Facts], bool]) -> BoolArray:
        """A per-person test, person by person: for condition nodes without a columnar form."""
        return np.fromiter((test(self.facts(row)) for row in range(self.size)), np.bool_)

    def row_numbers(self) -> IntArray:
        return np.arange(self.size, dtype=np.int64)

    def texts(self, key: IntArray | None, rows: Rows, explain: Callable[[Facts], str]) -> Texts:
        """``explain(facts)`` for each of ``rows``, called once per distinct ``key``."""
        keys = np.zeros(rows.size, dtype=np.int64) if key is None else key[rows]
        return Texts.by_key(keys, lambda i: explain(self.facts(int(rows[i]))))

    def first_failure_texts(self, parts: Sequence[Condition], rows: Rows) -> Texts:
        """For rows where not every part holds: the failure texts of the first part that fails
        (what ``AllOf.failure`` returns), part by part."""
        pending = np.arange(rows.size)
        found: list[tuple[Rows, Texts]] = []
        for part in parts:
            holds = self.holds(part)[rows[pending]]
            failing = pending[~holds]
            if failing.size:
                found.append((failing, part.failure_texts(self, rows[failing])))
            pending = pending[holds]
        return Texts.scatter(rows.size, found)

    def joined_texts(
        self, size: int, parts: Sequence[Texts], combine: Callable[[Sequence[str]], str]
    ) -> Texts:
        """One text per row made from several texts of the same ``size`` rows."""
        return Texts.join(parts, combine) if parts else Texts.constant(size, combine(()))


def _numbers_in(
    values: IntArray, present: BoolArray, allowed: tuple[Any, ...], scale: int
) -> BoolArray:
    wanted = []
    for candidate in allowed:
        if isinstance(candidate, int | Decimal):
            scaled = Decimal(candidate) * scale
            if scaled == scaled.to_integral_value() and abs(scaled) < 2**63:
                wanted.append(int(scaled))
    found = present & np.isin(values, wanted)
    return found | (~present & (None in allowed))
