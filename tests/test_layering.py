"""Layered policies (``extends``): merging, where each rule came from, and every mistake of a
layer reported in the file and at the line where it was written."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import contribpolicy
from _policy_edit import POLICY_TEXT, position, replace_once, write
from contribpolicy import InputError, Policy, PolicyError
from contribpolicy.cli import run
from contribpolicy.format._layering import read_layered
from contribpolicy.format.loader import content_hash

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
DISTRICT = FIXTURES / "district-2025.yaml"
DISTRICT_TEXT = DISTRICT.read_text("utf-8")
POLICY_2026 = ROOT / "policies" / "2026.yaml"
BASE_2025 = str(ROOT / "policies" / "2025.yaml")
D = Decimal


def _district(tmp_path: Path, text: str = DISTRICT_TEXT, base: str = POLICY_TEXT) -> Path:
    """The district fixture over a copy of the 2025 policy, both in ``tmp_path``."""
    write(tmp_path, base, "base.yaml")
    text = replace_once(text, "extends: ../../policies/2025.yaml", "extends: base.yaml")
    return write(tmp_path, text, "district.yaml")


def _issues(path: Path) -> tuple[contribpolicy.PolicyIssue, ...]:
    with pytest.raises(PolicyError) as caught:
        contribpolicy.load_policy(path)
    return caught.value.issues


def _where(issue: contribpolicy.PolicyIssue) -> tuple[str | None, int | None, int | None, str]:
    return issue.location.file, issue.location.line, issue.location.column, issue.code


def _person(**fields: object) -> dict[str, object]:
    return {"person_id": "p", "residence": "local", **fields}


@pytest.fixture(scope="module")
def district() -> Policy:
    return contribpolicy.load_policy(DISTRICT, base_folders=[ROOT])


# --- the district fixture: merged, located, evaluated ------------------------------------------


def test_layers_are_the_base_then_the_district(district: Policy) -> None:
    """A layered policy records its files, base first, and takes its own id and version."""
    assert district.layers == (BASE_2025, str(DISTRICT))
    assert (district.id, district.version) == ("example-district-2025", "2025.1-d1")
    assert district.coverage_year == 2025  # inherited


def test_rules_merge_by_id(district: Policy) -> None:
    """A known id replaces the rule in place, 'after'/'before' place new rules, remove_rules
    removes; the pension scheme, not mentioned, is the base's."""
    medical = [rule.id for rule in district.schemes["medical"].rules]
    assert medical == [
        "medical-resident",
        "medical-not-employee",
        "medical-premium",
        "medical-relief-assistance",
        "medical-relief-orphan",
        "medical-relief-70-plus",
        "medical-relief-65-69",
        "medical-sponsorship",
    ]
    assert len(district.schemes["pension"].rules) == 8


def test_each_rule_is_located_in_the_file_it_was_written_in(district: Policy) -> None:
    """Rules from the base point into the base, the district's own into the district file."""
    premium = district.rule("medical-premium").location
    line, column = position(DISTRICT_TEXT, "      - id: medical-premium", "id:")
    assert (premium.file, premium.line, premium.column) == (str(DISTRICT), line, column)
    inherited = district.rule("medical-relief-70-plus").location
    line, _ = position(POLICY_TEXT, "      - id: medical-relief-70-plus")
    assert (inherited.file, inherited.line) == (BASE_2025, line)


def test_ordinary_adult_pays_380_district_pays_20(district: Policy) -> None:
    """District 二: 380 personally, 670 fiscal + 20 district, 1070 in all."""
    medical = district.evaluate(_person(birth_date="1980-05-01"))["medical"]
    assert (medical.individual, medical.government, medical.total) == (D(380), D(690), D(1070))
    assert dict(medical.components) == {"fiscal": D(670), "district": D(20)}


