"""The parts of columnar evaluation each agree with their per-person counterparts.

Conditions, the scheme state, ID numbers, dates and text cells are each checked against the
per-person code they stand in for, on values drawn at random, so a difference shows up here
with a small example rather than somewhere in a roster.
"""

# pyarrow, pandas and cloudpickle ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import re
import sys
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from contribpolicy import Policy
from contribpolicy.columnar import compile_policy
from contribpolicy.columnar._cells import PY_WHITESPACE, SAFE_TEXT, _unsafe
from contribpolicy.columnar._dates import civil_from_days, iso_date_keys
from contribpolicy.columnar._facts import ColumnFacts
from contribpolicy.columnar._idnumber import id_birth_keys, known_regions
from contribpolicy.columnar._state import ColumnState
from contribpolicy.columnar._texts import Texts
from contribpolicy.engine.idnumber import (
    IdNumberProblem,
    _region_known,
    birth_date_of,
    normalize_id_number,
)
from contribpolicy.model.conditions import (
    AgeRange,
    AllOf,
    AnyOf,
    AnyStatus,
    Condition,
    FlagSet,
    HasAllStatuses,
    InputIn,
    NoStatus,
    Not,
)
from contribpolicy.model.facts import SchemeState
from strategies import BOUNDARY_AGES, FLAGS, STATUSES, records

SETTINGS = settings(max_examples=200, deadline=None)


def _codes(cls: type[AnyStatus | HasAllStatuses | NoStatus]) -> st.SearchStrategy[Condition]:
    chosen = st.lists(st.sampled_from(STATUSES), min_size=1, max_size=4, unique=True)
    return chosen.map(lambda codes: cls(frozenset(codes), tuple(codes)))


LEAVES: st.SearchStrategy[Condition] = st.one_of(
    st.builds(
        AgeRange, st.sampled_from([None, *BOUNDARY_AGES]), st.sampled_from([None, *BOUNDARY_AGES])
    ),
    _codes(AnyStatus),
    _codes(HasAllStatuses),
    _codes(NoStatus),
    st.sampled_from(FLAGS).map(FlagSet),
    st.builds(
        InputIn,
        st.just("residence"),
        st.lists(st.sampled_from(["local", "permit", "none"]), min_size=1, unique=True).map(tuple),
    ),
    st.builds(InputIn, st.just("pension_tier"), st.sampled_from([(None,), (100, 350), (500,)])),
    st.builds(
        InputIn,
        st.just("medical_sponsor"),
        st.sampled_from([(None,), (Decimal("150.50"),), (200, Decimal("0.001"))]),
    ),
    st.builds(InputIn, st.sampled_from(FLAGS), st.sampled_from([(True,), (False,), (1,)])),
)
CONDITIONS: st.SearchStrategy[Condition] = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.builds(AllOf, st.lists(inner, max_size=3).map(tuple), st.sampled_from([None, "标签"])),
        st.builds(AnyOf, st.lists(inner, max_size=3).map(tuple)),
        st.builds(Not, inner),
    ),
    max_leaves=6,
)


def _columns(policy: Policy, rows: list[dict[str, Any]]) -> tuple[ColumnFacts, list[Any]]:
    """The columnar facts of some records, and each record's per-person facts."""
    evaluator = compile_policy(policy)
    rows = [{**row, "statuses": ";".join(row["statuses"])} for row in rows]
    names = sorted({name for row in rows for name in row})  # from_pylist reads the first row's
    table = pa.table({name: [row.get(name) for row in rows] for name in names})
    block = evaluator.parser.parse(table.to_batches()[0])
    assert not block.bad.any()
    return block.columns, [evaluator.engine.parser.parse(row).facts for row in rows]


@SETTINGS
@given(condition=CONDITIONS, rows=st.lists(records(), min_size=1, max_size=20))
def test_condition_masks_and_reasons_match_per_person(
    policy_2025: Policy, condition: Condition, rows: list[dict[str, Any]]
) -> None:
    """mask is where failure() is None; failure_texts is failure(facts).explain(facts)."""
    for row in rows:
        row["birth_date"] = str(row["birth_date"])
    columns, facts = _columns(policy_2025, rows)
    mask = columns.holds(condition)
    assert mask.tolist() == [condition.failure(f) is None for f in facts]
    failing = ~mask
    texts = columns.failure_texts(condition, failing).to_list()
    wanted = [failed.explain(f) for f in facts if (failed := condition.failure(f)) is not None]
    assert texts == wanted


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["add", "cover", "share", "part"]),
        st.sampled_from(["subsidy", "relief", "sponsor"]),
        st.integers(min_value=-500, max_value=100_000),
        st.sampled_from([Decimal("0.5"), Decimal("0.15"), Decimal(1), Decimal("0.333")]),
    ),
    max_size=8,
)


