"""The 2025 Shancheng plan (山城办发〔2024〕18号), clause by clause, with amounts worked by hand.

Every expected amount below is read off the plan (section 四 and 五（一）) and READING.md, with
the arithmetic in a comment; none is computed by the code under test. Ages are completed years
on 2025-01-01 (READING 四, Decision), so a person born on 1 January of year Y is 2025 - Y and
one born a day later is a year younger.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import contribpolicy
from contribpolicy import SchemeAssessment

D = Decimal
ZERO = D("0.00")

#: The five assistance statuses of 五（一） (medical individual part paid in full).
ASSISTANCE = ("extreme_poverty", "dibao", "returned_to_poverty", "dibao_edge", "poverty_monitoring")
#: Disability grades; only 1 and 2 are severe (重度).
SEVERE = ("disability_1", "disability_2")
MILD = ("disability_3", "disability_4")

#: Born 1980-06-15: 44 on 2025-01-01, inside the pension ages and below every medical relief.
ADULT = "1980-06-15"


def person(**fields: Any) -> dict[str, Any]:
    """A local 44-year-old with no status, no flag, no tier and no sponsor, then ``fields``."""
    record: dict[str, Any] = {
        "person_id": "p-1",
        "name": "测试",
        "village": "王峪村",
        "birth_date": ADULT,
        "residence": "local",
        "statuses": [],
        "employee_pension": False,
        "employee_medical": False,
        "student": False,
        "pension_tier": None,
        "medical_sponsor": None,
    }
    record.update(fields)
    return record


def assert_amounts(
    result: SchemeAssessment,
    *,
    individual: str,
    government: str,
    sponsor: str,
    total: str,
    components: dict[str, str],
) -> None:
    """An eligible result with exactly these amounts, each to the fen, adding up."""
    assert result.status == "eligible", result.message
    assert result.message is None
    assert result.individual == D(individual)
    assert result.government == D(government)
    assert result.sponsor == D(sponsor)
    assert result.total == D(total)
    assert result.total == result.individual + result.government + result.sponsor
    assert dict(result.components) == {name: D(amount) for name, amount in components.items()}
    for amount in (result.individual, result.government, result.sponsor, result.total):
        assert amount.as_tuple().exponent == -2, amount


def assert_nothing(result: SchemeAssessment, status: str, *words: str) -> str:
    """A result with ``status``, all four amounts zero, and a message holding ``words``."""
    assert result.status == status
    assert (result.individual, result.government, result.sponsor, result.total) == (
        ZERO,
        ZERO,
        ZERO,
        ZERO,
    )
    assert result.total == result.individual + result.government + result.sponsor
    assert dict(result.components) == {}
    assert result.message is not None
    for word in words:
        assert word in result.message, (word, result.message)
    return result.message


def assert_medical_ordinary(result: SchemeAssessment) -> None:
    """Medical 2025 with no relief and no sponsor: 400 individual + 670 fiscal = 1070."""
    assert_amounts(
        result,
        individual="400",
        government="670",
        sponsor="0",
        total="1070",
        components={"fiscal": "670"},
    )


# --- 四 参保对象和范围: who may enrol ------------------------------------------------------


def test_pension_residence_local_eligible_4(policy_2025: contribpolicy.Policy) -> None:
    """Shancheng household registration admits a person to the pension."""
    result = policy_2025.evaluate(person(residence="local", pension_tier=350))["pension"]
    # tier 350 individual + 30 subsidy = 380
    assert_amounts(
        result,
        individual="350",
        government="30",
        sponsor="0",
        total="380",
        components={"subsidy": "30"},
    )


@pytest.mark.parametrize("residence", ["permit", "none"])
def test_pension_residence_permit_or_none_ineligible_4(
    policy_2025: contribpolicy.Policy, residence: str
) -> None:
    """Without Shancheng household registration, not covered by the pension: it is joined
    where one's hukou is; the permit route is medical only (READING 四, revised)."""
    result = policy_2025.evaluate(person(residence=residence, pension_tier=350))["pension"]
    words = ("持居住证人员仅参加居民医疗保险", f"residence is {residence}")
    assert_nothing(result, "ineligible", *words)


@pytest.mark.parametrize("residence", ["local", "permit"])
def test_medical_residence_local_or_permit_eligible_4(
    policy_2025: contribpolicy.Policy, residence: str
) -> None:
    """Household registration or a residence permit admits a person to medical insurance."""
    assert_medical_ordinary(policy_2025.evaluate(person(residence=residence))["medical"])


def test_medical_residence_none_ineligible_4(policy_2025: contribpolicy.Policy) -> None:
    """Neither household registration nor a residence permit: not covered by medical insurance."""
    result = policy_2025.evaluate(person(residence="none"))["medical"]
    assert_nothing(result, "ineligible", "非山城街道户籍且无居住证", "residence")


