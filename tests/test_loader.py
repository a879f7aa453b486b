"""Loading policy files: the bundled policy, and every planted mistake at its exact place."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import contribpolicy
from _policy_edit import (
    POLICY_2025,
    POLICY_TEXT,
    edit,
    issues_of,
    keys,
    load_text,
    position,
    replace_once,
)
from contribpolicy import ContribPolicyError, Policy, PolicyError

BUILT_IN_KINDS = (
    "eligibility",
    "premium_split",
    "proxy_payment",
    "referral",
    "relief",
    "sponsorship",
    "tier_choice",
    "tier_subsidy",
)


def _person(**fields: object) -> dict[str, object]:
    record: dict[str, object] = {
        "person_id": "p1",
        "birth_date": "1980-05-01",
        "residence": "local",
        "pension_tier": 500,
    }
    record.update(fields)
    return record


# --- the bundled policy -------------------------------------------------------------------------


def test_bundled_policy_identity(policy_2025: Policy) -> None:
    """The 2025 policy loads with its id, version, year and source document."""
    assert policy_2025.id == "shancheng-2025"
    assert policy_2025.version == "2025.1"
    assert policy_2025.coverage_year == 2025
    assert policy_2025.source.number == "山城办发〔2024〕18号"
    assert policy_2025.age_basis.reference_date.isoformat() == "2025-01-01"
    assert policy_2025.money.places == 2
    assert policy_2025.path == str(POLICY_2025)
    assert policy_2025.content_hash.startswith("sha256:")


def test_bundled_policy_schemes_and_rules(policy_2025: Policy) -> None:
    """The 2025 policy has the pension (eight rules) and medical (seven) schemes, in file order."""
    assert list(policy_2025.schemes) == ["pension", "medical"]
    pension = [rule.id for rule in policy_2025.schemes["pension"].rules]
    medical = [rule.id for rule in policy_2025.schemes["medical"].rules]
    assert pension == [
        "pension-resident",
        "pension-not-employee",
        "pension-referral-60-plus",
        "pension-age",
        "pension-not-student",
        "pension-tier",
        "pension-subsidy",
        "pension-proxy-severe-disability",
    ]
    assert medical == [
        "medical-resident",
        "medical-not-employee",
        "medical-premium",
        "medical-relief-assistance",
        "medical-relief-70-plus",
        "medical-relief-60-69",
        "medical-sponsorship",
    ]
    assert {rule.kind for s in policy_2025.schemes.values() for rule in s.rules} == set(
        BUILT_IN_KINDS
    )


def test_bundled_policy_rule_locations(policy_2025: Policy) -> None:
    """Each rule remembers the file line and pointer where it is written."""
    rule = policy_2025.rule("medical-premium")
    line, column = position(POLICY_TEXT, "- id: medical-premium", "id:")
    assert (rule.location.line, rule.location.column) == (line, column)
    assert rule.location.pointer == "/schemes/medical/rules/2"
    assert rule.provider == f"contribpolicy {contribpolicy.__version__}"


def test_bundled_policy_named_conditions(policy_2025: Policy) -> None:
    """Rules that use a named condition get it compiled, described by the condition's label."""
    assistance = policy_2025.rule("medical-relief-assistance").when
    assert assistance is not None
    assert assistance.describe() == "特困、低保、返贫致贫、低保边缘、防返贫监测对象"
    proxy = policy_2025.rule("pension-proxy-severe-disability").when
    assert proxy is not None
    assert proxy.describe() == "重度（一级、二级）残疾人"


def test_bundled_policy_vocabulary(policy_2025: Policy) -> None:
    """The declared inputs are the policy's vocabulary."""
    vocabulary = policy_2025.vocabulary
    assert "dibao" in vocabulary.statuses
    assert list(vocabulary.residence) == ["local", "permit", "none"]
    assert list(vocabulary.flags) == ["employee_pension", "employee_medical", "student"]
    assert list(vocabulary.choices) == ["pension_tier"]
    assert list(vocabulary.amounts) == ["medical_sponsor"]