@SETTINGS
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=6))
def test_column_state_mirrors_scheme_state(operations: list[list[Any]]) -> None:
    """add, cover and shares on a ColumnState give each row what SchemeState gives a person."""
    size = len(operations)
    state = ColumnState(size, 2, "ROUND_HALF_UP")
    people = [SchemeState() for _ in range(size)]
    for step in range(max(len(ops) for ops in operations)):
        for row, ops in enumerate(operations):
            if step < len(ops):
                _per_person(people[row], *ops[step])
        for kind in ("add", "cover", "share", "part"):
            _columnar(state, operations, step, kind)
    for row, person in enumerate(people):
        assert state.individual_part[row] == _fen(person.individual_part)
        assert state.covered[row] == _fen(person.covered)
        assert state.sponsor[row] == _fen(person.sponsor)
        for name, amount in person.government.items():
            assert state.component(name)[row] == _fen(amount), name


def _fen(amount: Decimal) -> int:
    return int(amount * 100)


def _per_person(state: SchemeState, kind: str, component: str, fen: int, share: Decimal) -> None:
    amount = Decimal(fen).scaleb(-2)
    if kind == "add":
        state.add(component, amount)
    elif kind == "cover":
        state.cover(component, amount)
    elif kind == "share":
        rounded = (state.individual_part * share).quantize(Decimal("0.01"), "ROUND_HALF_UP")
        state.cover(component, rounded)
    else:
        state.individual_part = abs(amount)


def _columnar(state: ColumnState, operations: list[list[Any]], step: int, kind: str) -> None:
    """Apply, to every row whose operation at ``step`` is ``kind``, that operation."""
    for component in ("subsidy", "relief", "sponsor"):
        rows = [
            row
            for row, ops in enumerate(operations)
            if step < len(ops) and ops[step][0] == kind and ops[step][1] == component
        ]
        if not rows:
            continue
        where = np.zeros(len(operations), dtype=np.bool_)
        where[rows] = True
        fen = np.zeros(len(operations), dtype=np.int64)
        share = {row: operations[row][step][3] for row in rows}
        for row in rows:
            fen[row] = operations[row][step][2]
        if kind == "add":
            state.add(component, fen, where)
        elif kind == "cover":
            state.cover(component, fen, where)
        elif kind == "share":
            for row in rows:  # one share per call: the rows may differ in share
                alone = np.zeros_like(where)
                alone[row] = True
                state.cover(component, state.share_of(state.individual_part, share[row]), alone)
        else:
            state.individual_part[where] = np.abs(fen[where])


def test_reject_and_fail_stop_rows_with_their_messages() -> None:
    """reject and fail stop only their rows; messages are one text or one per row."""
    state = ColumnState(4, 2, "ROUND_HALF_UP")
    state.individual_part[:] = 40_000
    state.reject(np.array([True, False, False, False]), "not covered")
    state.fail(np.array([False, True, True, False]), Texts(np.array([0, 1], np.int32), ("a", "b")))
    result = state.result()
    assert result.status.tolist() == [1, 2, 2, 0]
    assert result.individual.tolist() == [0, 0, 0, 40_000]
    table = result.message.table
    assert [table[c] if c >= 0 else None for c in result.message.codes] == [
        "not covered",
        "a",
        "b",
        None,
    ]
    with pytest.raises(ValueError, match="2 messages for 1 rows"):
        state.fail(
            np.array([False, False, False, True]), Texts(np.array([0, 1], np.int32), ("a", "b"))
        )


def _valid_number(born: date, serial: int, region: str = "370406") -> str:
    body = f"{region}{born:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


ID_NUMBERS = st.one_of(
    st.builds(_valid_number, st.dates(date(1900, 1, 1), date(2025, 12, 31)), st.integers(0, 999)),
    st.builds(
        _valid_number,
        st.dates(date(1900, 1, 1), date(2025, 12, 31)),
        st.integers(0, 999),
        st.sampled_from(["110101", "999999", "370400", "000000", "522731"]),
    ),
    st.text(alphabet="0123456789Xx ", min_size=17, max_size=19),
    st.from_regex(
        r"[0-9]{6}(19|20)[0-9]{2}(0[0-9]|1[0-3])[0-3][0-9][0-9]{3}[0-9Xx]", fullmatch=True
    ),
)


def _per_person_key(raw: str) -> int | None:
    try:
        born = birth_date_of(normalize_id_number(raw))
    except IdNumberProblem:
        return None
    return born.year * 10_000 + born.month * 100 + born.day