def test_orphan_relieved_in_full(district: Policy) -> None:
    """District 三: an orphan's 380 is relieved in full: 0 personally, government 1070."""
    medical = district.evaluate(_person(birth_date="2014-05-01", statuses="orphan"))["medical"]
    assert (medical.individual, medical.government) == (D(0), D(1070))
    assert dict(medical.components) == {"fiscal": D(670), "district": D(20), "relief": D(380)}


def test_half_relief_moves_from_60_to_65(district: Policy) -> None:
    """District 三: at 62 no relief (the 60-69 rule is removed), at 66 half of 380 = 190."""
    at_62 = district.evaluate(_person(birth_date="1962-05-01"))["medical"]
    at_66 = district.evaluate(_person(birth_date="1958-05-01"))["medical"]
    assert (at_62.individual, at_66.individual, at_66.government) == (D(380), D(190), D(880))


def test_pension_is_the_bases(district: Policy) -> None:
    """五（一）: tier 500 earns the base's subsidy of 60."""
    pension = district.evaluate(_person(birth_date="1980-05-01", pension_tier=500))["pension"]
    assert (pension.individual, pension.government) == (D(500), D(60))


def test_null_removes_a_declared_status(district: Policy) -> None:
    """`disability_4: null` removes the status, so a record carrying it is refused."""
    with pytest.raises(InputError) as caught:
        district.evaluate(_person(birth_date="1980-05-01", statuses="disability_4"))
    assert caught.value.field == "statuses"


def test_source_is_replaced_whole(district: Policy) -> None:
    """The district's source has no title: the base's title is not kept."""
    assert district.source.number == "示例区医保发〔2024〕5号"
    assert district.source.title is None


def test_content_hash_is_the_hash_of_the_merged_data(district: Policy) -> None:
    """The hash of a layered policy is that of its merged data."""
    assert district.content_hash == content_hash(district.data)
    assert "extends" not in district.data


def test_an_empty_layer_is_its_base(tmp_path: Path, policy_2025: Policy) -> None:
    """A file that only extends a base is the base: same data, same hash."""
    write(tmp_path, POLICY_TEXT, "base.yaml")
    layered = contribpolicy.load_policy(write(tmp_path, "extends: base.yaml\n", "same.yaml"))
    assert layered.content_hash == policy_2025.content_hash


def test_chain_of_three_layers(tmp_path: Path) -> None:
    """A layer over a layered policy: each rule is located in the file that wrote it last."""
    district = _district(tmp_path)
    text = (
        "extends: district.yaml\n"
        "version: 2025.1-d2\n"
        "schemes:\n"
        "  medical:\n"
        "    remove_rules: [medical-relief-orphan]\n"
    )
    top = contribpolicy.load_policy(write(tmp_path, text, "top.yaml"))
    assert top.layers == (str(tmp_path / "base.yaml"), str(district), str(tmp_path / "top.yaml"))
    assert "medical-relief-orphan" not in [rule.id for rule in top.schemes["medical"].rules]
    assert top.rule("medical-relief-65-69").location.file == str(district)
    assert top.rule("medical-resident").location.file == str(tmp_path / "base.yaml")


def test_named_condition_is_replaced_whole(tmp_path: Path) -> None:
    """五（一）: redefining 'hardship' as severe disability only replaces the whole condition,
    so 低保 alone no longer allows the 100 tier."""
    text = (
        "extends: base.yaml\nconditions:\n  hardship:\n    any: [{condition: severe_disability}]\n"
    )
    write(tmp_path, POLICY_TEXT, "base.yaml")
    policy = contribpolicy.load_policy(write(tmp_path, text, "narrow.yaml"))
    assert policy.data["conditions"]["hardship"] == {"any": [{"condition": "severe_disability"}]}
    dibao = _person(birth_date="1980-05-01", statuses="dibao", pension_tier=100)
    assert policy.evaluate(dibao)["pension"].status == "error"


