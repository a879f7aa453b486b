"""Person records: every malformed field is an InputError naming it; real records are accepted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from stdnum.cn import ric

from contribpolicy import ContribPolicyError, InputError, Person, Policy
from contribpolicy.engine.records import RecordParser

#: Shanting district, Zaozhuang: created in 1983, yet people born before then hold its numbers.
SHANTING = "370406"


def id_number(born: str, sequence: str = "123", region: str = SHANTING) -> str:
    """A valid 18-character resident ID number for ``born`` (YYYYMMDD)."""
    body = region + born + sequence
    assert len(body) == 17
    # stdnum's calc_check_digit expects the number with a (placeholder) check digit
    return body + str(ric.calc_check_digit(body + "0"))


def id_number_ending_in_x(born: str) -> str:
    """A valid ID number for ``born`` whose check digit is X."""
    for sequence in range(1000):
        number = id_number(born, f"{sequence:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence number gives the check digit X")


def record(**fields: Any) -> dict[str, Any]:
    """An ordinary adult's record, with ``fields`` changed; a value of ``...`` removes a field."""
    result: dict[str, Any] = {
        "person_id": "p1",
        "birth_date": "1980-05-01",
        "residence": "local",
        "pension_tier": 500,
    }
    for name, value in fields.items():
        if value is ...:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def age_of(policy: Policy, data: dict[str, Any]) -> int:
    """The age the rules see for this record."""
    return RecordParser(policy).parse(data).facts.age


def input_error(policy: Policy, data: dict[str, Any]) -> InputError:
    """The InputError that evaluating ``data`` raises."""
    with pytest.raises(InputError) as caught:
        policy.evaluate(data)
    return caught.value


# --- malformed records --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"birth_date": "2023-02-30"}, "birth_date", id="impossible-date"),
        pytest.param({"birth_date": "1980/05/01"}, "birth_date", id="not-iso-date"),
        pytest.param({"birth_date": "1899-12-31"}, "birth_date", id="born-before-1900"),
        pytest.param({"birth_date": "2026-01-01"}, "birth_date", id="born-after-coverage-year"),
        pytest.param({"statuses": ["dibao", "millionaire"]}, "statuses", id="unknown-status"),
        pytest.param({"statuses": "dibao;millionaire"}, "statuses", id="unknown-status-text"),
        pytest.param({"residence": "mars"}, "residence", id="unknown-residence"),
        pytest.param({"residence": ...}, "residence", id="missing-residence"),
        pytest.param({"residence": ""}, "residence", id="empty-residence"),
        pytest.param({"person_id": ...}, "person_id", id="missing-person-id"),
        pytest.param({"person_id": "  "}, "person_id", id="blank-person-id"),
        pytest.param({"birth_date": ..., "id_number": ...}, "birth_date", id="no-birth-date-no-id"),
        pytest.param({"medical_sponsor": "-1"}, "medical_sponsor", id="negative-sponsor"),
        pytest.param({"medical_sponsor": Decimal(-50)}, "medical_sponsor", id="negative-decimal"),
        pytest.param({"medical_sponsor": "10.005"}, "medical_sponsor", id="sponsor-3-places"),
        pytest.param({"medical_sponsor": 10.5}, "medical_sponsor", id="float-sponsor"),
        pytest.param({"medical_sponsor": "ten"}, "medical_sponsor", id="text-sponsor"),
        pytest.param({"medical_sponsor": "NaN"}, "medical_sponsor", id="nan-sponsor"),
        pytest.param({"pension_tier": "350.5"}, "pension_tier", id="fractional-tier-text"),
        pytest.param({"pension_tier": 350.0}, "pension_tier", id="float-tier"),
        pytest.param({"pension_tier": True}, "pension_tier", id="bool-tier"),
        pytest.param({"pension_tier": -100}, "pension_tier", id="negative-tier"),
        pytest.param({"student": "maybe"}, "student", id="unclear-flag"),
        pytest.param({"student": 2}, "student", id="flag-two"),
        pytest.param({"pension_teir": 500}, "pension_teir", id="unknown-field"),
    ],
)
def test_malformed_record_names_the_field(
    policy_2025: Policy, fields: dict[str, Any], field: str
) -> None:
    """Each malformed record raises InputError naming the field that is wrong."""
    error = input_error(policy_2025, record(**fields))
    assert error.field == field
    assert error.reason
    assert str(error).startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        pytest.param(
            id_number("19800501")[:-1] + "9",
            f"check digit is '9', expected '{id_number('19800501')[-1]}'",
            id="bad-checksum",
        ),
        pytest.param(
            id_number("19800501")[:17], "must have 18 characters, found 17", id="17-characters"
        ),
        pytest.param(
            id_number("19800501") + "0", "must have 18 characters, found 19", id="19-characters"
        ),
        pytest.param(
            id_number("19800501", region="990000"),
            "region code 990000 is unknown",
            id="unknown-region",
        ),
        pytest.param(
            id_number("19800230"), "birth date 19800230 is not a date", id="impossible-birth-date"
        ),
        pytest.param(
            "37040619800501123A",
            "the last character must be a digit or X, found 'A'",
            id="letter-check-digit",
        ),
        pytest.param(
            "3704061980O501123X",
            "the first 17 characters must be digits, found 'O'",
            id="letter-in-body",
        ),
    ],
)
def test_bad_id_number(policy_2025: Policy, number: str, problem: str) -> None:
    """An invalid ID number is an InputError on id_number saying what is wrong with it (the
    reason, not only the field: each case is a different check of GB 11643)."""
    error = input_error(policy_2025, record(birth_date=..., id_number=number))
    assert error.field == "id_number"
    assert error.value == number
    assert error.reason == problem