def test_pension_employee_pension_ineligible_4(policy_2025: contribpolicy.Policy) -> None:
    """Someone in the urban employee pension is not in the resident pension; medical unaffected."""
    assessment = policy_2025.evaluate(person(employee_pension=True, pension_tier=500))
    assert_nothing(assessment["pension"], "ineligible", "已参加城镇职工基本养老保险")
    assert_medical_ordinary(assessment["medical"])


def test_medical_employee_medical_ineligible_4(policy_2025: contribpolicy.Policy) -> None:
    """Someone in the urban employee medical insurance is not in the resident one; pension kept."""
    assessment = policy_2025.evaluate(person(employee_medical=True, pension_tier=500))
    assert_nothing(assessment["medical"], "ineligible", "已参加城镇职工基本医疗保险")
    # tier 500 individual + 60 subsidy = 560
    assert_amounts(
        assessment["pension"],
        individual="500",
        government="60",
        sponsor="0",
        total="560",
        components={"subsidy": "60"},
    )


def test_pension_students_excluded_4(policy_2025: contribpolicy.Policy) -> None:
    """In-school students (不含在校学生) are not in the pension, even at 20 with a tier chosen."""
    # born 2004-09-01: 20 on 2025-01-01
    result = policy_2025.evaluate(person(birth_date="2004-09-01", student=True, pension_tier=350))[
        "pension"
    ]
    assert_nothing(result, "ineligible", "在校学生", "student")


def test_medical_students_eligible_4(policy_2025: contribpolicy.Policy) -> None:
    """Students are excluded from the pension only: medical covers them at the ordinary rate."""
    # born 2004-09-01 (20) and 2014-09-01 (10): no relief applies to either
    for born in ("2004-09-01", "2014-09-01"):
        result = policy_2025.evaluate(person(birth_date=born, student=True))["medical"]
        assert_medical_ordinary(result)


@pytest.mark.parametrize(
    ("birth_date", "age", "eligible"),
    [
        ("2009-01-01", 16, True),  # 16th birthday on the reference date itself
        ("2009-01-02", 15, False),  # 16 only the day after
        ("2010-06-30", 14, False),
        ("1985-03-15", 39, True),
        ("1965-01-02", 59, True),  # 60th birthday the day after the reference date
        ("1965-01-01", 60, False),  # 60 on the reference date: draws the pension instead
        ("1950-07-01", 74, False),
    ],
)
def test_pension_age_16_to_59_4(
    policy_2025: contribpolicy.Policy, birth_date: str, age: int, eligible: bool
) -> None:
    """The pension takes contributions from 16 (年满16周岁) to 59 (Decision: they stop at 60)."""
    result = policy_2025.evaluate(person(birth_date=birth_date, pension_tier=800))["pension"]
    if eligible:
        # tier 800 individual + 80 subsidy = 880
        assert_amounts(
            result,
            individual="800",
            government="80",
            sponsor="0",
            total="880",
            components={"subsidy": "80"},
        )
    else:
        assert_nothing(result, "ineligible", f"age {age}", "16", "59")


@pytest.mark.parametrize(
    "birth_date",
    [
        "2025-03-01",  # newborn during the coverage year (新生儿): counts as age 0
        "2025-01-01",  # born on the reference date: age 0
        "2024-12-31",  # one day old on the reference date: age 0
        "2015-05-20",  # 9
        "1966-12-31",  # 58
    ],
)
def test_medical_no_age_limit_4(policy_2025: contribpolicy.Policy, birth_date: str) -> None:
    """Medical insurance has no minimum age: a newborn pays the ordinary 400 + 670."""
    assert_medical_ordinary(policy_2025.evaluate(person(birth_date=birth_date))["medical"])