def test_after_moves_an_existing_rule(tmp_path: Path) -> None:
    """A known id with 'after' is replaced and moved there."""
    text = replace_once(
        DISTRICT_TEXT,
        "      - id: medical-relief-65-69\n        before: medical-sponsorship",
        "      - id: medical-relief-65-69\n        after: medical-premium",
    )
    policy = contribpolicy.load_policy(_district(tmp_path, text))
    ids = [rule.id for rule in policy.schemes["medical"].rules]
    assert ids.index("medical-relief-65-69") == ids.index("medical-premium") + 1


def test_text_without_a_file_extends_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy_2025: Policy
) -> None:
    """loads_policy without a file name finds the base relative to the working directory."""
    write(tmp_path, POLICY_TEXT, "base.yaml")
    monkeypatch.chdir(tmp_path)
    policy = contribpolicy.loads_policy("extends: base.yaml\nversion: '2025.2'\n")
    assert (policy.version, policy.layers) == ("2025.2", ("base.yaml", None))


def test_the_2026_policy_takes_the_2025_rules_but_the_premium() -> None:
    """policies/2026.yaml: 2026 metadata; only the medical premium is written in 2026.yaml."""
    policy = contribpolicy.load_policy(POLICY_2026)
    assert (policy.id, policy.coverage_year) == ("shancheng-2026", 2026)
    assert policy.age_basis.reference_date.isoformat() == "2026-01-01"
    own = [
        rule.id
        for scheme in policy.schemes.values()
        for rule in scheme.rules
        if rule.location.file == str(POLICY_2026)
    ]
    assert own == ["medical-premium"]


# --- mistakes, each at its place ----------------------------------------------------------------


def test_mistake_in_the_district_is_reported_in_the_district(tmp_path: Path) -> None:
    """A misspelt key in a district rule: at the district file's line, with a suggestion."""
    text = replace_once(DISTRICT_TEXT, "        individual: 380", "        individul: 380")
    path = _district(tmp_path, text)
    line, column = position(text, "        individul: 380", "individul")
    issues = _issues(path)
    assert (str(path), line, column, "schema.unknown-key") in [_where(i) for i in issues]
    assert all(issue.location.file == str(path) for issue in issues)


def test_mistake_in_the_base_is_reported_in_the_base(tmp_path: Path) -> None:
    """A relief share of 2 in a base rule the district keeps: at the base file's line."""
    anchor = "        when: {age: {min: 70}}\n        share: 1"
    base = replace_once(POLICY_TEXT, anchor, anchor[:-1] + "2")
    _district(tmp_path, base=base)
    line, column = position(base, anchor[:-1] + "2", "2")
    (issue,) = _issues(tmp_path / "district.yaml")
    assert _where(issue) == (str(tmp_path / "base.yaml"), line, column, "schema.maximum")
    assert issue.location.pointer == "/schemes/medical/rules/4/share"


def test_semantic_mistake_in_a_replaced_rule_is_in_the_district(tmp_path: Path) -> None:
    """五（一） parts that do not add up, in the district's premium: at the district's total."""
    text = replace_once(DISTRICT_TEXT, "individual: 380", "individual: 390")
    path = _district(tmp_path, text)
    line, column = position(text, "        total: 1070", "1070")
    (issue,) = _issues(path)
    assert _where(issue) == (str(path), line, column, "semantic.parts-sum")
    assert issue.rule_id == "medical-premium"


def test_yaml_mistake_in_the_base(tmp_path: Path) -> None:
    """A key written twice in the base: reported in the base when the district is loaded."""
    base = replace_once(
        POLICY_TEXT, "coverage_year: 2025\n", "coverage_year: 2025\ncoverage_year: 2025\n"
    )
    path = _district(tmp_path, base=base)
    (issue,) = _issues(path)
    assert (issue.location.file, issue.code) == (str(tmp_path / "base.yaml"), "yaml.duplicate-key")