def test_id_number_and_birth_date_disagree(policy_2025: Policy) -> None:
    """A birth date that differs from the one in the ID number is an InputError."""
    error = input_error(
        policy_2025, record(birth_date="1980-05-02", id_number=id_number("19800501"))
    )
    assert error.field == "birth_date"


def test_input_error_is_contribpolicy_and_value_error(policy_2025: Policy) -> None:
    """InputError is caught both as ContribPolicyError and as ValueError."""
    error = input_error(policy_2025, record(residence="mars"))
    assert isinstance(error, ContribPolicyError)
    assert isinstance(error, ValueError)
    assert error.at_row(7).row == 7
    assert str(error.at_row(7)).startswith("row 7: residence: ")


# --- valid records ------------------------------------------------------------------------------


def test_birth_date_boundaries_accepted(policy_2025: Policy) -> None:
    """Born on 1900-01-01 or during the coverage year (a newborn, age 0) is accepted."""
    assert age_of(policy_2025, record(birth_date="1900-01-01")) == 125
    assert age_of(policy_2025, record(birth_date="2025-12-31")) == 0


def test_age_in_completed_years_on_reference_date(policy_2025: Policy) -> None:
    """Age counts completed years on 2025-01-01: a birthday on that day counts."""
    assert age_of(policy_2025, record(birth_date="1965-01-01")) == 60
    assert age_of(policy_2025, record(birth_date="1965-01-02")) == 59


def test_id_number_alone_gives_birth_date(policy_2025: Policy) -> None:
    """A valid 18-digit ID number without a birth date gives the age from its digits."""
    data = record(birth_date=..., id_number=id_number("19600302"))
    assert age_of(policy_2025, data) == 64
    result = policy_2025.evaluate(data)
    # 64 on 2025-01-01: past pension age, and the medical relief for 60-69 halves 400
    assert result["pension"].status == "ineligible"
    assert result["medical"].individual == Decimal("200.00")


def test_id_number_agreeing_with_birth_date(policy_2025: Policy) -> None:
    """An ID number and a birth date that agree are accepted."""
    data = record(birth_date="1980-05-01", id_number=id_number("19800501"))
    assert age_of(policy_2025, data) == 44


def test_region_created_after_birth_accepted(policy_2025: Policy) -> None:
    """Someone born in 1950 holds a 370406 number though the district dates from 1983."""
    data = record(birth_date=..., id_number=id_number("19500315"))
    assert age_of(policy_2025, data) == 74
    assert policy_2025.evaluate(data)["medical"].individual == Decimal("0.00")


def test_lower_case_x_check_digit_accepted(policy_2025: Policy) -> None:
    """A check digit X written in lower case is accepted."""
    number = id_number_ending_in_x("19800501")
    data = record(birth_date=..., id_number=number.lower())
    assert age_of(policy_2025, data) == 44


def test_id_number_with_surrounding_spaces_accepted(policy_2025: Policy) -> None:
    """Spaces around an ID number, as spreadsheets leave them, are ignored."""
    data = record(birth_date=..., id_number=f" {id_number('19800501')} ")
    assert age_of(policy_2025, data) == 44