@pytest.mark.parametrize(
    ("id_number", "pension_eligible", "medical_relief"),
    [
        # 370406 + born 1965-01-01 + 123 + check digit 6: 60 on 2025-01-01
        ("370406196501011236", False, "200"),
        # 370406 + born 1965-01-02 + 123 + check digit 1: 59 on 2025-01-01
        ("370406196501021231", True, None),
        # 370406 + born 1955-01-01 + 456 + check digit 3: 70 on 2025-01-01
        ("370406195501014563", False, "400"),
    ],
)
def test_age_from_id_number_when_no_birth_date_4(
    policy_2025: contribpolicy.Policy,
    id_number: str,
    pension_eligible: bool,
    medical_relief: str | None,
) -> None:
    """Without a birth date, the age comes from the birth date inside the 18-digit ID number."""
    record = person(id_number=id_number, pension_tier=350)
    del record["birth_date"]
    assessment = policy_2025.evaluate(record)
    if pension_eligible:
        # 350 + 30 subsidy = 380
        assert_amounts(
            assessment["pension"],
            individual="350",
            government="30",
            sponsor="0",
            total="380",
            components={"subsidy": "30"},
        )
    else:
        assert_nothing(assessment["pension"], "ineligible", "16 to 59")
    if medical_relief is None:
        assert_medical_ordinary(assessment["medical"])
    else:
        # 400 - relief (200 at 60, 400 at 70); government 670 + relief
        assert_amounts(
            assessment["medical"],
            individual=str(D(400) - D(medical_relief)),
            government=str(D(670) + D(medical_relief)),
            sponsor="0",
            total="1070",
            components={"fiscal": "670", "relief": medical_relief},
        )


# --- 五（一） pension: tiers and the government subsidy ---------------------------------------


@pytest.mark.parametrize(
    ("tier", "subsidy", "total"),
    [
        (350, "30", "380"),  # 350 + 30
        (500, "60", "560"),  # 500 + 60
        (800, "80", "880"),  # 800 + 80
        (1000, "80", "1080"),  # 1000 + 80
        (3000, "80", "3080"),  # 3000 + 80
        (5000, "80", "5080"),  # 5000 + 80
        (8000, "80", "8080"),  # 8000 + 80
    ],
)
def test_pension_tier_and_subsidy_5_1(
    policy_2025: contribpolicy.Policy, tier: int, subsidy: str, total: str
) -> None:
    """Each freely chosen tier is paid in full, and the government adds 30 / 60 / 80 (五（一）)."""
    result = policy_2025.evaluate(person(pension_tier=tier))["pension"]
    assert_amounts(
        result,
        individual=str(tier),
        government=subsidy,
        sponsor="0",
        total=total,
        components={"subsidy": subsidy},
    )


@pytest.mark.parametrize("status", ASSISTANCE)
def test_pension_tier_100_allowed_for_assistance_status_5_1(
    policy_2025: contribpolicy.Policy, status: str
) -> None:
    """Each assistance status is a hardship group: it may choose 100 and pays it itself."""
    result = policy_2025.evaluate(person(statuses=[status], pension_tier=100))["pension"]
    # tier 100 individual + 30 subsidy = 130; no proxy payment without a severe disability
    assert_amounts(
        result,
        individual="100",
        government="30",
        sponsor="0",
        total="130",
        components={"subsidy": "30"},
    )


@pytest.mark.parametrize("status", SEVERE)
def test_pension_tier_100_allowed_and_proxy_paid_for_severe_disability_5_1(
    policy_2025: contribpolicy.Policy, status: str
) -> None:
    """A grade 1 or 2 disabled person at 100: the government pays the 100 (代缴) and the 30."""
    result = policy_2025.evaluate(person(statuses=[status], pension_tier=100))["pension"]
    # tier 100, all of it proxy-paid: individual 100 - 100 = 0; government 100 proxy + 30 = 130
    assert_amounts(
        result,
        individual="0",
        government="130",
        sponsor="0",
        total="130",
        components={"proxy": "100", "subsidy": "30"},
    )


@pytest.mark.parametrize("statuses", [["disability_3"], ["disability_4"], []])
def test_pension_tier_100_refused_without_hardship_5_1(
    policy_2025: contribpolicy.Policy, statuses: list[str]
) -> None:
    """The 100 tier is only for hardship groups: grade 3/4 or no status is an error."""
    assessment = policy_2025.evaluate(person(statuses=statuses, pension_tier=100))
    assert_nothing(assessment["pension"], "error", "100", "重度残疾人等缴费困难群体")
    # the error stays on the pension: the same person's medical insurance is still assessed
    assert_medical_ordinary(assessment["medical"])


@pytest.mark.parametrize("tier", [0, 200, 400, 2000, 10000])
def test_pension_tier_not_offered_is_error_5_1(
    policy_2025: contribpolicy.Policy, tier: int
) -> None:
    """A tier not among the eight of 五（一） is an error naming the tier and the offered ones."""
    assessment = policy_2025.evaluate(person(pension_tier=tier))
    assert_nothing(
        assessment["pension"], "error", str(tier), "100, 350, 500, 800, 1000, 3000, 5000, 8000"
    )
    assert_medical_ordinary(assessment["medical"])