@settings(max_examples=500, deadline=None)
@given(numbers=st.lists(ID_NUMBERS, min_size=1, max_size=20))
def test_id_numbers_checked_by_digits_as_per_person(numbers: list[str]) -> None:
    """A number the digit checks accept, the per-person check accepts with the same birth
    date; one they leave (not 18 plain characters) is left to the per-person parser."""
    keys, leave = id_birth_keys(pa.array(numbers))
    for number, key, left in zip(numbers, keys.tolist(), leave.tolist(), strict=True):
        plain = len(number) == 18 and number.isascii() and " " not in number
        if plain:
            assert key == (_per_person_key(number) or -1), number
        assert left == (key < 0), number


def test_region_table_is_stdnums_at_any_time() -> None:
    """known_regions marks exactly the codes _idnumber accepts (every listed code, and a
    sample of the rest; all 10^6 agreed when this was written)."""
    known = known_regions()
    listed = np.flatnonzero(known)
    assert listed.size > 3000
    rng = np.random.default_rng(2025)
    sample = np.concatenate([listed, listed + 1, rng.integers(0, 10**6, 20_000)]) % 10**6
    assert all(known[code] == _region_known(f"{code:06d}") for code in sample.tolist())
    assert known[370406]  # 山亭区, created 1983: numbers issued before still carry it


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.one_of(st.dates().map(str), st.text(alphabet="0123456789-", max_size=11))))
def test_iso_dates_by_arithmetic(texts: list[str]) -> None:
    """A key where the text is exactly a valid YYYY-MM-DD; anything else non-empty is left."""
    keys, leave = iso_date_keys(pa.array(texts, pa.string()))
    for text, key, left in zip(texts, keys.tolist(), leave.tolist(), strict=True):
        try:  # the per-person parser reads only this form (person._ISO_DATE)
            parsed = date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
        except ValueError:
            parsed = None
        assert key == (parsed.year * 10_000 + parsed.month * 100 + parsed.day if parsed else -1)
        assert left == (bool(text) and parsed is None)


def test_days_to_dates_by_arithmetic() -> None:
    """civil_from_days agrees with datetime over years 1 to 9999."""
    first, last = date(1, 1, 1), date(9999, 12, 31)
    epoch = date(1970, 1, 1).toordinal()
    days = np.arange(first.toordinal() - epoch, last.toordinal() - epoch + 1, 37, dtype=np.int32)
    year, month, day = civil_from_days(days)
    for offset in range(0, days.size, 997):
        when = date.fromordinal(int(days[offset]) + epoch)
        assert (year[offset], month[offset], day[offset]) == (when.year, when.month, when.day)
    assert date(2025, 1, 1) - timedelta(days=1) == date(2024, 12, 31)


def test_whitespace_list_is_what_strip_removes() -> None:
    """PY_WHITESPACE holds exactly the characters str.isspace() is true for."""
    spaces = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert set(PY_WHITESPACE) == spaces


def test_safe_text_holds_no_refused_character() -> None:
    """No character in SAFE_TEXT's ranges is one a text field refuses (person._text)."""
    refused = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
    ranges = [(0x20, 0x7E), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF01, 0xFF5E)]
    for low, high in ranges:
        assert f"\\x{{{low:04X}}}-\\x{{{high:04X}}}" in SAFE_TEXT or low == 0x20
        for code in range(low, high + 1):
            assert unicodedata.category(chr(code)) not in refused, hex(code)


def test_unsafe_bytes_agree_with_safe_text_for_every_character() -> None:
    """The byte-level test of text cells (``_unsafe``) accepts exactly the characters
    ``SAFE_TEXT`` accepts, each alone and between safe ones, for every code point."""
    characters = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000]
    cells = pa.array([f"a{char}中" for char in characters], pa.string())
    expected = ~pc.match_substring_regex(cells, SAFE_TEXT).to_numpy(zero_copy_only=False)
    assert (_unsafe(cells) == expected).all()
    alone = pa.array(characters, pa.string())
    expected_alone = ~pc.match_substring_regex(alone, SAFE_TEXT).to_numpy(zero_copy_only=False)
    assert (_unsafe(alone) == expected_alone).all()
    assert list(_unsafe(pa.array(["", None, "张三"], pa.string()))) == [False, False, False]


def test_texts_are_made_once_per_distinct_key() -> None:
    """by_key renders once per distinct key; join combines per distinct pair."""
    calls: list[int] = []

    def render(row: int) -> str:
        calls.append(row)
        return f"k{keys[row]}"

    keys = np.array([5, 3, 5, 70_000, 3], dtype=np.int64)
    texts = Texts.by_key(keys, render)
    assert texts.to_list() == ["k5", "k3", "k5", "k70000", "k3"]
    assert len(calls) == 3
    other = Texts.constant(5, "x")
    assert Texts.join([texts, other], "+".join).to_list()[:2] == ["k5+x", "k3+x"]