def test_csv_style_strings_accepted(policy_2025: Policy) -> None:
    """Text as a CSV roster holds it ("350", "1", "是", "") is read as numbers and flags."""
    data = {
        "person_id": "p1",
        "id_number": "",
        "name": "张三",
        "village": "东村",
        "birth_date": "1980-05-01",
        "residence": "local",
        "statuses": "",
        "employee_pension": "0",
        "employee_medical": "1",
        "student": "",
        "pension_tier": "350",
        "medical_sponsor": "",
    }
    result = policy_2025.evaluate(data)
    assert result["pension"].status == "eligible"
    assert result["pension"].individual == Decimal("350.00")
    assert result["pension"].government == Decimal("30.00")
    assert result["medical"].status == "ineligible"  # employee_medical "1"


def test_chinese_yes_flag_accepted(policy_2025: Policy) -> None:
    """The flag value "是" means yes and "否" means no."""
    assert policy_2025.evaluate(record(student="是"))["pension"].status == "ineligible"
    assert policy_2025.evaluate(record(student="否"))["pension"].status == "eligible"


def test_sponsor_as_text_with_two_places(policy_2025: Policy) -> None:
    """A sponsorship written "50.5" is an exact amount paid by the sponsor."""
    medical = policy_2025.evaluate(record(medical_sponsor="50.5"))["medical"]
    assert medical.sponsor == Decimal("50.50")
    assert medical.individual == Decimal("349.50")


def test_statuses_as_semicolon_text(policy_2025: Policy) -> None:
    """Statuses written "dibao;disability_3" in one cell are read as two statuses."""
    medical = policy_2025.evaluate(record(statuses="dibao;disability_3"))["medical"]
    assert medical.individual == Decimal("0.00")


def test_missing_flags_and_statuses_mean_none(policy_2025: Policy) -> None:
    """A record without flags or statuses is assessed as having none of them."""
    minimal = policy_2025.evaluate(record())
    explicit = policy_2025.evaluate(
        record(
            statuses=[],
            employee_pension=False,
            employee_medical=False,
            student=False,
            medical_sponsor=None,
        )
    )
    assert minimal.to_dict() == explicit.to_dict()
    assert minimal["pension"].status == "eligible"
    assert minimal["medical"].individual == Decimal("400.00")
    assert minimal["medical"].sponsor == Decimal("0.00")


def test_person_object_evaluates_like_mapping(policy_2025: Policy) -> None:
    """A Person evaluates exactly like the equivalent mapping."""
    person = Person(
        person_id="p7",
        birth_date=date(1962, 8, 8),
        residence="permit",
        statuses={"disability_2"},
        flags={"employee_medical"},
        choices={"pension_tier": 800},
        amounts={"medical_sponsor": Decimal("30")},
        id_number=id_number("19620808"),
        name="李四",
        village="西村",
    )
    mapping = {
        "person_id": "p7",
        "birth_date": "1962-08-08",
        "residence": "permit",
        "statuses": ["disability_2"],
        "employee_medical": "1",
        "pension_tier": "800",
        "medical_sponsor": "30",
        "id_number": id_number("19620808"),
        "name": "李四",
        "village": "西村",
    }
    from_person = policy_2025.evaluate(person)
    from_mapping = policy_2025.evaluate(mapping)
    assert from_person.to_dict() == from_mapping.to_dict()
    assert from_person.person_id == "p7"


def test_person_with_default_fields(policy_2025: Policy) -> None:
    """A Person with only the fields it needs evaluates like the minimal mapping."""
    person = Person(
        person_id="p1",
        birth_date=date(1980, 5, 1),
        residence="local",
        choices={"pension_tier": 500},
    )
    assert policy_2025.evaluate(person).to_dict() == policy_2025.evaluate(record()).to_dict()


def test_person_with_bad_field_raises_input_error(policy_2025: Policy) -> None:
    """A Person is validated like a mapping: an undeclared status names `statuses`."""
    person = Person(
        person_id="p1",
        birth_date=date(1980, 5, 1),
        residence="local",
        statuses={"millionaire"},
        choices={"pension_tier": 500},
    )
    error = input_error(policy_2025, person.to_record())
    assert error.field == "statuses"
    with pytest.raises(InputError) as caught:
        policy_2025.evaluate(person)
    assert caught.value.field == "statuses"
