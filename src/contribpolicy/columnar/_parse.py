"""Roster columns into ``ColumnFacts``: the per-person record checks, for a block of rows at once.

Most roster columns hold few distinct values (residence, flags, statuses, tiers, sponsor
amounts, even birth dates: at most some 46,000 days). Each such column is dictionary-encoded
and every distinct value is parsed by the per-person parser's own functions (``person``), so a
value is accepted, refused and read exactly as ``Policy.evaluate`` reads it. ID numbers, the
one check on values that are all different, are checked by digit arithmetic
(``_columnar_idnumber``).

A row that any of these checks does not fully accept is marked ``bad``; the caller re-parses
it person by person, which gives the same ``InputError`` as ``Policy.evaluate`` (or accepts a
form only the per-person parser reads, such as an ID number with spaces around it). A null
cell is an absent field; so is a blank ``id_number`` or ``birth_date``, as in a CSV roster.
"""

# pyarrow and pandas ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from contribpolicy.columnar._arrow import dictionary, is_text, to_numpy
from contribpolicy.columnar._cells import person_ids, text_refused
from contribpolicy.columnar._dates import Keys, date32_keys, iso_date_keys
from contribpolicy.columnar._facts import SEXES, AmountColumn, ChoiceColumn, ColumnFacts
from contribpolicy.columnar._idnumber import id_birth_keys
from contribpolicy.columnar._money import to_units
from contribpolicy.engine.records import RecordParser, roster_columns
from contribpolicy.engine.values import read_birth_date, read_text
from contribpolicy.errors import InputError
from contribpolicy.model.person import EARLIEST_BIRTH_YEAR
from contribpolicy.model.policy import Policy

