"""Rosters for a loaded policy: rows of cells in its vocabulary, well-formed and malformed.

A roster is either text (every cell a string or missing, as a CSV gives it, with odd and
malformed cells mixed in: the per-person parser's refusals must come out of the columnar path
with the same words) or typed (dates, booleans, whole numbers, decimals, lists, as a Parquet
file or a database gives them). Birthdays are drawn mostly on, just before and just after the
days a person reaches an age some condition tests. For a policy that declares sex, a record
gives it by an 18-digit ID number of either sex, a ``sex`` cell (the code, a label, 男/女), or
both, and now and then neither or two that disagree (refused, naming ``sex``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from stdnum.cn import ric

from contribpolicy.model.policy import Policy
from contribpolicy.testing._kinds import TIERS, money
from contribpolicy.testing._samples import SAMPLES
from contribpolicy.testing._words import AGES, SEXES

__all__ = ["Row", "rosters"]

Row = dict[str, Any]
#: Cells the per-person parser refuses, or reads only after normalizing, by field.
ODD_CELLS: dict[str, tuple[str, ...]] = {
    "person_id": ("", "  ", " P-1 ", "=1+1", "@x", "P\x002", "张三01", "P\u200b1"),
    "id_number": ("12345", "999999198001011239", "37040620231001474x", "370406 98001011239"),
    "birth_date": ("1985-02-30", "20250101", "1899-12-31", "2300-01-01", " 1980-05-01 ",
                   "１９８０-05-01", "1980-5-1", "   "),
    "residence": ("外地", "", " local ", "LOCAL"),
    "statuses": ("unknown", ";;poor", "poor;;disabled ", "poor; poor"),
    "flag": ("maybe", " 1 ", "TRUE", "Y", "是", "否", "2"),
    "choice": ("三百五", "350.0", "-5", "０３５０", "99999999999999999999", " 100 "),
    "amount": ("12.34567", "-1", "1e2", "150.50", "１５０", " 99 ", "1,000", "NaN"),
    "sex": ("x", "man ", "1", " 男 ", "FEMALE", "女性", "F", "unknown"),
}  # fmt: skip
#: Whole numbers records give (years paid: either side of 15).
NUMBER_VALUES = (0, 1, 14, 15, 16, 40)
_FLAG_TEXTS = {True: ("1", "是", "true", "yes"), False: ("0", "否", "", "false")}


def _birthdays(reference: date) -> list[date]:
    """For each age conditions test: the birthday on the reference date, a day after, before."""
    found: set[date] = set()
    for age in AGES:
        try:
            birthday = reference.replace(year=reference.year - age)
        except ValueError:  # 29 February
            birthday = reference.replace(year=reference.year - age, day=28)
        found.update({birthday, birthday + timedelta(days=1), birthday - timedelta(days=1)})
    return sorted(day for day in found if date(1900, 1, 1) <= day <= reference)


def _tiers(policy: Policy, choice: str) -> st.SearchStrategy[int | Decimal | None]:
    """Mostly a tier the policy's rules offer for ``choice``; else one they do not (beside a
    range's ends, between its steps), or none. Whole numbers for a choice; amounts for an
    amount input a range in fen reads."""
    effects = [
        rule.effect
        for scheme in policy.schemes.values()
        for rule in scheme.rules
        if getattr(rule.effect, "choice", choice) == choice
    ]
    offered = {tier for effect in effects for tier in getattr(effect, "offered_tiers", ())}
    quantum = Decimal(1).scaleb(-policy.money.places)
    near = {
        max(value, Decimal(0))
        for effect in effects
        if (span := getattr(effect, "range", None)) is not None
        for edge in (span.low, span.high)
        for value in (edge - 1, edge + 1, edge - quantum, edge + quantum)
    }
    whole = choice in policy.vocabulary.whole_numbers
    if whole:
        near = {value for value in near if value == value.to_integral_value()}

    def typed(tier: int | Decimal) -> int | Decimal:
        """A whole number for a choice; an amount with the policy's places for an amount (a
        typed column of amounts is one Arrow decimal type)."""
        return int(tier) if whole else Decimal(tier).quantize(quantum)

    unoffered = set(SAMPLES["unoffered_tiers"])
    others = st.sampled_from(sorted(set(TIERS) | unoffered | near)).map(typed)
    others = st.one_of(st.none(), others)
    if not offered:
        return others
    chosen = st.sampled_from(sorted(offered)).map(typed)
    return st.one_of(chosen, chosen, chosen, others)


def _id_number(born: date, serial: int) -> str:
    """An 18-digit ID number; its 17th digit (the serial's last) is odd for a man."""
    body = f"370406{born:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


@st.composite
def _identity(draw: st.DrawFn, policy: Policy, born: date) -> Row:
    """The ``id_number`` and ``sex`` of a record: for a policy that reads sex, mostly one of
    them or both agreeing; sometimes neither, or both disagreeing (refused)."""
    found: Row = {}
    with_id = draw(st.integers(0, 4)) == 0
    labels = policy.vocabulary.sex
    if not labels:
        if with_id:
            found["id_number"] = _id_number(born, draw(st.integers(1, 999)))
        return found
    sex = draw(st.sampled_from(SEXES))
    serial = draw(st.integers(0, 499)) * 2 + (1 if sex == "male" else 0)
    if with_id or draw(st.integers(0, 2)) == 0:
        found["id_number"] = _id_number(born, serial)
    if "id_number" not in found or draw(st.booleans()):
        said = sex if draw(st.integers(0, 9)) else draw(st.sampled_from(SEXES))
        spellings = (said, labels[said], {"male": "男", "female": "女"}[said], said[0].upper())
        found["sex"] = draw(st.sampled_from(spellings))
    if draw(st.integers(0, 19)) == 0:
        found.pop("sex", None)
    return found


@st.composite
def _record(draw: st.DrawFn, policy: Policy, number: int) -> Row:
    """A well-formed record in typed values (a flag left out is not set)."""
    vocab = policy.vocabulary
    reference = policy.age_basis.reference_date
    born = draw(
        st.one_of(
            st.sampled_from(_birthdays(reference)),
            st.dates(date(1900, 1, 1), date(reference.year, 12, 31)),
        )
    )
    statuses = st.lists(st.sampled_from(sorted(vocab.statuses) or ["none"]), unique=True)
    record: Row = {
        "person_id": f"P{number}",
        "birth_date": born,
        "residence": draw(st.sampled_from(sorted(vocab.residence))),
        "statuses": draw(statuses) if vocab.statuses else [],
    }
    record |= draw(_identity(policy, born))
    for flag in vocab.flags:
        if draw(st.booleans()):
            record[flag] = draw(st.booleans())
    for choice in vocab.choices:
        record[choice] = draw(_tiers(policy, choice))
    amounts = money(policy.money.places, 1200)
    chosen = _chosen_amounts(policy)
    for amount in vocab.amounts:
        drawn = _tiers(policy, amount) if amount in chosen else st.one_of(st.none(), amounts)
        record[amount] = draw(drawn)
    for whole in vocab.numbers:
        record[whole] = draw(st.one_of(st.none(), st.sampled_from(NUMBER_VALUES)))
    return record


def _chosen_amounts(policy: Policy) -> set[str]:
    """Amount inputs a tier choice reads (a range in fen)."""
    return {
        rule.effect.choice  # type: ignore[attr-defined]
        for scheme in policy.schemes.values()
        for rule in scheme.rules
        if getattr(rule.effect, "in_amounts", False)
    }


def _cell(value: Any, draw: st.DrawFn) -> str | None:
    """A typed value as a CSV cell, spelt as a collector might."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return draw(st.sampled_from(_FLAG_TEXTS[value]))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def _odd_kind(field: str, policy: Policy) -> str:
    vocab = policy.vocabulary
    for kind, names in (
        ("flag", vocab.flags),
        ("choice", vocab.whole_numbers),
        ("amount", vocab.amounts),
    ):
        if field in names:
            return kind
    return field


@st.composite
def _text_row(draw: st.DrawFn, policy: Policy, number: int, columns: Sequence[str]) -> Row:
    record = draw(_record(policy, number))
    row = {name: _cell(record.get(name), draw) for name in columns}
    if "id_number" in row and row["id_number"] is not None and draw(st.booleans()):
        row["birth_date"] = draw(st.sampled_from(["", None]))
    if draw(st.integers(0, 2)) == 0:
        field = draw(st.sampled_from(columns))
        row[field] = draw(st.sampled_from(ODD_CELLS[_odd_kind(field, policy)]))
    return row


def _columns(policy: Policy) -> list[str]:
    vocab = policy.vocabulary
    core = ["person_id", "id_number", "birth_date", "residence", "statuses"]
    sex = ["sex"] if vocab.sex else []
    return [*core, *sex, *vocab.flags, *vocab.choices, *vocab.amounts, *vocab.numbers]


@st.composite
def rosters(draw: st.DrawFn, policy: Policy, max_rows: int = 20) -> list[Row]:
    """Rows for ``policy``: all text cells (some malformed) or all typed values (valid)."""
    count = draw(st.integers(1, max_rows))
    columns = _columns(policy)
    if draw(st.booleans()):
        return [draw(_text_row(policy, number, columns)) for number in range(count)]
    rows = [draw(_record(policy, number)) for number in range(count)]
    return [{name: row.get(name) for name in columns} for row in rows]