@pytest.mark.parametrize("statuses", [[], ["dibao"], ["disability_3"]])
def test_pension_no_tier_chosen_is_not_paying_4(
    policy_2025: contribpolicy.Policy, statuses: list[str]
) -> None:
    """An eligible person who chose no tier (and is not severely disabled) has not paid this
    year: not_paying, with no amounts, never an error (READING 四, added)."""
    assessment = policy_2025.evaluate(person(statuses=statuses, pension_tier=None))
    assert_nothing(assessment["pension"], "not_paying", "no pension_tier chosen")
    medical = assessment["medical"]
    if statuses == ["dibao"]:
        # 400 individual - 400 relief (dibao: all of it) = 0; government 670 + 400 = 1070
        assert_amounts(
            medical,
            individual="0",
            government="1070",
            sponsor="0",
            total="1070",
            components={"fiscal": "670", "relief": "400"},
        )
    else:
        assert_medical_ordinary(medical)


def test_pension_no_tier_key_at_all_is_not_paying_4(policy_2025: contribpolicy.Policy) -> None:
    """A record without the pension_tier field is the same as choosing nothing."""
    record = person()
    del record["pension_tier"]
    assessment = policy_2025.evaluate(record)
    assert_nothing(assessment["pension"], "not_paying", "pension_tier")
    assert_medical_ordinary(assessment["medical"])


# --- 五（一） pension: proxy payment for severe disability (代缴) -------------------------------


@pytest.mark.parametrize(
    ("tier", "individual", "government", "subsidy", "total"),
    [
        (350, "250", "130", "30", "380"),  # 350 - 100 proxy = 250; 100 + 30 = 130; 250 + 130
        (500, "400", "160", "60", "560"),  # 500 - 100 proxy = 400; 100 + 60 = 160; 400 + 160
        (800, "700", "180", "80", "880"),  # 800 - 100 proxy = 700; 100 + 80 = 180; 700 + 180
        (8000, "7900", "180", "80", "8080"),  # 8000 - 100 = 7900; 100 + 80 = 180; 7900 + 180
    ],
)
@pytest.mark.parametrize("status", SEVERE)
def test_pension_severe_disability_higher_tier_pays_difference_5_1(
    policy_2025: contribpolicy.Policy,
    *,
    status: str,
    tier: int,
    individual: str,
    government: str,
    subsidy: str,
    total: str,
) -> None:
    """Grade 1/2 at a higher tier: 100 is proxy-paid, the person pays tier - 100 (Decision)."""
    result = policy_2025.evaluate(person(statuses=[status], pension_tier=tier))["pension"]
    assert_amounts(
        result,
        individual=individual,
        government=government,
        sponsor="0",
        total=total,
        components={"proxy": "100", "subsidy": subsidy},
    )


@pytest.mark.parametrize("status", SEVERE)
def test_pension_severe_disability_defaults_to_tier_100_5_1(
    policy_2025: contribpolicy.Policy, status: str
) -> None:
    """A grade 1/2 person who chose no tier is enrolled at 100, all of it proxy-paid (Decision)."""
    result = policy_2025.evaluate(person(statuses=[status], pension_tier=None))["pension"]
    # default tier 100: individual 100 - 100 proxy = 0; government 100 + 30 subsidy = 130
    assert_amounts(
        result,
        individual="0",
        government="130",
        sponsor="0",
        total="130",
        components={"proxy": "100", "subsidy": "30"},
    )


@pytest.mark.parametrize("status", MILD)
def test_pension_mild_disability_no_proxy_5_1(
    policy_2025: contribpolicy.Policy, status: str
) -> None:
    """Grade 3/4 disability is not severe: no proxy payment, the tier is paid in full."""
    result = policy_2025.evaluate(person(statuses=[status], pension_tier=500))["pension"]
    # tier 500 individual + 60 subsidy = 560, no proxy
    assert_amounts(
        result,
        individual="500",
        government="60",
        sponsor="0",
        total="560",
        components={"subsidy": "60"},
    )


def test_pension_ignores_medical_sponsor_5_1(policy_2025: contribpolicy.Policy) -> None:
    """Sponsorship (资助) is of the medical individual part only: the pension tier is unchanged."""
    result = policy_2025.evaluate(person(pension_tier=1000, medical_sponsor=D("150")))["pension"]
    # tier 1000 individual + 80 subsidy = 1080
    assert_amounts(
        result,
        individual="1000",
        government="80",
        sponsor="0",
        total="1080",
        components={"subsidy": "80"},
    )


# --- 五（一） medical: 400 + 670 and the reliefs ----------------------------------------------


def test_medical_ordinary_person_400_plus_670_5_1(policy_2025: contribpolicy.Policy) -> None:
    """2025 medical: total 1070 = individual 400 + fiscal subsidy 670."""
    assert_medical_ordinary(policy_2025.evaluate(person())["medical"])