def test_policy_error_is_contribpolicy_and_value_error() -> None:
    """PolicyError is caught both as ContribPolicyError and as ValueError."""
    assert issubclass(PolicyError, ContribPolicyError)
    assert issubclass(PolicyError, ValueError)


def test_unreadable_file_is_policy_error(tmp_path: Path) -> None:
    """A missing file is a PolicyError naming the file, not a bare OSError."""
    missing = tmp_path / "missing.yaml"
    with pytest.raises(PolicyError) as caught:
        contribpolicy.load_policy(missing)
    assert [issue.location.file for issue in caught.value.issues] == [str(missing)]


# --- schema mistakes ----------------------------------------------------------------------------


def test_unknown_key_suggests_the_known_one(tmp_path: Path) -> None:
    """A misspelt key is reported where the key is written, with a "did you mean"."""
    text = edit(("otherwise: 已参加城镇职工基本养老保险", "otherwse: 已参加城镇职工基本养老保险"))
    issues = issues_of(tmp_path, text)
    typo = position(text, "otherwse: 已参加城镇职工基本养老保险")
    rule = position(text, "- id: pension-not-employee", "id:")
    assert keys(issues) == [
        # the key it should have been is missing from the rule...
        ("/schemes/pension/rules/1", *rule, "schema.required"),
        # ...and the typo is an unknown key, at the key itself
        ("/schemes/pension/rules/1/otherwse", *typo, "schema.unknown-key"),
    ]
    assert "did you mean 'otherwise'" in issues[1].message


def test_unknown_top_level_key_suggests_the_known_one(tmp_path: Path) -> None:
    """A misspelt top-level key is reported at its line and column 1 with a suggestion."""
    text = edit(("coverage_year: 2025", "coverage_yaer: 2025"))
    issues = issues_of(tmp_path, text)
    unknown = [issue for issue in issues if issue.code == "schema.unknown-key"]
    assert keys(tuple(unknown)) == [
        ("/coverage_yaer", *position(text, "coverage_yaer"), "schema.unknown-key")
    ]
    assert "did you mean 'coverage_year'" in unknown[0].message
    assert "schema.required" in {issue.code for issue in issues}


