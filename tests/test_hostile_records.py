"""Records typed by hand: full-width digits and stray spaces read where unambiguous, the rest
refused naming the field and the reason.

Amounts are worked by hand from the plan (五（一）): an adult's medical individual part is 400,
a pension tier of 350 earns a subsidy of 30.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from contribpolicy import InputError, Policy
from contribpolicy.engine.evaluation import Evaluator
from contribpolicy.engine.records import RecordParser
from contribpolicy.model.person import RecordLimits
from test_person import id_number, id_number_ending_in_x, record

FULL_WIDTH_DIGITS = str.maketrans("0123456789-.X", "０１２３４５６７８９－．Ｘ")


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH_DIGITS)


def input_error(policy: Policy, data: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        policy.evaluate(data)
    return caught.value


def age_of(policy: Policy, data: dict[str, Any]) -> int:
    return RecordParser(policy).parse(data).facts.age


# --- normalized: the reading is unambiguous -----------------------------------------------------


def test_full_width_id_number_reads_as_ascii(policy_2025: Policy) -> None:
    """An ID number typed in full-width digits gives the same birth date (age 44)."""
    data = record(birth_date=..., id_number=full_width(id_number("19800501")))
    assert age_of(policy_2025, data) == 44


def test_full_width_lower_case_x_reads_as_x(policy_2025: Policy) -> None:
    """A full-width lower-case ｘ check digit is X."""
    number = id_number_ending_in_x("19800501")
    data = record(birth_date=..., id_number=full_width(number[:17]) + "ｘ")
    assert age_of(policy_2025, data) == 44


def test_full_width_birth_date(policy_2025: Policy) -> None:
    """１９８０－０５－０１ is 1980-05-01: age 44 on 2025-01-01."""
    assert age_of(policy_2025, record(birth_date=full_width("1980-05-01"))) == 44


def test_full_width_tier_five_one(policy_2025: Policy) -> None:
    """A tier typed ３５０ is the 350 tier: pays 350, subsidy 30 (五（一）)."""
    pension = policy_2025.evaluate(record(pension_tier=full_width("350")))["pension"]
    assert (pension.individual, pension.government) == (Decimal("350.00"), Decimal("30.00"))


def test_full_width_sponsor_five_one(policy_2025: Policy) -> None:
    """A sponsorship typed １５０．５０ covers 150.50 of the 400: the person pays 249.50."""
    medical = policy_2025.evaluate(record(medical_sponsor=full_width("150.50")))["medical"]
    assert (medical.individual, medical.sponsor) == (Decimal("249.50"), Decimal("150.50"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("pension_tier", " 350 ", id="spaces-around-tier"),
        pytest.param("pension_tier", "\u3000350\u3000", id="ideographic-spaces-around-tier"),
        pytest.param("birth_date", " 1980-05-01\t", id="spaces-around-date"),
        pytest.param("residence", " local ", id="spaces-around-code"),
    ],
)
def test_spaces_around_a_value_are_dropped(policy_2025: Policy, field: str, value: str) -> None:
    """Spaces around a value, ideographic ones too, do not change it: tier 350 at age 44."""
    data = record(**{"pension_tier": "350", field: value})
    pension = policy_2025.evaluate(data)["pension"]
    assert (pension.status, pension.individual) == ("eligible", Decimal("350.00"))
    assert age_of(policy_2025, data) == 44


def test_ideographic_space_inside_a_name_is_kept(policy_2025: Policy) -> None:
    """A name may hold a space between its parts; it is not a control character."""
    assert policy_2025.evaluate(record(name="欧阳\u3000明"))["pension"].status == "eligible"


# --- refused: the reading would be a guess --------------------------------------------------------


ID = id_number("19800501")
#: (test id, field, value, words of the reason)
UNCLEAR = [
    ("id-inner-space", "id_number", ID[:6] + " " + ID[6:], "space at position 7"),
    ("id-15-digits", "id_number", "370406800501123", "15-digit"),
    ("id-last-y", "id_number", ID[:17] + "Y", "'Y'"),
    ("id-arabic-digit", "id_number", "٣" + ID[1:], "digits"),
    ("tier-arabic-digits", "pension_tier", "٣٥٠", "whole number"),
    ("tier-superscripts", "pension_tier", "³⁵⁰", "whole number"),
    ("tier-inner-space", "pension_tier", "3 50", "whole number"),
    ("tier-5000-digits", "pension_tier", "9" * 5000, "15 digits"),
    ("sponsor-thousands", "medical_sponsor", "1,000", "digits"),
    ("sponsor-exponent", "medical_sponsor", "1e2", "digits"),
    ("sponsor-with-unit", "medical_sponsor", "150元", "digits"),
    ("sponsor-inner-space", "medical_sponsor", "15 0", "digits"),
    ("sponsor-arabic-digits", "medical_sponsor", "١٥٠", "digits"),
    ("sponsor-underscore", "medical_sponsor", "1_000", "digits"),
    ("sponsor-infinity", "medical_sponsor", "Infinity", "digits"),
    ("date-basic-iso", "birth_date", "19800501", "YYYY-MM-DD"),
    ("date-iso-week", "birth_date", "1980-W18-4", "YYYY-MM-DD"),
    ("date-chinese", "birth_date", "1980年5月1日", "YYYY-MM-DD"),
    ("datetime", "birth_date", datetime(1980, 5, 1, 8), "datetime"),
    ("name-line-break", "name", "张\n三", "U+000A"),
    ("name-direction-override", "name", "张\u202e三", "RIGHT-TO-LEFT OVERRIDE"),
    ("id-zero-width-space", "person_id", "A\u200b1", "ZERO WIDTH SPACE"),
    ("person-id-nul", "person_id", "A\x001", "U+0000"),
    ("village-escape-code", "village", "\x1b[31m王峪村", "U+001B"),
    ("person-id-formula", "person_id", "=1+1", "formula"),
    ("person-id-at", "person_id", "@SUM(A1)", "formula"),
]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [pytest.param(field, value, words, id=name) for name, field, value, words in UNCLEAR],
)
def test_unclear_value_is_refused_with_the_reason(
    policy_2025: Policy, field: str, value: object, words: str
) -> None:
    """A value whose reading would be a guess is an InputError naming the field and why."""
    without_date = field == "id_number"
    data = record(**{"birth_date": ... if without_date else "1980-05-01", field: value})
    error = input_error(policy_2025, data)
    assert error.field == field
    assert words in error.reason


# --- absurd amounts -----------------------------------------------------------------------------


def test_sponsor_over_the_limit_is_refused(policy_2025: Policy) -> None:
    """A sponsorship of 40000 (400.00 typed without its point) is refused, not capped at 400."""
    error = input_error(policy_2025, record(medical_sponsor="40000"))
    assert error.field == "medical_sponsor"
    assert "limit of 10000" in error.reason
    huge = input_error(policy_2025, record(medical_sponsor=Decimal("1e999999")))
    assert huge.field == "medical_sponsor"


def test_sponsor_at_the_limit_is_capped_by_the_plan(policy_2025: Policy) -> None:
    """10000 is within the limit; the sponsor then pays what is left, 400 (五（一）)."""
    medical = policy_2025.evaluate(record(medical_sponsor="10000"))["medical"]
    assert (medical.individual, medical.sponsor) == (Decimal("0.00"), Decimal("400.00"))


def test_amount_limit_can_be_raised(policy_2025: Policy) -> None:
    """With RecordLimits(max_amount=50000) the 40000 is read, and capped at what is left."""
    evaluator = Evaluator(policy_2025, limits=RecordLimits(max_amount=Decimal(50_000)))
    medical = evaluator.evaluate(record(medical_sponsor="40000"))["medical"]
    assert (medical.individual, medical.sponsor) == (Decimal("0.00"), Decimal("400.00"))


def test_huge_whole_numbers_are_refused(policy_2025: Policy) -> None:
    """An int tier or person_id of 5000 digits is an InputError, not a ValueError from str()."""
    assert input_error(policy_2025, record(pension_tier=10**5000)).field == "pension_tier"
    assert input_error(policy_2025, record(person_id=10**5000)).field == "person_id"


# --- records that are not records ---------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(["person_id", "p1"], id="list"),
        pytest.param("person_id=p1", id="text"),
        pytest.param(None, id="none"),
    ],
)
def test_record_that_is_not_a_mapping(policy_2025: Policy, data: object) -> None:
    """Something other than a mapping or Person is an InputError on `record`."""
    assert input_error(policy_2025, data).field == "record"


def test_keys_that_are_not_text_are_unknown_fields(policy_2025: Policy) -> None:
    """Keys of mixed types are reported as an unknown field, never a TypeError from sorting."""
    data: dict[Any, Any] = {**record(), 1: "x", None: "y", (2, 3): "z"}
    error = input_error(policy_2025, data)
    assert error.field in {"1", "None", "(2, 3)"}
    assert error.reason.startswith("unknown field")


def test_dates_are_dates(policy_2025: Policy) -> None:
    """A plain date is accepted; only a datetime, which has a time of day, is refused."""
    assert age_of(policy_2025, record(birth_date=date(1980, 5, 1))) == 44