@pytest.mark.parametrize("status", ASSISTANCE)
def test_medical_assistance_status_fully_relieved_5_1(
    policy_2025: contribpolicy.Policy, status: str
) -> None:
    """The five assistance groups pay nothing: the government pays the whole 400 (代缴)."""
    result = policy_2025.evaluate(person(statuses=[status]))["medical"]
    # 400 individual - 400 relief = 0; government 670 fiscal + 400 relief = 1070
    assert_amounts(
        result,
        individual="0",
        government="1070",
        sponsor="0",
        total="1070",
        components={"fiscal": "670", "relief": "400"},
    )


@pytest.mark.parametrize(
    "birth_date",
    [
        "1955-01-01",  # 70 on the reference date (含70岁)
        "1950-07-01",  # 74
        "1924-06-01",  # 100
    ],
)
def test_medical_70_plus_fully_relieved_5_1(
    policy_2025: contribpolicy.Policy, birth_date: str
) -> None:
    """Aged 70 or over (70岁（含70岁）以上): the government pays the whole individual part."""
    result = policy_2025.evaluate(person(birth_date=birth_date))["medical"]
    # 400 individual - 400 relief = 0; government 670 + 400 = 1070
    assert_amounts(
        result,
        individual="0",
        government="1070",
        sponsor="0",
        total="1070",
        components={"fiscal": "670", "relief": "400"},
    )


@pytest.mark.parametrize(
    "birth_date",
    [
        "1965-01-01",  # 60 on the reference date
        "1960-07-01",  # 64
        "1955-01-02",  # 69: 70 only the day after the reference date
    ],
)
def test_medical_60_to_69_half_relieved_5_1(
    policy_2025: contribpolicy.Policy, birth_date: str
) -> None:
    """Aged 60..69: the government bears 50% of the individual part."""
    result = policy_2025.evaluate(person(birth_date=birth_date))["medical"]
    # 400 individual - 200 relief (50% of 400) = 200; government 670 + 200 = 870; 200 + 870
    assert_amounts(
        result,
        individual="200",
        government="870",
        sponsor="0",
        total="1070",
        components={"fiscal": "670", "relief": "200"},
    )


def test_medical_59_no_age_relief_5_1(policy_2025: contribpolicy.Policy) -> None:
    """Aged 59 (born 1965-01-02) is below the 60..69 band: no relief at all."""
    assert_medical_ordinary(policy_2025.evaluate(person(birth_date="1965-01-02"))["medical"])


@pytest.mark.parametrize(
    ("birth_date", "statuses"),
    [
        ("1960-03-10", ["dibao"]),  # 64: 50% by age, 100% by dibao
        ("1960-03-10", ["extreme_poverty", "poverty_monitoring"]),  # two full reliefs
        ("1950-07-01", ["dibao_edge"]),  # 74: 100% by age and 100% by status
        ("1965-01-01", ["returned_to_poverty", "disability_1"]),  # 60, plus a disability
    ],
)
def test_medical_reliefs_most_favourable_not_summed_5_1(
    policy_2025: contribpolicy.Policy, birth_date: str, statuses: list[str]
) -> None:
    """Several reliefs: the most favourable one applies, not their sum (Decision)."""
    result = policy_2025.evaluate(person(birth_date=birth_date, statuses=statuses))["medical"]
    # max(400, 200) = 400 relief, not 400 + 200 = 600 and not 200; individual 400 - 400 = 0
    assert_amounts(
        result,
        individual="0",
        government="1070",
        sponsor="0",
        total="1070",
        components={"fiscal": "670", "relief": "400"},
    )


@pytest.mark.parametrize("status", [*SEVERE, *MILD])
def test_medical_disability_alone_no_relief_5_1(
    policy_2025: contribpolicy.Policy, status: str
) -> None:
    """The plan's medical reliefs name no disability grade: a disabled 44-year-old pays 400."""
    assert_medical_ordinary(policy_2025.evaluate(person(statuses=[status]))["medical"])


# --- 五（一） medical: sponsorship (资助), capped at what is left -----------------------------


