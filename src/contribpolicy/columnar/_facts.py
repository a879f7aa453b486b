"""The columnar form of ``Facts``: what rules may read about a whole block of people at once.

Every fact is one NumPy array with a row per person. Amounts are int64 arrays of minor units
(fen when ``money.places`` is 2), never floats, so comparisons with policy values are exact.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from contribpolicy.columnar._texts import Texts
from contribpolicy.model.conditions import (
    AgeBySex,
    AgeRange,
    AllOf,
    AnyOf,
    AnyStatus,
    Condition,
    EarlierMatch,
    FlagSet,
    HasAllStatuses,
    InputIn,
    InputRange,
    NoStatus,
    Not,
)
from contribpolicy.model.facts import Facts

__all__ = [
    "SEXES",
    "AmountColumn",
    "ChoiceColumn",
    "ColumnFacts",
    "condition_mask",
    "explain_texts",
    "failure_texts",
]

#: The values of ``ColumnFacts.sex``, by code.
SEXES = ("male", "female")

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
    #: 0 male, 1 female per row, for a policy that declares inputs.sex; None otherwise.
    sex: IntArray | None = None
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
            mask = condition_mask(condition, self)
            mask.flags.writeable = False
            found = self._masks[id(condition)] = (condition, mask)
        return found[1]

    def failure_texts(self, condition: Condition, where: BoolArray) -> Texts:
        """For the rows of ``where`` (where the condition fails): why, as ``explain`` says."""
        return failure_texts(condition, self, np.flatnonzero(where))

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
        if field == "sex" and self.sex is not None:
            codes = [code for code, sex in enumerate(SEXES) if sex in allowed]
            return np.isin(self.sex, codes)
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
        if field == "sex" and self.sex is not None:
            return self.sex
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
        if self.sex is not None:
            values["sex"] = SEXES[int(self.sex[row])]
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
                found.append((failing, failure_texts(part, self, rows[failing])))
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


# The columnar forms of the condition values (model.conditions), by condition type. They live
# here, beside the arrays and the per-block cache they recurse through (``holds``), so that the
# model needs no NumPy; a condition type without a form is tested person by person (``each``).


@functools.singledispatch
def condition_mask(condition: Condition, columns: ColumnFacts) -> BoolArray:
    """Where ``condition`` holds in the block; by default tested person by person."""
    return columns.each(lambda facts: condition.failure(facts) is None)


@condition_mask.register
def _age_mask(condition: AgeRange, columns: ColumnFacts) -> BoolArray:
    age = columns.age
    inside = columns.everyone()
    if condition.minimum is not None:
        inside &= age >= condition.minimum
    if condition.maximum is not None:
        inside &= age <= condition.maximum
    return inside


@condition_mask.register
def _any_status_mask(condition: AnyStatus, columns: ColumnFacts) -> BoolArray:
    return columns.any_status(condition.codes)


@condition_mask.register
def _all_statuses_mask(condition: HasAllStatuses, columns: ColumnFacts) -> BoolArray:
    return columns.all_statuses(condition.codes)


@condition_mask.register
def _no_status_mask(condition: NoStatus, columns: ColumnFacts) -> BoolArray:
    return ~columns.any_status(condition.codes)


@condition_mask.register
def _flag_mask(condition: FlagSet, columns: ColumnFacts) -> BoolArray:
    return columns.flag(condition.flag)


@condition_mask.register
def _input_mask(condition: InputIn, columns: ColumnFacts) -> BoolArray:
    return columns.value_in(condition.field, condition.allowed)


@condition_mask.register
def _age_by_sex_mask(condition: AgeBySex, columns: ColumnFacts) -> BoolArray:
    female = columns.value_in("sex", ("female",))
    inside: BoolArray = columns.holds(condition.range_for("male")) & ~female
    inside |= female & columns.holds(condition.range_for("female"))
    return inside


@condition_mask.register
def _input_range_mask(condition: InputRange, columns: ColumnFacts) -> BoolArray:
    column = columns.choices.get(condition.field)
    if column is None:  # placeholder facts of rows evaluated person by person
        return columns.nobody()
    inside = column.present.copy()
    if condition.minimum is not None:
        inside &= column.values >= condition.minimum
    if condition.maximum is not None:
        inside &= column.values <= condition.maximum
    return inside


@condition_mask.register
def _all_mask(condition: AllOf, columns: ColumnFacts) -> BoolArray:
    inside = columns.everyone()
    for part in condition.parts:
        inside &= columns.holds(part)
    return inside


@condition_mask.register
def _any_mask(condition: AnyOf, columns: ColumnFacts) -> BoolArray:
    inside = columns.nobody()
    for part in condition.parts:
        inside |= columns.holds(part)
    return inside


@condition_mask.register
def _not_mask(condition: Not, columns: ColumnFacts) -> BoolArray:
    return ~columns.holds(condition.part)


@functools.singledispatch
def explain_key(condition: Condition, columns: ColumnFacts) -> IntArray | None:
    """An integer per row, equal wherever ``explain`` gives the same words; None when the words
    are the same for everyone. By default each row is its own key."""
    return columns.row_numbers()


@explain_key.register
def _age_key(condition: AgeRange, columns: ColumnFacts) -> IntArray | None:
    return columns.age


@explain_key.register
def _age_by_sex_key(condition: AgeBySex, columns: ColumnFacts) -> IntArray | None:
    return columns.age * 2 + columns.value_key("sex")


@explain_key.register
def _input_range_key(condition: InputRange, columns: ColumnFacts) -> IntArray | None:
    return columns.value_key(condition.field)


@explain_key.register(EarlierMatch)
@explain_key.register(AnyStatus)
@explain_key.register(FlagSet)
@explain_key.register(AllOf)
def _same_words(condition: Condition, columns: ColumnFacts) -> IntArray | None:
    return None


@explain_key.register(HasAllStatuses)
@explain_key.register(NoStatus)
def _status_key(condition: HasAllStatuses | NoStatus, columns: ColumnFacts) -> IntArray | None:
    return columns.statuses & columns.status_mask(condition.codes)


@explain_key.register
def _input_key(condition: InputIn, columns: ColumnFacts) -> IntArray | None:
    return columns.value_key(condition.field)


@explain_key.register
def _not_key(condition: Not, columns: ColumnFacts) -> IntArray | None:
    return None


@functools.singledispatch
def explain_texts(condition: Condition, columns: ColumnFacts, rows: Rows) -> Texts:
    """``condition.explain(facts)`` for each of ``rows``."""
    return columns.texts(explain_key(condition, columns), rows, condition.explain)


@explain_texts.register
def _any_texts(condition: AnyOf, columns: ColumnFacts, rows: Rows) -> Texts:
    parts = [explain_texts(part, columns, rows) for part in condition.parts]
    return columns.joined_texts(rows.size, parts, lambda words: f"none of: {'; '.join(words)}")


@functools.singledispatch
def failure_texts(condition: Condition, columns: ColumnFacts, rows: Rows) -> Texts:
    """``condition.failure(facts).explain(facts)`` for each of ``rows``, where it fails."""
    return explain_texts(condition, columns, rows)


@failure_texts.register
def _all_failure_texts(condition: AllOf, columns: ColumnFacts, rows: Rows) -> Texts:
    return columns.first_failure_texts(condition.parts, rows)