def test_cycle(tmp_path: Path) -> None:
    """a extends b extends a: reported at the extends that closes the cycle."""
    write(tmp_path, "extends: b.yaml\n", "a.yaml")
    write(tmp_path, "id: x\nextends: a.yaml\n", "b.yaml")
    (issue,) = _issues(tmp_path / "a.yaml")
    assert _where(issue) == (str(tmp_path / "b.yaml"), 2, 10, "semantic.extends-cycle")


def test_a_file_that_extends_itself(tmp_path: Path) -> None:
    """A file naming itself as its base is a cycle of one."""
    path = write(tmp_path, "extends: self.yaml\n", "self.yaml")
    (issue,) = _issues(path)
    assert _where(issue) == (str(path), 1, 10, "semantic.extends-cycle")


def test_missing_base(tmp_path: Path) -> None:
    """A base that does not exist: at the extends line; validate exits 1 (a mistake in the file)."""
    path = write(tmp_path, "extends: nowhere.yaml\n", "lost.yaml")
    (issue,) = _issues(path)
    assert _where(issue) == (str(path), 1, 10, "semantic.extends-not-found")
    assert run(["validate", str(path)], *_streams()) == 1


def test_unreadable_base(tmp_path: Path) -> None:
    """A base that cannot be read (a directory): io.read at the extends line; validate exits 2."""
    (tmp_path / "folder.yaml").mkdir()
    path = write(tmp_path, "extends: folder.yaml\n", "odd.yaml")
    (issue,) = _issues(path)
    assert _where(issue) == (str(path), 1, 10, "io.read")
    assert run(["validate", str(path)], *_streams()) == 2


def _streams() -> tuple[io.StringIO, io.StringIO]:
    return io.StringIO(), io.StringIO()


def test_removing_an_unknown_rule(tmp_path: Path) -> None:
    """remove_rules naming a rule the scheme does not have: at that item."""
    text = replace_once(
        DISTRICT_TEXT, "[medical-relief-60-69]", "[medical-relief-60-69, medical-nope]"
    )
    path = _district(tmp_path, text)
    line, column = position(text, "medical-relief-60-69, medical-nope]", "medical-nope")
    (issue,) = _issues(path)
    assert _where(issue) == (str(path), line, column, "semantic.extends-unknown-rule")


def test_after_an_unknown_rule(tmp_path: Path) -> None:
    """'after' naming a rule the scheme does not have: at its value."""
    text = replace_once(
        DISTRICT_TEXT, "after: medical-relief-assistance", "after: medical-relief-assist"
    )
    path = _district(tmp_path, text)
    line, column = position(text, "after: medical-relief-assist\n", "medical-relief-assist")
    (issue,) = _issues(path)
    assert _where(issue) == (str(path), line, column, "semantic.extends-unknown-rule")
    assert issue.rule_id == "medical-relief-orphan"


def test_after_and_before_together(tmp_path: Path) -> None:
    """A rule placed both after and before another: a directive mistake at the rule."""
    text = replace_once(
        DISTRICT_TEXT,
        "        after: medical-relief-assistance\n",
        "        after: medical-relief-assistance\n        before: medical-sponsorship\n",
    )
    (issue,) = _issues(_district(tmp_path, text))
    assert (issue.code, issue.rule_id) == ("semantic.extends-directive", "medical-relief-orphan")


def test_removed_and_defined_again(tmp_path: Path) -> None:
    """A rule removed by remove_rules and written again in the same file is contradictory."""
    text = replace_once(DISTRICT_TEXT, "[medical-relief-60-69]", "[medical-premium]")
    path = _district(tmp_path, text)
    line, column = position(text, "      - id: medical-premium", "medical-premium")
    (issue,) = _issues(path)
    assert _where(issue) == (str(path), line, column, "semantic.extends-directive")