def test_missing_required_key(tmp_path: Path) -> None:
    """A rule without its cite is reported at the rule, naming the missing key."""
    text = edit(("cite: 五（一）\n        total: 1070", "total: 1070"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "- id: medical-premium", "id:")
    assert keys(issues) == [("/schemes/medical/rules/2", line, column, "schema.required")]
    assert "'cite'" in issues[0].message


def test_wrong_type(tmp_path: Path) -> None:
    """A year written as text is a type error at the value."""
    text = edit(("coverage_year: 2025", 'coverage_year: "2025"'))
    issues = issues_of(tmp_path, text)
    line, column = position(text, 'coverage_year: "2025"', '"2025"')
    assert keys(issues) == [("/coverage_year", line, column, "schema.type")]


def test_value_out_of_range(tmp_path: Path) -> None:
    """A relief share over 1 is rejected by the schema at the value."""
    text = edit(("share: 0.5", "share: 1.5"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "share: 1.5", "1.5")
    assert keys(issues) == [("/schemes/medical/rules/5/share", line, column, "schema.maximum")]


def test_unknown_format_version(tmp_path: Path) -> None:
    """A file in a format version this library does not know is rejected at `format`."""
    text = edit(("format: 1", "format: 2"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "format: 2", "2")
    assert keys(issues) == [("/format", line, column, "schema.const")]


def test_unknown_enum_value(tmp_path: Path) -> None:
    """A rounding mode that does not exist is an enum error at the value."""
    text = edit(("rounding: ROUND_HALF_UP", "rounding: HALF_UP"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "rounding: HALF_UP", "HALF_UP")
    assert keys(issues) == [("/money/rounding", line, column, "schema.enum")]


def test_missing_required_key_of_a_named_mapping(tmp_path: Path) -> None:
    """A scheme without its label is reported at the key that names the scheme."""
    text = edit(("    label: 城乡居民基本医疗保险\n", ""))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "  medical:\n", "medical")
    assert keys(issues) == [("/schemes/medical", line, column, "schema.required")]


def test_unknown_key_in_condition_suggests_the_known_one(tmp_path: Path) -> None:
    """A misspelt test inside a nested condition is reported at the key with a suggestion."""
    text = edit(("requires: {not: {flag: student}}", "requires: {not: {flg: student}}"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "{not: {flg: student}}", "flg")
    assert keys(issues) == [
        ("/schemes/pension/rules/4/requires/not/flg", line, column, "schema.unknown-key")
    ]
    assert "did you mean 'flag'" in issues[0].message


def test_impossible_date(tmp_path: Path) -> None:
    """A date that does not exist is a format error at the value."""
    text = edit(("date: 2024-10-18", "date: 2024-02-30"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "date: 2024-02-30", "2024")
    assert keys(issues) == [("/source/date", line, column, "schema.format")]


# --- semantic mistakes --------------------------------------------------------------------------


def test_duplicate_rule_id(tmp_path: Path) -> None:
    """A reused rule id is reported at the second use, naming the line of the first."""
    text = edit(("id: medical-not-employee", "id: medical-resident"))
    issues = issues_of(tmp_path, text)
    first_line, _ = position(
        text,
        "- id: medical-resident\n        kind: eligibility\n        label: 山城街道户籍",
    )
    second = position(
        text,
        "- id: medical-resident\n        kind: eligibility\n        label: 未参加",
        "medical-resident",
    )
    assert keys(issues) == [("/schemes/medical/rules/1/id", *second, "semantic.duplicate-id")]
    assert issues[0].rule_id == "medical-resident"
    assert f"line {first_line}" in issues[0].message
    assert [place.line for place in issues[0].related] == [first_line]


def test_duplicate_rule_id_across_schemes(tmp_path: Path) -> None:
    """Rule ids are unique in the whole policy, not only within a scheme."""
    text = edit(("- id: medical-premium", "- id: pension-tier"))
    issues = issues_of(tmp_path, text)
    first_line, _ = position(text, "- id: pension-tier\n        kind: tier_choice")
    second = position(text, "- id: pension-tier\n        kind: premium_split", "pension-tier")
    assert keys(issues) == [("/schemes/medical/rules/2/id", *second, "semantic.duplicate-id")]
    assert f"line {first_line}" in issues[0].message


def test_undeclared_status_in_named_condition(tmp_path: Path) -> None:
    """A status code that inputs.statuses does not declare is reported at the code."""
    text = edit(("[disability_1, disability_2]", "[disability_1, disability_9]"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "[disability_1, disability_9]", "disability_9")
    assert keys(issues) == [
        ("/conditions/severe_disability/any_status/1", line, column, "semantic.undeclared")
    ]


def test_undeclared_input_in_rule(tmp_path: Path) -> None:
    """A tier choice reading an undeclared input is reported at the input's name."""
    text = edit(("choice: pension_tier", "choice: pension_teir"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "choice: pension_teir", "pension_teir")
    assert keys(issues) == [
        ("/schemes/pension/rules/5/choice", line, column, "semantic.undeclared")
    ]
    assert issues[0].rule_id == "pension-tier"


def test_undeclared_amount_input_in_sponsorship(tmp_path: Path) -> None:
    """A sponsorship reading an undeclared amount is reported at `amount_from`."""
    text = edit(("amount_from: medical_sponsor", "amount_from: medical_sponsors"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "amount_from: medical_sponsors", "medical_sponsors")
    assert keys(issues) == [
        ("/schemes/medical/rules/6/amount_from", line, column, "semantic.undeclared")
    ]


def test_unknown_rule_kind_lists_known_kinds(tmp_path: Path) -> None:
    """An unknown `kind:` is reported at the kind, listing every known kind and its package."""
    text = edit(("kind: sponsorship", "kind: sponsorshp"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "kind: sponsorshp", "sponsorshp")
    assert keys(issues) == [
        ("/schemes/medical/rules/6/kind", line, column, "semantic.unknown-kind")
    ]
    assert issues[0].rule_id == "medical-sponsorship"
    for kind in (*BUILT_IN_KINDS, "flat_bonus"):
        assert kind in issues[0].message
    assert f"contribpolicy {contribpolicy.__version__}" in issues[0].message
    assert "contribpolicy-testkind 1.0.0" in issues[0].message


def test_unknown_named_condition(tmp_path: Path) -> None:
    """A reference to a named condition that does not exist is reported at the name."""
    text = edit(("when: {condition: assistance}", "when: {condition: assistence}"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "when: {condition: assistence}", "assistence")
    assert keys(issues) == [
        ("/schemes/medical/rules/3/when/condition", line, column, "semantic.unknown-condition")
    ]


def test_cyclic_named_conditions(tmp_path: Path) -> None:
    """Named conditions that refer to each other are one cycle error at one of the references."""
    text = edit(
        (
            "any_status: [disability_1, disability_2]",
            "any: [{any_status: [disability_1, disability_2]}, {condition: hardship}]",
        )
    )
    issues = issues_of(tmp_path, text)
    references = {
        "/conditions/severe_disability/any/1/condition": position(
            text, "disability_2]}, {condition: hardship}", "hardship"
        ),
        "/conditions/hardship/any/0/condition": position(
            text, "- condition: severe_disability", "severe_disability"
        ),
    }
    assert [issue.code for issue in issues] == ["semantic.condition-cycle"]
    pointer = issues[0].location.pointer
    assert pointer in references
    assert (issues[0].location.line, issues[0].location.column) == references[pointer]


def test_self_referring_named_condition(tmp_path: Path) -> None:
    """A named condition that uses itself is a cycle at that reference."""
    text = edit(
        ("    any_status: [disability_1, disability_2]", "    condition: severe_disability")
    )
    issues = issues_of(tmp_path, text)
    line, column = position(text, "    condition: severe_disability", "severe_disability")
    assert keys(issues) == [
        ("/conditions/severe_disability/condition", line, column, "semantic.condition-cycle")
    ]


def test_premium_parts_must_sum_to_total(tmp_path: Path) -> None:
    """A premium whose parts do not add up to its total is reported at the total."""
    text = edit(("total: 1070", "total: 1071"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "total: 1071", "1071")
    assert keys(issues) == [("/schemes/medical/rules/2/total", line, column, "semantic.parts-sum")]
    assert issues[0].rule_id == "medical-premium"


def test_tiers_must_ascend(tmp_path: Path) -> None:
    """A tier smaller than the one before it is reported at that tier."""
    text = edit(("tiers: [100, 350, 500, 800,", "tiers: [100, 350, 800, 500,"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "tiers: [100, 350, 800, 500,", "500")
    assert keys(issues) == [
        ("/schemes/pension/rules/5/tiers/3", line, column, "semantic.tier-order")
    ]


def test_restricted_tier_must_be_offered(tmp_path: Path) -> None:
    """A restriction on a tier that is not offered is reported at the restriction's tiers."""
    text = edit(("- tiers: [100]", "- tiers: [150]"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "- tiers: [150]", "[150]")
    assert keys(issues) == [
        ("/schemes/pension/rules/5/restricted/0/tiers", line, column, "semantic.tier-not-offered")
    ]


def test_offered_tier_in_no_bracket(tmp_path: Path) -> None:
    """An offered tier that no subsidy bracket covers is reported at the brackets."""
    text = edit(("{from: 100, to: 350, amount: 30}", "{from: 100, to: 300, amount: 30}"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "- {from: 100, to: 300")
    assert keys(issues) == [
        ("/schemes/pension/rules/6/brackets", line, column, "semantic.bracket-cover")
    ]
    assert issues[0].rule_id == "pension-subsidy"


def test_offered_tier_in_two_brackets(tmp_path: Path) -> None:
    """An offered tier that two subsidy brackets cover is reported at the brackets."""
    text = edit(("{from: 500, to: 500, amount: 60}", "{from: 350, to: 500, amount: 60}"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "- {from: 100, to: 350")
    assert keys(issues) == [
        ("/schemes/pension/rules/6/brackets", line, column, "semantic.bracket-cover")
    ]


def test_bracket_with_amount_and_share(tmp_path: Path) -> None:
    """A bracket giving both a fixed amount and a share is reported at that bracket."""
    text = edit(("{from: 800, amount: 80}", "{from: 800, amount: 80, share: 0.1}"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "- {from: 800, amount: 80, share: 0.1}", "{")
    assert keys(issues) == [
        ("/schemes/pension/rules/6/brackets/2", line, column, "semantic.bracket-amount")
    ]


def test_bracket_ending_before_it_starts(tmp_path: Path) -> None:
    """A bracket whose `to` is below its `from` is an empty range at `to`."""
    text = edit(("{from: 500, to: 500, amount: 60}", "{from: 500, to: 400, amount: 60}"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "{from: 500, to: 400", "400")
    empty = [issue for issue in issues if issue.code == "semantic.empty-range"]
    assert keys(tuple(empty)) == [
        ("/schemes/pension/rules/6/brackets/1/to", line, column, "semantic.empty-range")
    ]


def test_empty_age_range(tmp_path: Path) -> None:
    """An age condition with min over max is reported at the age."""
    text = edit(("requires: {age: {min: 16, max: 59}}", "requires: {age: {min: 60, max: 59}}"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "requires: {age: {min: 60, max: 59}}", "{min")
    assert keys(issues) == [
        ("/schemes/pension/rules/3/requires/age", line, column, "semantic.empty-range")
    ]


def test_proxy_payment_needs_amount_or_share(tmp_path: Path) -> None:
    """A proxy payment with both an amount and a share is reported at its rule."""
    text = edit(("        amount: 100\n", "        amount: 100\n        share: 1\n"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "- id: pension-proxy-severe-disability", "id:")
    assert keys(issues) == [("/schemes/pension/rules/7", line, column, "semantic.proxy-amount")]


# --- YAML mistakes ------------------------------------------------------------------------------


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    """Broken YAML is one yaml.syntax issue at the line and column where reading failed."""
    text = edit(("reference_date: 2025-01-01", "reference_date: 2025-01-01: x"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "reference_date: 2025-01-01: x", ": x")
    assert keys(issues) == [("", line, column, "yaml.syntax")]


def test_duplicate_yaml_key_names_both_places(tmp_path: Path) -> None:
    """A key written twice in one mapping is reported at the second, naming the first."""
    text = edit(("  method: completed_years\n", "  method: completed_years\n  method: other\n"))
    issues = issues_of(tmp_path, text)
    first = position(text, "  method: completed_years", "method")
    second = position(text, "  method: other", "method")
    assert keys(issues) == [("/age_basis/method", *second, "yaml.duplicate-key")]
    assert f"line {first[0]}, column {first[1]}" in issues[0].message
    assert [(place.line, place.column) for place in issues[0].related] == [first]


def test_explicit_python_tag_is_rejected_and_not_run(tmp_path: Path) -> None:
    """`!!python/object/apply` is rejected at the tag and nothing in it is executed."""
    marker = tmp_path / "executed"
    original = "title: 山城街道2025年度城乡居民基本养老、基本医疗保险缴费政策"
    text = edit((original, f'title: !!python/object/apply:os.system ["touch {marker}"]'))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "title: !!python", "!!python")
    assert keys(issues) == [("/title", line, column, "yaml.tag")]
    assert not marker.exists()


def test_custom_tag_is_rejected(tmp_path: Path) -> None:
    """A local tag such as `!money` is rejected at the tag."""
    text = edit(("total: 1070", "total: !money 1070"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "total: !money 1070", "!money")
    assert keys(issues) == [("/schemes/medical/rules/2/total", line, column, "yaml.tag")]


def test_empty_file(tmp_path: Path) -> None:
    """A file with only comments holds no policy."""
    issues = issues_of(tmp_path, "# nothing here\n")
    assert [issue.code for issue in issues] == ["yaml.empty"]


def test_not_utf8_is_located(tmp_path: Path) -> None:
    """A file saved in GBK is a yaml.encoding issue at the line of the first non-UTF-8 byte."""
    path = tmp_path / "gbk.yaml"
    path.write_bytes(POLICY_TEXT.encode("gb18030"))
    with pytest.raises(PolicyError) as caught:
        contribpolicy.load_policy(path)
    first_non_ascii = next(i for i, char in enumerate(POLICY_TEXT) if not char.isascii())
    line = POLICY_TEXT.count("\n", 0, first_non_ascii) + 1
    issue = caught.value.issues[0]
    assert [i.code for i in caught.value.issues] == ["yaml.encoding"]
    assert (issue.location.file, issue.location.line) == (str(path), line)


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    """Nested aliases that would expand to millions of nodes are refused, not expanded."""
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for name, previous in zip("bcdefg", "abcdef", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    issues = issues_of(tmp_path, "\n".join(lines) + "\n")
    assert [issue.code for issue in issues] == ["yaml.limit"]


def test_size_limit(tmp_path: Path) -> None:
    """A file over the byte limit passed in is refused before it is parsed."""
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY_TEXT, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        contribpolicy.load_policy(path, limits=contribpolicy.Limits(max_bytes=1000))
    assert [issue.code for issue in caught.value.issues] == ["yaml.size"]


def test_float_like_value_is_decimal(policy_2025: Policy) -> None:
    """A value written like a float is read as an exact Decimal, never a binary float."""
    share = policy_2025.rule("medical-relief-60-69").params["share"]
    assert type(share) is Decimal
    assert share == Decimal("0.5")


def test_amount_with_more_places_than_money_is_reported(tmp_path: Path) -> None:
    """30.005 with money.places 2 is reported at the amount, naming 30.01 (read exactly, not
    as the binary float 30.00499... that would round to 30.00)."""
    text = edit(("{from: 100, to: 350, amount: 30}", "{from: 100, to: 350, amount: 30.005}"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "amount: 30.005", "30.005")
    pointer = "/schemes/pension/rules/6/brackets/0/amount"
    assert keys(issues) == [(pointer, line, column, "semantic.money-places")]
    assert "30.01" in issues[0].message


# --- every error at once ------------------------------------------------------------------------


def test_all_semantic_errors_reported_at_once(tmp_path: Path) -> None:
    """Three planted semantic mistakes give three issues, in file order, in one PolicyError."""
    text = edit(
        ("[disability_1, disability_2]", "[disability_1, disability_9]"),
        ("choice: pension_tier", "choice: pension_teir"),
        ("total: 1070", "total: 1071"),
    )
    issues = issues_of(tmp_path, text)
    assert keys(issues) == [
        (
            "/conditions/severe_disability/any_status/1",
            *position(text, "disability_9"),
            "semantic.undeclared",
        ),
        (
            "/schemes/pension/rules/5/choice",
            *position(text, "pension_teir"),
            "semantic.undeclared",
        ),
        ("/schemes/medical/rules/2/total", *position(text, "1071"), "semantic.parts-sum"),
    ]


def test_all_schema_errors_reported_at_once(tmp_path: Path) -> None:
    """Three planted schema mistakes give three issues, in file order."""
    text = edit(
        ("format: 1", "format: 2"),
        ("rounding: ROUND_HALF_UP", "rounding: HALF_UP"),
        ("share: 0.5", "share: 1.5"),
    )
    issues = issues_of(tmp_path, text)
    assert keys(issues) == [
        ("/format", *position(text, "format: 2", "2"), "schema.const"),
        ("/money/rounding", *position(text, "HALF_UP"), "schema.enum"),
        ("/schemes/medical/rules/5/share", *position(text, "1.5"), "schema.maximum"),
    ]


def test_all_yaml_errors_reported_at_once(tmp_path: Path) -> None:
    """A bad tag and a duplicate key in one file are both reported."""
    text = edit(
        ("total: 1070", "total: !money 1070"),
        ("  method: completed_years\n", "  method: completed_years\n  method: other\n"),
    )
    issues = issues_of(tmp_path, text)
    assert [issue.code for issue in issues] == ["yaml.duplicate-key", "yaml.tag"]


def test_policy_error_text_has_file_line_column(tmp_path: Path) -> None:
    """Each issue prints as `file:line:col: error: ...`, and the error lists all of them."""
    text = edit(("total: 1070", "total: 1071"), ("choice: pension_tier", "choice: pension_teir"))
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        contribpolicy.load_policy(path)
    line, column = position(text, "1071")
    total = next(i for i in caught.value.issues if i.code == "semantic.parts-sum")
    assert str(total).startswith(f"{path}:{line}:{column}: error: ")
    assert len(caught.value.issues) == 2
    for issue in caught.value.issues:
        assert str(issue) in str(caught.value)


# --- the content hash ---------------------------------------------------------------------------


def _hash(tmp_path: Path, text: str, name: str) -> str:
    directory = tmp_path / name
    directory.mkdir()
    return load_text(directory, text).content_hash


def test_hash_does_not_depend_on_file_name(tmp_path: Path, policy_2025: Policy) -> None:
    """The same text at another path has the same hash."""
    assert _hash(tmp_path, POLICY_TEXT, "copy") == policy_2025.content_hash


def test_hash_stable_under_reformatting(tmp_path: Path, policy_2025: Policy) -> None:
    """Flow vs block style, quoting and spacing do not change the hash."""
    text = edit(
        (
            "tiers: [100, 350, 500, 800, 1000, 3000, 5000, 8000]",
            "tiers:\n"
            + "".join(f"          - {tier}\n" for tier in (100, 350, 500, 800, 1000, 3000, 5000))
            + "          - 8000",
        ),
        ("- {from: 800, amount: 80}", "- from: 800\n            amount:   80"),
        ('version: "2025.1"', "version: '2025.1'"),
        ("  label: 城乡居民基本养老保险", '  label: "城乡居民基本养老保险"'),
        ("requires: {age: {min: 16, max: 59}}", "requires:\n          age: {min: 16,   max: 59}"),
    )
    assert text != POLICY_TEXT
    assert _hash(tmp_path, text, "reformatted") == policy_2025.content_hash


def test_hash_stable_under_key_order(tmp_path: Path, policy_2025: Policy) -> None:
    """Reordering mapping keys does not change the hash."""
    text = edit(
        ('id: shancheng-2025\nversion: "2025.1"', 'version: "2025.1"\nid: shancheng-2025'),
        (
            "        total: 1070\n        individual: 400\n",
            "        individual: 400\n        total: 1070\n",
        ),
        ("{from: 100, to: 350, amount: 30}", "{amount: 30, to: 350, from: 100}"),
    )
    assert _hash(tmp_path, text, "reordered") == policy_2025.content_hash


def test_hash_stable_under_comments(tmp_path: Path, policy_2025: Policy) -> None:
    """Removing every comment and adding others does not change the hash."""
    lines = [line for line in POLICY_TEXT.splitlines() if not line.lstrip().startswith("#")]
    text = "# rewritten\n" + "\n".join(lines) + "\n# the end\n"
    text = replace_once(text, "total: 1070", "total: 1070  # 个人400 + 财政670")
    assert _hash(tmp_path, text, "comments") == policy_2025.content_hash


def test_hash_changes_when_a_number_changes(tmp_path: Path, policy_2025: Policy) -> None:
    """Changing one subsidy amount changes the hash."""
    text = edit(("{from: 800, amount: 80}", "{from: 800, amount: 81}"))
    assert _hash(tmp_path, text, "changed") != policy_2025.content_hash


def test_hash_changes_when_rule_order_changes(tmp_path: Path, policy_2025: Policy) -> None:
    """Rules run in order, so swapping two rules changes the hash."""
    relief_70 = POLICY_TEXT[
        POLICY_TEXT.index("      - id: medical-relief-70-plus") : POLICY_TEXT.index(
            "      - id: medical-relief-60-69"
        )
    ]
    text = replace_once(POLICY_TEXT, relief_70, "")
    text = replace_once(
        text,
        "      # DECISION (READING 五（一）): a sponsorship",
        relief_70 + "      # DECISION (READING 五（一）): a sponsorship",
    )
    assert _hash(tmp_path, text, "swapped") != policy_2025.content_hash


# --- checks added after review: order, amounts, inputs, age basis -------------------------------


def _move_block(text: str, start: str, end: str, before: str) -> str:
    """Move the lines from ``start`` up to (not including) ``end`` to just before ``before``."""
    begin = text.index(start)
    stop = text.index(end, begin) if end else len(text)
    block, rest = text[begin:stop], text[:begin] + text[stop:]
    at = rest.index(before)
    return rest[:at] + block + rest[at:]


def test_sponsorship_before_relief_is_reported(tmp_path: Path) -> None:
    """A sponsorship placed before the reliefs would pay what relief should (五（一）, Decision)."""
    text = _move_block(
        POLICY_TEXT,
        "      # DECISION (READING 五（一）): a sponsorship covers",
        "",
        "      # DECISION (READING 五（一）): where several reliefs apply",
    )
    issues = issues_of(tmp_path, text)
    line, column = position(text, "- id: medical-sponsorship", "id:")
    assert keys(issues) == [
        ("/schemes/medical/rules/3", line, column, "semantic.rule-order"),
    ]
    assert issues[0].rule_id == "medical-sponsorship"


def test_subsidy_before_tier_choice_is_reported(tmp_path: Path) -> None:
    """A tier subsidy before the tier choice would never see a tier: reported at its brackets."""
    text = _move_block(
        POLICY_TEXT, "      - id: pension-subsidy", "      # DECISION", "      - id: pension-tier"
    )
    issues = issues_of(tmp_path, text)
    line, column = position(text, "- {from: 100, to: 350")
    assert keys(issues) == [
        ("/schemes/pension/rules/5/brackets", line, column, "semantic.no-tiers")
    ]


def test_text_compared_with_an_amount_is_reported(tmp_path: Path) -> None:
    """An amount input compared with text can never hold: reported at the value."""
    text = edit(
        (
            "        when: {condition: assistance}\n        share: 1",
            "        when: {input: {field: medical_sponsor, equals: '350'}}\n        share: 1",
        )
    )
    issues = issues_of(tmp_path, text)
    line, column = position(text, "equals: '350'", "'350'")
    pointer = "/schemes/medical/rules/3/when/input/equals"
    assert keys(issues) == [(pointer, line, column, "semantic.input-type")]


def test_reference_date_outside_coverage_year_is_reported(tmp_path: Path) -> None:
    """Ages counted on a date of another year than the one covered are a mistake."""
    text = edit(("reference_date: 2025-01-01", "reference_date: 2024-01-01"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "reference_date: 2024-01-01", "2024-01-01")
    assert keys(issues) == [("/age_basis/reference_date", line, column, "semantic.age-basis")]


def test_hash_stable_under_number_spelling(tmp_path: Path, policy_2025: Policy) -> None:
    """1070, 1070.0 and 0.5, 0.50 are the same amounts, so the same content hash."""
    text = edit(("total: 1070", "total: 1070.00"), ("share: 0.5", "share: 0.50"))
    assert _hash(tmp_path, text, "spelled") == policy_2025.content_hash


def test_endless_file_is_refused_without_reading_it_whole() -> None:
    """/dev/zero never ends: only max_bytes + 1 bytes are read, then it is refused as too big."""
    with pytest.raises(PolicyError) as caught:
        contribpolicy.load_policy("/dev/zero", limits=contribpolicy.Limits(max_bytes=1000))
    assert [issue.code for issue in caught.value.issues] == ["yaml.size"]