@pytest.mark.parametrize(
    ("birth_date", "statuses", "offered", "individual", "sponsor", "relief"),
    [
        # ordinary: 400 - 150 sponsor = 250 left to pay
        (ADULT, [], "150", "250", "150", None),
        # ordinary: sponsor capped at the 400 owed; 400 - 400 = 0
        (ADULT, [], "1000", "0", "400", None),
        # ordinary: exactly the 400 owed
        (ADULT, [], "400", "0", "400", None),
        # ordinary: 400.00 - 123.45 = 276.55
        (ADULT, [], "123.45", "276.55", "123.45", None),
        # 62: 400 - 200 relief = 200 left; sponsor 300 capped at 200; 200 - 200 = 0
        ("1962-08-08", [], "300", "0", "200", "200"),
        # 62: 400 - 200 relief = 200 left; 200 - 50.50 sponsor = 149.50
        ("1962-08-08", [], "50.50", "149.50", "50.50", "200"),
        # dibao: 400 - 400 relief = 0 left; the sponsor pays nothing
        (ADULT, ["dibao"], "100", "0", "0", "400"),
        # 80: 400 - 400 relief = 0 left; the sponsor pays nothing
        ("1944-02-29", [], "400", "0", "0", "400"),
    ],
)
def test_medical_sponsor_covers_what_is_left_5_1(
    policy_2025: contribpolicy.Policy,
    *,
    birth_date: str,
    statuses: list[str],
    offered: str,
    individual: str,
    sponsor: str,
    relief: str | None,
) -> None:
    """A sponsorship pays the individual part left after relief, never more (Decision)."""
    record = person(birth_date=birth_date, statuses=statuses, medical_sponsor=D(offered))
    result = policy_2025.evaluate(record)["medical"]
    components = {"fiscal": "670"} if relief is None else {"fiscal": "670", "relief": relief}
    government = D("670") + (D(relief) if relief is not None else ZERO)
    # the whole premium is still 1070: what the person, government and sponsor pay adds up to it
    assert_amounts(
        result,
        individual=individual,
        government=str(government),
        sponsor=sponsor,
        total="1070",
        components=components,
    )


def test_medical_sponsor_as_text_from_a_roster_5_1(policy_2025: contribpolicy.Policy) -> None:
    """A roster's text amount "150" is the same sponsorship as Decimal 150."""
    result = policy_2025.evaluate(person(medical_sponsor="150"))["medical"]
    # 400 - 150 = 250
    assert_amounts(
        result,
        individual="250",
        government="670",
        sponsor="150",
        total="1070",
        components={"fiscal": "670"},
    )


def test_medical_sponsor_of_ineligible_person_pays_nothing_4(
    policy_2025: contribpolicy.Policy,
) -> None:
    """A sponsorship does not make an uncovered person covered: still all zero."""
    result = policy_2025.evaluate(person(residence="none", medical_sponsor=D("400")))["medical"]
    assert_nothing(result, "ineligible", "residence")


# --- both schemes for one person ---------------------------------------------------------------


def test_combined_62_year_old_severely_disabled_dibao_4_5_1(
    policy_2025: contribpolicy.Policy,
) -> None:
    """62, grade 1, dibao: past pension age (no default tier); medical fully relieved once."""
    record = person(birth_date="1962-05-05", statuses=["disability_1", "dibao"])
    assessment = policy_2025.evaluate(record)
    # 62 > 59: ineligible for the pension, the default tier 100 of severe disability never applies
    assert_nothing(assessment["pension"], "ineligible", "age 62")
    # medical: max(dibao 400, age 60..69 200) = 400 relief; individual 0; 670 + 400 = 1070
    assert_amounts(
        assessment["medical"],
        individual="0",
        government="1070",
        sponsor="0",
        total="1070",
        components={"fiscal": "670", "relief": "400"},
    )


def test_combined_45_year_old_grade_2_dibao_tier_350_sponsored_4_5_1(
    policy_2025: contribpolicy.Policy,
) -> None:
    """45, grade 2, dibao, tier 350, sponsor 50: proxy on the pension, relief on medical."""
    record = person(
        birth_date="1979-11-11",
        statuses=["dibao", "disability_2"],
        pension_tier=350,
        medical_sponsor=D("50"),
    )
    assessment = policy_2025.evaluate(record)
    # pension: 350 - 100 proxy = 250 individual; government 100 + 30 = 130; 250 + 130 = 380
    assert_amounts(
        assessment["pension"],
        individual="250",
        government="130",
        sponsor="0",
        total="380",
        components={"proxy": "100", "subsidy": "30"},
    )
    # medical: 400 - 400 relief = 0 left, so the 50 sponsorship pays nothing
    assert_amounts(
        assessment["medical"],
        individual="0",
        government="1070",
        sponsor="0",
        total="1070",
        components={"fiscal": "670", "relief": "400"},
    )


def test_combined_59_year_old_permit_holder_grade_1_4_5_1(
    policy_2025: contribpolicy.Policy,
) -> None:
    """59 (born 1965-01-02), local, grade 1, no tier: pension default 100, medical full price."""
    record = person(birth_date="1965-01-02", residence="local", statuses=["disability_1"])
    assessment = policy_2025.evaluate(record)
    # pension: default tier 100, all proxy-paid: individual 0; government 100 + 30 = 130
    assert_amounts(
        assessment["pension"],
        individual="0",
        government="130",
        sponsor="0",
        total="130",
        components={"proxy": "100", "subsidy": "30"},
    )
    # medical: 59 is below 60 and grade 1 is no medical relief: 400 + 670
    assert_medical_ordinary(assessment["medical"])