__all__ = ["Block", "TableParser"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
_Item = TypeVar("_Item", bound=np.generic)
_LARGEST_UNITS = 2**62  # amounts and choices beyond this are left to the per-person path
_MEMO_LIMIT = 200_000
_STATUS_BITS = 62


class _Unrepresentable(Exception):
    """A value the per-person parser accepts but the columns cannot hold (an int64 overflow)."""


@attrs.frozen(eq=False)
class Block:
    """A parsed block: the facts, each row's person_id as the output shows it, and the rows
    the columnar checks did not accept (their facts are placeholders)."""

    columns: ColumnFacts
    person_id: pa.Array
    bad: BoolArray


@attrs.frozen(eq=False)
class _Distinct:
    """A column's distinct values parsed once: ``codes`` per row (-1 for null) into
    ``parsed``; ``refused`` per distinct value; the last entry of each table is for null."""

    codes: IntArray
    parsed: list[Any]
    refused: BoolArray

    def rows_refused(self) -> BoolArray:
        return self.refused[self.codes]

    def table(self, convert: Callable[[Any], Any], dtype: type[_Item]) -> npt.NDArray[_Item]:
        """Each row's parsed value, converted, as an array."""
        return np.array([convert(value) for value in self.parsed], dtype=dtype)[self.codes]


class TableParser:
    """Parses blocks of roster rows for one policy; made once, used for every block.

    ``record_parser`` is the per-person parser ``Policy.evaluate`` uses: its functions read
    every distinct value, so both paths accept and refuse the same values.
    """

    def __init__(self, policy: Policy, record_parser: RecordParser) -> None:
        vocabulary = policy.vocabulary
        self.record_parser = record_parser
        self.places = policy.money.places
        self.reference = policy.age_basis.reference_date
        self.coverage_year = policy.coverage_year
        self.residence = {value: code for code, value in enumerate(vocabulary.residence)}
        # A person's statuses are one int64 bitmask; a policy with more statuses than its
        # bits is parsed person by person (every row "bad"), correctly but slowly.
        self.status_bits = {code: 1 << bit for bit, code in enumerate(vocabulary.statuses)}
        self.statuses_fit = len(self.status_bits) <= _STATUS_BITS
        self.inputs = dict(record_parser.inputs)
        self.flags, self.choices = tuple(vocabulary.flags), tuple(vocabulary.whole_numbers)
        self.sex_declared = bool(vocabulary.sex)
        self.amounts = tuple(vocabulary.amounts)
        self.known = roster_columns(policy)
        self._memo: dict[str, dict[object, tuple[bool, Any]]] = {}

    def check_columns(self, names: Sequence[str]) -> None:
        """Unknown, repeated or missing columns concern every row: refuse the table at once."""
        for index, name in enumerate(names):
            if name in names[:index]:
                raise InputError(name, "the column appears twice in the table")
            if name not in self.known:
                raise InputError(
                    name or "(unnamed)",
                    f"unknown column; expected columns from: {', '.join(self.known)}",
                )
        if "person_id" not in names:
            raise InputError("person_id", "missing column; the table must have person_id")

    def parse(self, batch: pa.RecordBatch) -> Block:
        size = batch.num_rows
        names = batch.schema.names

        def column(name: str) -> pa.Array | None:
            return batch.column(names.index(name)) if name in names else None

        person_id, bad = person_ids(column("person_id"), size)
        if not self.statuses_fit:
            return Block(_placeholder_facts(self.places, size), person_id, np.ones(size, np.bool_))
        bad |= text_refused("name", column("name"), size)
        bad |= self._distinct("village", column("village"), _village, size).rows_refused()
        residence = self._distinct("residence", column("residence"), self._residence, size)
        bad |= residence.rows_refused()
        statuses = self._distinct("statuses", column("statuses"), self._statuses, size)
        bad |= statuses.rows_refused()
        flags = {name: self._flag(name, column(name), size, bad) for name in self.flags}
        choices = {name: self._choice(name, column(name), size, bad) for name in self.choices}
        amounts = {
            name: self._amount_column(name, column(name), size, bad) for name in self.amounts
        }
        age = self._ages(column("birth_date"), column("id_number"), size, bad)
        sex = self._sexes(column("sex"), column("id_number"), size, bad)
        columns = ColumnFacts(
            size=size,
            places=self.places,
            age=age,
            statuses=statuses.table(_or_zero, np.int64),
            status_bits=self.status_bits,
            residence=residence.table(_or_zero, np.int64),
            residence_values=tuple(self.residence),
            flags=flags,
            choices=choices,
            amounts=amounts,
            sex=sex,
        )
        return Block(columns, person_id, bad)

    def _sexes(
        self, given: pa.Array | None, id_number: pa.Array | None, size: int, bad: BoolArray
    ) -> IntArray | None:
        """0 male, 1 female: from the ID number's 17th digit where the digit checks accepted
        it (odd = male), else from the ``sex`` column; a disagreement, or neither, is left to
        the per-person parser, which refuses the record naming ``sex``."""
        if not self.sex_declared:
            return None
        words = self.record_parser.sex_words or {}

        def parse(value: object) -> int | None:
            text = read_text("sex", value).lower()
            if not text:
                return None
            return SEXES.index(words[text])

        parsed = self._distinct("sex", given, parse, size)
        bad |= parsed.rows_refused()
        from_field = parsed.table(_or_none_key, np.int64)
        from_id = np.full(size, -1, dtype=np.int64)
        if id_number is not None:
            from_id = _id_sexes(id_number, size)
        bad |= (from_id >= 0) & (from_field >= 0) & (from_id != from_field)
        sex = np.where(from_id >= 0, from_id, from_field)
        bad |= sex < 0
        return np.maximum(sex, 0).astype(np.int64)

    def _input(self, name: str) -> Callable[[object], Any]:
        parse = self.inputs[name]
        return lambda value: parse(name, value)

    def _residence(self, value: object) -> int:
        return self.residence[self.record_parser.residence_code(value)]

    def _statuses(self, value: object) -> int:
        bits = 0
        for code in self.record_parser._statuses(value):
            bits |= self.status_bits[code]
        return bits

    def _flag(self, name: str, array: pa.Array | None, size: int, bad: BoolArray) -> BoolArray:
        if array is not None and pa.types.is_boolean(array.type):  # True, False, or absent
            return to_numpy(pc.fill_null(array, False), np.bool_)
        parsed = self._distinct(name, array, self._input(name), size)
        bad |= parsed.rows_refused()
        return parsed.table(bool, np.bool_)

    def _choice(self, name: str, array: pa.Array | None, size: int, bad: BoolArray) -> ChoiceColumn:
        if array is not None and _is_small_integer(array.type):
            values = to_numpy(pc.fill_null(array, 0), np.int64)
            bad |= (values < 0) | (values >= _LARGEST_UNITS)  # refused, or left to the person
            return ChoiceColumn(values, to_numpy(array.is_valid(), np.bool_))
        choice = self._input(name)
        parsed = self._distinct(name, array, lambda value: _small(choice(value)), size)
        bad |= parsed.rows_refused()
        values = parsed.table(_or_zero, np.int64)
        return ChoiceColumn(values, parsed.table(lambda value: value is not None, np.bool_))

    def _amount_column(
        self, name: str, array: pa.Array | None, size: int, bad: BoolArray
    ) -> AmountColumn:
        parse = self._input(name)

        def amount(value: object) -> Any:
            number = parse(value)
            return None if number is None else (number, _small(to_units(number, self.places)))

        parsed = self._distinct(name, array, amount, size)
        bad |= parsed.rows_refused()
        units = parsed.table(lambda value: 0 if value is None else value[1], np.int64)
        present = parsed.table(lambda value: value is not None, np.bool_)
        given: tuple[Decimal | None, ...] = tuple(
            None if value is None else value[0] for value in parsed.parsed
        )
        codes = np.where(present, parsed.codes, -1).astype(np.int32)
        return AmountColumn(units, present, codes, given)

    def _ages(
        self, born: pa.Array | None, id_number: pa.Array | None, size: int, bad: BoolArray
    ) -> IntArray:
        """Completed years on the reference date, from birth_date or the ID number's date."""
        keys = self._birth_keys(born, size, bad)
        if id_number is not None:
            id_keys, id_refused = _id_keys(id_number, size)
            bad |= id_refused | ((keys >= 0) & (id_keys >= 0) & (keys != id_keys))
            keys = np.where(id_keys >= 0, id_keys, keys)
        earliest, latest = EARLIEST_BIRTH_YEAR * 10_000, self.coverage_year * 10_000 + 9999
        bad |= (keys < earliest) | (keys > latest)
        ref = self.reference
        # Completed years: in yyyymmdd form, the whole ten-thousands between the dates.
        # Babies born during the coverage year enrol too (新生儿): they count as age 0.
        reference = np.int32(ref.year * 10_000 + ref.month * 100 + ref.day)
        ages: IntArray = np.maximum((reference - keys) // 10_000, 0).astype(np.int64)
        return ages

    def _birth_keys(self, array: pa.Array | None, size: int, bad: BoolArray) -> Keys:
        """Birth dates as ``yyyymmdd`` (-1 where none): ISO text and date columns by
        arithmetic, anything else through the per-person parser, once per distinct value."""
        if array is not None and pa.types.is_date32(array.type):
            return date32_keys(array)
        if array is None or not is_text(array):
            parsed = self._distinct("birth_date", array, _date_key, size)
            bad |= parsed.rows_refused()
            return parsed.table(_or_none_key, np.int32)
        keys, other = iso_date_keys(array)
        rows = np.flatnonzero(other)
        if rows.size:
            parsed = self._distinct("birth_date", array.take(pa.array(rows)), _date_key, rows.size)
            keys[rows] = parsed.table(_or_none_key, np.int32)
            bad[rows] |= parsed.rows_refused()
        return keys

    def _distinct(
        self, field: str, array: pa.Array | None, parse: Callable[[object], Any], size: int
    ) -> _Distinct:
        """Every distinct value of ``array`` parsed once (and remembered across blocks)."""
        codes, values = dictionary(array, size)
        memo = self._memo.setdefault(field, {})
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        parsed: list[Any] = []
        refused: list[bool] = []
        for value in [*values, None]:
            key = (type(value), value) if _hashable(value) else None
            found = memo.get(key) if key is not None else None
            if found is None:
                found = _attempt(parse, value)
                if key is not None:
                    memo[key] = found
            refused.append(found[0])
            parsed.append(found[1])
        return _Distinct(codes, parsed, np.array(refused, dtype=np.bool_))


def _placeholder_facts(places: int, size: int) -> ColumnFacts:
    """Facts for rows that are all evaluated person by person."""
    zeros = np.zeros(size, dtype=np.int64)
    return ColumnFacts(size, places, zeros, zeros, {}, zeros, ("",), {}, {}, {})


def _attempt(parse: Callable[[object], Any], value: object) -> tuple[bool, Any]:
    """(refused, parsed value) for one distinct value. Whatever fails here, for whatever
    reason, is left to the per-person parser, which says what is wrong."""
    try:
        return False, parse(value)
    except Exception:
        return True, None


def _or_zero(value: int | None) -> int:
    return 0 if value is None else value


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _small(value: int | None) -> int | None:
    if value is not None and abs(value) >= _LARGEST_UNITS:
        raise _Unrepresentable(value)
    return value


def _date_key(value: object) -> int | None:
    """A birth date as ``yyyymmdd``; a blank text is no date, as in a CSV roster."""
    if isinstance(value, str) and not value.strip():
        return None
    born = read_birth_date(value)
    if born is None:
        return None
    if type(born) is not date:  # a datetime: leave its comparisons to the per-person path
        raise _Unrepresentable(born)
    return born.year * 10_000 + born.month * 100 + born.day


def _is_small_integer(kind: pa.DataType) -> bool:
    """Integers whose every value fits int64 (not uint64)."""
    return bool(pa.types.is_signed_integer(kind) or kind in (pa.uint8(), pa.uint16(), pa.uint32()))


def _village(value: object) -> str:
    return read_text("village", value)


def _or_none_key(key: int | None) -> int:
    return -1 if key is None else key


def _id_sexes(array: pa.Array, size: int) -> IntArray:
    """1 - (17th digit mod 2) where the digit checks accepted the ID number, else -1."""
    accepted = _id_keys(array, size)[0] >= 0
    if not accepted.any():
        return np.full(size, -1, dtype=np.int64)
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    digit = pc.if_else(pa.array(accepted), pc.utf8_slice_codeunits(array, 16, 17), "0")
    digits = to_numpy(pc.cast(digit, pa.int64()), np.int64)
    sexes: IntArray = np.where(accepted, 1 - digits % 2, -1)
    return sexes


def _id_keys(array: pa.Array | None, size: int) -> tuple[Keys, BoolArray]:
    """Birth-date keys from ID numbers (-1 where none), and where the per-person parser must
    look: any non-blank value the digit checks did not accept."""
    if array is None or pa.types.is_null(array.type):
        return np.full(size, -1, dtype=np.int32), np.zeros(size, dtype=np.bool_)
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if is_text(array):
        return id_birth_keys(array)
    return np.full(size, -1, dtype=np.int32), to_numpy(array.is_valid(), np.bool_)
