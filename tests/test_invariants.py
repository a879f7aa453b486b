"""Properties every assessment under the 2025 policy has, for any valid person record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import contribpolicy
from contribpolicy import SchemeAssessment
from contribpolicy.model.results import STATUSES
from strategies import ASSISTANCE, FLAGS, OFFERED_TIERS, REFERENCE, records

D = Decimal
ZERO = D(0)
SETTINGS = settings(max_examples=200, deadline=None)

#: The medical individual part of 五（一）.
MEDICAL_INDIVIDUAL = D(400)
SEVERE = frozenset({"disability_1", "disability_2"})


def _amounts(result: SchemeAssessment) -> tuple[Decimal, ...]:
    return (result.individual, result.government, result.sponsor, result.total)


def _birth_date(record: dict[str, Any]) -> date:
    born = record["birth_date"]
    return born if isinstance(born, date) else date.fromisoformat(born)


def _age(record: dict[str, Any]) -> int:
    """Completed years on 2025-01-01; babies born later in 2025 count as 0."""
    born = _birth_date(record)
    before_birthday = (REFERENCE.month, REFERENCE.day) < (born.month, born.day)
    return max(REFERENCE.year - born.year - before_birthday, 0)


def _as_person(record: dict[str, Any]) -> contribpolicy.Person:
    """The same record as a ``Person``, built field by field (not through ``to_record``)."""
    flags: frozenset[str] = frozenset(flag for flag in FLAGS if record.get(flag))
    return contribpolicy.Person(
        person_id=record["person_id"],
        birth_date=_birth_date(record),
        residence=record["residence"],
        statuses=frozenset(record["statuses"]),
        # Person's converter=frozenset types this parameter as Iterable[_T_co] (unsolved): no
        # typed value is accepted until person.py converts through a typed function.
        flags=flags,
        choices={"pension_tier": record["pension_tier"]},
        amounts={"medical_sponsor": record["medical_sponsor"]},
        numbers={"pension_years_paid": record.get("pension_years_paid")},
        name=record["name"],
        village=record["village"],
    )


@SETTINGS
@given(record=records())
def test_parts_add_up_to_total(policy_2025: contribpolicy.Policy, record: dict[str, Any]) -> None:
    """For every scheme, individual + government + sponsor == total."""
    for result in policy_2025.evaluate(record).values():
        assert result.individual + result.government + result.sponsor == result.total


@SETTINGS
@given(record=records())
def test_no_negative_amounts(policy_2025: contribpolicy.Policy, record: dict[str, Any]) -> None:
    """No amount and no government component is ever negative."""
    for result in policy_2025.evaluate(record).values():
        for amount in (*_amounts(result), *result.components.values()):
            assert amount >= ZERO


@SETTINGS
@given(record=records())
def test_amounts_have_two_places(policy_2025: contribpolicy.Policy, record: dict[str, Any]) -> None:
    """Every amount and component is a Decimal to the fen: exactly two decimal places."""
    for result in policy_2025.evaluate(record).values():
        for amount in (*_amounts(result), *result.components.values()):
            assert isinstance(amount, Decimal)
            assert amount.as_tuple().exponent == -2, amount


@SETTINGS
@given(record=records())
def test_not_eligible_means_all_zero(
    policy_2025: contribpolicy.Policy, record: dict[str, Any]
) -> None:
    """Ineligible, error, not paying or referred: all four amounts zero, no components, and a
    message saying why."""
    for result in policy_2025.evaluate(record).values():
        assert result.status in STATUSES
        if result.status == "eligible":
            assert result.message is None
        else:
            assert _amounts(result) == (ZERO, ZERO, ZERO, ZERO)
            assert dict(result.components) == {}
            assert result.message


@SETTINGS
@given(record=records())
def test_components_sum_to_government(
    policy_2025: contribpolicy.Policy, record: dict[str, Any]
) -> None:
    """The government amount is exactly the sum of its components."""
    for result in policy_2025.evaluate(record).values():
        assert sum(result.components.values(), ZERO) == result.government


@SETTINGS
@given(record=records())
def test_individual_never_exceeds_individual_part(
    policy_2025: contribpolicy.Policy, record: dict[str, Any]
) -> None:
    """The person never pays more than the tier chosen (pension) or the 400 (medical)."""
    assessment = policy_2025.evaluate(record)
    pension = assessment["pension"]
    if pension.status == "eligible":
        # the tier chosen, or the 100 a severely disabled person is enrolled at by default
        tier = record["pension_tier"] if record["pension_tier"] is not None else 100
        assert pension.individual <= D(tier)
        assert pension.individual + pension.components.get("proxy", ZERO) == D(tier)
        assert pension.sponsor == ZERO
    medical = assessment["medical"]
    if medical.status == "eligible":
        assert medical.individual <= MEDICAL_INDIVIDUAL
        # what the person, the relief and the sponsor pay is the whole 400
        covered = medical.components.get("relief", ZERO) + medical.sponsor
        assert medical.individual + covered == MEDICAL_INDIVIDUAL
        assert medical.components.get("fiscal") == D(670)


@SETTINGS
@given(record=records())
def test_mapping_and_person_agree(
    policy_2025: contribpolicy.Policy, record: dict[str, Any]
) -> None:
    """A record evaluated as a mapping and as a ``Person`` gives identical results and traces."""
    from_mapping = policy_2025.evaluate(record)
    from_person = policy_2025.evaluate(_as_person(record))
    assert from_mapping == from_person
    for name in from_mapping:
        assert from_mapping[name].trace == from_person[name].trace


@SETTINGS
@given(record=records())
def test_evaluation_is_repeatable(
    policy_2025: contribpolicy.Policy, record: dict[str, Any]
) -> None:
    """Evaluating the same record twice gives equal results, traces and receipts."""
    first = policy_2025.evaluate(record)
    second = policy_2025.evaluate(dict(record))
    assert first == second
    assert first.receipt == second.receipt
    for name in first:
        assert first[name].trace == second[name].trace


@SETTINGS
@given(record=records(), data=st.data())
def test_status_order_does_not_matter(
    policy_2025: contribpolicy.Policy, record: dict[str, Any], data: st.DataObject
) -> None:
    """Statuses are a set: listing them in another order changes nothing."""
    shuffled = {**record, "statuses": data.draw(st.permutations(record["statuses"]))}
    first = policy_2025.evaluate(record)
    second = policy_2025.evaluate(shuffled)
    assert first == second
    for name in first:
        assert first[name].trace == second[name].trace


# --- an independent reading of 四 and 五（一）, compared with the engine on any record ------------


def _expected_pension(record: dict[str, Any]) -> tuple[str, dict[str, Decimal]]:
    """Status and amounts by the plan: hukou only (READING 四, revised), tiers, hardship 100,
    subsidy 30/60/80, proxy 100; no tier and no proxy: not paying this year (四, added)."""
    statuses = set(record["statuses"])
    if (
        record["residence"] != "local"
        or record.get("employee_pension")
        or not 16 <= _age(record) <= 59
        or record.get("student")
    ):
        years = record.get("pension_years_paid")
        referred = years is not None and years < 15 and _age(record) >= 60
        if referred and record["residence"] == "local" and not record.get("employee_pension"):
            return "referred", {}
        return "ineligible", {}
    severe = bool(statuses & SEVERE)
    hardship = severe or bool(statuses & set(ASSISTANCE))
    tier = record["pension_tier"]
    if tier is None and severe:
        tier = 100
    if tier is None:
        return "not_paying", {}
    if tier not in OFFERED_TIERS or (tier == 100 and not hardship):
        return "error", {}
    subsidy = D(30) if tier <= 350 else D(60) if tier == 500 else D(80)
    proxy = D(100) if severe else ZERO
    return "eligible", {
        "individual": D(tier) - proxy,
        "government": subsidy + proxy,
        "sponsor": ZERO,
        "total": D(tier) + subsidy,
    }


def _expected_medical(record: dict[str, Any]) -> tuple[str, dict[str, Decimal]]:
    """Status and amounts by the plan: 400 + 670, reliefs most favourable, sponsor capped."""
    if record["residence"] == "none" or record.get("employee_medical"):
        return "ineligible", {}
    age = _age(record)
    if set(record["statuses"]) & set(ASSISTANCE) or age >= 70:
        relief = D(400)
    elif 60 <= age <= 69:
        relief = D(200)
    else:
        relief = ZERO
    offered = record["medical_sponsor"] or ZERO
    sponsor = min(offered, MEDICAL_INDIVIDUAL - relief)
    return "eligible", {
        "individual": MEDICAL_INDIVIDUAL - relief - sponsor,
        "government": D(670) + relief,
        "sponsor": sponsor,
        "total": D(1070),
    }


@SETTINGS
@given(record=records())
def test_matches_an_independent_reading_of_the_plan(
    policy_2025: contribpolicy.Policy, record: dict[str, Any]
) -> None:
    """Every record's status and amounts agree with the plan read directly (四, 五（一）)."""
    assessment = policy_2025.evaluate(record)
    for name, expected in (
        ("pension", _expected_pension(record)),
        ("medical", _expected_medical(record)),
    ):
        status, amounts = expected
        result = assessment[name]
        assert result.status == status, (name, result.message)
        if status == "eligible":
            names = ("individual", "government", "sponsor", "total")
            actual = dict(zip(names, _amounts(result), strict=True))
            assert actual == amounts, name