def test_combined_60_year_old_grade_1_employee_pension_4_5_1(
    policy_2025: contribpolicy.Policy,
) -> None:
    """60 (born 1965-01-01), grade 1, poverty monitoring, in the employee pension, tier 100."""
    record = person(
        birth_date="1965-01-01",
        statuses=["disability_1", "poverty_monitoring"],
        employee_pension=True,
        pension_tier=100,
        medical_sponsor=D("30"),
    )
    assessment = policy_2025.evaluate(record)
    assert_nothing(assessment["pension"], "ineligible", "employee_pension")
    # medical: max(monitoring 400, age 60 200) = 400; nothing left for the 30 sponsorship
    assert_amounts(
        assessment["medical"],
        individual="0",
        government="1070",
        sponsor="0",
        total="1070",
        components={"fiscal": "670", "relief": "400"},
    )


def test_combined_16_year_old_student_with_permit_4_5_1(
    policy_2025: contribpolicy.Policy,
) -> None:
    """16 (born 2009-01-01), local, student, extreme poverty: no pension; medical free."""
    record = person(
        birth_date="2009-01-01",
        residence="local",
        student=True,
        statuses=["extreme_poverty"],
        pension_tier=100,
    )
    assessment = policy_2025.evaluate(record)
    assert_nothing(assessment["pension"], "ineligible", "student")
    # medical: 400 - 400 relief (extreme poverty) = 0; 670 + 400 = 1070
    assert_amounts(
        assessment["medical"],
        individual="0",
        government="1070",
        sponsor="0",
        total="1070",
        components={"fiscal": "670", "relief": "400"},
    )


def test_combined_61_year_old_grade_4_sponsored_4_5_1(
    policy_2025: contribpolicy.Policy,
) -> None:
    """61, grade 4, sponsor 99.99: no pension (age), medical half relief then part-sponsored."""
    record = person(
        birth_date="1963-10-01",
        statuses=["disability_4"],
        pension_tier=350,
        medical_sponsor=D("99.99"),
    )
    assessment = policy_2025.evaluate(record)
    assert_nothing(assessment["pension"], "ineligible", "age 61")
    # medical: 400 - 200 relief = 200; 200.00 - 99.99 sponsor = 100.01; government 670 + 200
    assert_amounts(
        assessment["medical"],
        individual="100.01",
        government="870",
        sponsor="99.99",
        total="1070",
        components={"fiscal": "670", "relief": "200"},
    )


# --- the vocabulary -----------------------------------------------------------------------------


def test_declared_statuses_are_the_nine_of_the_plan_5_1(
    policy_2025: contribpolicy.Policy,
) -> None:
    """The policy declares exactly the five assistance statuses and four disability grades."""
    assert set(policy_2025.vocabulary.statuses) == {*ASSISTANCE, *SEVERE, *MILD}
    assert set(policy_2025.vocabulary.residence) == {"local", "permit", "none"}


def test_unknown_status_is_an_input_error(policy_2025: contribpolicy.Policy) -> None:
    """A status code the plan does not declare is refused, naming the field."""
    with pytest.raises(contribpolicy.InputError) as caught:
        policy_2025.evaluate(person(statuses=["disability_5"]))
    assert caught.value.field == "statuses"


# --- the trace: what applied, with its clause, and why the rest did not -------------------------


def _entries(result: SchemeAssessment) -> dict[str, contribpolicy.TraceEntry]:
    return {entry.rule_id: entry for entry in result.trace}


def test_trace_medical_60_to_69_cites_clause_5_1(policy_2025: contribpolicy.Policy) -> None:
    """A 62-year-old's trace: premium and 60..69 relief applied (五（一）), others say why not."""
    result = policy_2025.evaluate(person(birth_date="1962-08-08"))["medical"]
    entries = _entries(result)
    assert [entry.rule_id for entry in result.trace] == [
        "medical-resident",
        "medical-not-employee",
        "medical-premium",
        "medical-relief-assistance",
        "medical-relief-70-plus",
        "medical-relief-60-69",
        "medical-sponsorship",
    ]
    assert entries["medical-resident"].cite == "四"
    assert entries["medical-resident"].applied
    premium = entries["medical-premium"]
    assert (premium.applied, premium.cite, premium.kind) == (True, "五（一）", "premium_split")
    assert dict(premium.changes) == {"individual": D("400"), "fiscal": D("670")}
    half = entries["medical-relief-60-69"]
    assert (half.applied, half.cite, half.reason) == (True, "五（一）", None)
    # 50% of 400 = 200
    assert dict(half.changes) == {"relief": D("200")}
    over_70 = entries["medical-relief-70-plus"]
    assert not over_70.applied
    assert over_70.reason is not None
    assert "62" in over_70.reason
    assert "70" in over_70.reason
    assistance = entries["medical-relief-assistance"]
    assert not assistance.applied
    assert assistance.reason is not None
    assert "dibao" in assistance.reason