@pytest.mark.parametrize(
    ("old", "new", "word"),
    [
        (
            "      - id: medical-relief-60-69\n",
            "      - id: medical-relief-60-69\n        after: medical-premium\n",
            "after",
        ),
        (
            "  medical:\n    label: 城乡居民基本医疗保险\n",
            "  medical:\n    label: 城乡居民基本医疗保险\n    remove_rules: [medical-resident]\n",
            "remove_rules",
        ),
    ],
)
def test_directives_without_a_base(tmp_path: Path, old: str, new: str, word: str) -> None:
    """Layering directives in a policy that extends nothing would do nothing: refused at the key."""
    text = replace_once(POLICY_TEXT, old, new)
    path = write(tmp_path, text)
    line, column = position(text, new, word)
    (issue,) = _issues(path)
    assert _where(issue) == (str(path), line, column, "semantic.extends-directive")


def test_directive_of_the_wrong_shape_is_left_to_the_schema(tmp_path: Path) -> None:
    """remove_rules given as text, not a list: the schema reports it in the district file."""
    text = replace_once(DISTRICT_TEXT, "[medical-relief-60-69]", "medical-relief-60-69")
    path = _district(tmp_path, text)
    line, column = position(text, "remove_rules: medical-relief-60-69", "medical-relief-60-69")
    issues = _issues(path)
    assert (str(path), line, column, "schema.type") in [_where(i) for i in issues]


def test_a_duplicate_id_across_layers_names_the_base_file(tmp_path: Path) -> None:
    """A district rule reusing a base pension rule's id in medical: the message says where."""
    text = replace_once(DISTRICT_TEXT, "id: medical-relief-orphan", "id: pension-age")
    path = _district(tmp_path, text)
    (issue,) = _issues(path)
    line, _ = position(POLICY_TEXT, "      - id: pension-age")
    assert issue.code == "semantic.duplicate-id"
    assert issue.location.file == str(path)
    assert f"is already used at {tmp_path / 'base.yaml'}:{line}" in issue.message


# --- merging as a property --------------------------------------------------------------------

BASE_DATA: dict[str, Any] = yaml.safe_load(POLICY_TEXT)
RULE_IDS = [
    (scheme, rule["id"]) for scheme, data in BASE_DATA["schemes"].items() for rule in data["rules"]
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(RULE_IDS), unique=True),
    st.lists(st.sampled_from(RULE_IDS), unique=True),
)
def test_restating_and_removing_rules(
    restated: list[tuple[str, str]], removed: list[tuple[str, str]]
) -> None:
    """Restating base rules unchanged changes nothing; removing rules drops exactly them, the
    others keeping their order."""
    removed = [item for item in removed if item not in restated]
    layer: dict[str, Any] = {"extends": BASE_2025, "schemes": {}}
    for scheme, rule_id in restated:
        rule = next(r for r in BASE_DATA["schemes"][scheme]["rules"] if r["id"] == rule_id)
        layer["schemes"].setdefault(scheme, {}).setdefault("rules", []).append(rule)
    for scheme, rule_id in removed:
        layer["schemes"].setdefault(scheme, {}).setdefault("remove_rules", []).append(rule_id)
    text = yaml.safe_dump(layer, allow_unicode=True, sort_keys=False)
    merged, issues = read_layered(text, str(ROOT / "layer.yaml"))
    assert issues == []
    assert merged is not None
    expected = {
        scheme: [r["id"] for r in data["rules"] if (scheme, r["id"]) not in removed]
        for scheme, data in BASE_DATA["schemes"].items()
    }
    got = {
        scheme: [r["id"] for r in data["rules"]] for scheme, data in merged.data["schemes"].items()
    }
    assert got == expected
    if not removed:
        assert content_hash(merged.data) == content_hash(_numbers(BASE_DATA))


def _numbers(data: Any) -> Any:
    """PyYAML's floats as the policy reader's decimals, for comparing hashes."""
    if isinstance(data, dict):
        return {key: _numbers(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_numbers(value) for value in data]
    if isinstance(data, float):
        return Decimal(str(data))
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data