def test_trace_why_not_60_to_69_relief_for_45_year_old_5_1(
    policy_2025: contribpolicy.Policy,
) -> None:
    """For a 45-year-old the 60..69 relief did not apply, and the reason names the age."""
    result = policy_2025.evaluate(person(birth_date="1979-11-11"))["medical"]
    half = _entries(result)["medical-relief-60-69"]
    assert not half.applied
    assert half.changes == {}
    assert half.reason is not None
    assert "45" in half.reason
    assert "60" in half.reason
    assert "69" in half.reason


def test_trace_pension_proxy_and_subsidy_cite_clause_5_1(
    policy_2025: contribpolicy.Policy,
) -> None:
    """A grade 2 person's pension trace shows the 100 proxy payment and the 60 subsidy, 五（一）."""
    result = policy_2025.evaluate(person(statuses=["disability_2"], pension_tier=500))["pension"]
    entries = _entries(result)
    for rule_id in (
        "pension-resident",
        "pension-not-employee",
        "pension-age",
        "pension-not-student",
    ):
        assert entries[rule_id].cite == "四"
        assert entries[rule_id].applied
    assert dict(entries["pension-tier"].changes) == {"individual": D("500")}
    assert dict(entries["pension-subsidy"].changes) == {"subsidy": D("60")}
    proxy = entries["pension-proxy-severe-disability"]
    assert (proxy.applied, proxy.cite) == (True, "五（一）")
    assert dict(proxy.changes) == {"proxy": D("100")}


def test_trace_pension_proxy_why_not_for_grade_3_5_1(policy_2025: contribpolicy.Policy) -> None:
    """A grade 3 person's trace says the proxy payment needs grade 1 or 2."""
    result = policy_2025.evaluate(person(statuses=["disability_3"], pension_tier=500))["pension"]
    proxy = _entries(result)["pension-proxy-severe-disability"]
    assert not proxy.applied
    assert proxy.reason is not None
    assert "disability_1" in proxy.reason
    assert "disability_2" in proxy.reason


@pytest.mark.parametrize(
    ("fields", "rule_id", "words"),
    [
        ({"residence": "none"}, "pension-resident", ("residence is none",)),
        ({"employee_pension": True}, "pension-not-employee", ("employee_pension",)),
        ({"birth_date": "2009-01-02"}, "pension-age", ("age 15", "16 to 59")),
        ({"birth_date": "1965-01-01"}, "pension-age", ("age 60", "16 to 59")),
        ({"student": True}, "pension-not-student", ("student",)),
    ],
)
def test_trace_ineligibility_names_failed_requirement_4(
    policy_2025: contribpolicy.Policy, fields: dict[str, Any], rule_id: str, words: tuple[str, ...]
) -> None:
    """An ineligible pension's message names the requirement failed; its trace stops there."""
    result = policy_2025.evaluate(person(pension_tier=350, **fields))["pension"]
    message = assert_nothing(result, "ineligible", *words)
    entries = list(result.trace)
    stopped = [entry.rule_id for entry in entries if entry.effect.startswith("ineligible")]
    assert stopped == [rule_id]
    failed = _entries(result)[rule_id]
    assert failed.cite == "四"
    assert message in failed.effect
    after = entries[[entry.rule_id for entry in entries].index(rule_id) + 1 :]
    assert after, "the tier, subsidy and proxy rules come after every eligibility rule"
    for entry in after:
        assert not entry.applied
        assert entry.changes == {}
        assert entry.reason


def test_trace_tier_error_on_tier_rule_5_1(policy_2025: contribpolicy.Policy) -> None:
    """A refused 100 tier: the tier rule's entry carries the error, the later rules did nothing."""
    result = policy_2025.evaluate(person(statuses=["disability_4"], pension_tier=100))["pension"]
    message = assert_nothing(result, "error", "100")
    tier = _entries(result)["pension-tier"]
    assert tier.cite == "五（一）"
    assert tier.effect.startswith("error")
    assert message in tier.effect
    for rule_id in ("pension-subsidy", "pension-proxy-severe-disability"):
        assert not _entries(result)[rule_id].applied
        assert _entries(result)[rule_id].changes == {}
