"""Static checks: each kind of mistake, planted in a copy of policies/2025.yaml, found at its line.

The expected line and column are computed from the edited text (``position``), never written
down, so the tests follow the policy when it is edited; each planted snippet must occur exactly
once. Suffixes cite the clause the planted rule encodes (``_5_1`` is 五（一）).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import contribpolicy
from _policy_edit import POLICY_TEXT, edit, issues_of, keys, load_text, position, write
from contribpolicy import Finding, check_policy
from contribpolicy.checks.findings import CODES
from contribpolicy.model.facts import Changes, Facts, SchemeState
from contribpolicy.model.protocol import BuildContext
from contribpolicy.policytests import run_tests

MEDICAL_PREMIUM = "      - id: medical-premium\n"
RELIEF_60_69 = "      - id: medical-relief-60-69\n"
PENSION_PROXY = "      - id: pension-proxy-severe-disability\n"


def findings(
    tmp_path: Path, text: str, registry: contribpolicy.Registry | None = None
) -> list[Finding]:
    return check_policy(load_text(tmp_path, text, registry))


def only(found: list[Finding], code: str) -> Finding:
    """The single finding of ``code``; fails when there is none or more than one."""
    matching = [finding for finding in found if finding.code == code]
    assert len(matching) == 1, [str(finding) for finding in found]
    return matching[0]


def at(finding: Finding) -> tuple[int | None, int | None]:
    return finding.location.line, finding.location.column


def rule_position(text: str, rule_id: str) -> tuple[int, int]:
    """Where a rule's mapping starts: its ``id`` key."""
    return position(text, f"- id: {rule_id}\n", "id:")


def insert_before(anchor: str, rule: str) -> tuple[str, str]:
    """A replacement that puts ``rule`` (YAML text) just before ``anchor``."""
    return anchor, rule + "\n" + anchor


# --- the bundled policy -------------------------------------------------------------------------


def test_2025_policy_has_no_finding(policy_2025: contribpolicy.Policy) -> None:
    """policies/2025.yaml passes every static check (its accepted findings are silenced)."""
    assert check_policy(policy_2025) == []


def test_2025_accepted_findings_are_the_unread_disability_grades_5_1(
    policy_2025: contribpolicy.Policy,
) -> None:
    """Grades 3 and 4 are declared but change no amount (only 1 and 2 are severe): accepted."""
    accepted = check_policy(policy_2025, include_silenced=True)
    assert [(f.code, f.target, f.severity) for f in accepted] == [
        ("check.unread-status", "disability_3", "warning"),
        ("check.unread-status", "disability_4", "warning"),
    ]
    assert all(finding.silenced for finding in accepted)


# --- gaps ---------------------------------------------------------------------------------------


def test_gap_when_the_premium_leaves_people_out_5_1(tmp_path: Path) -> None:
    """A premium limited to 69 and under leaves people of 70 eligible with nothing paid."""
    text = edit(("        total: 1070\n", "        when: {age: {max: 69}}\n        total: 1070\n"))
    gap = only(findings(tmp_path, text), "check.gap")
    assert (gap.severity, gap.rule_id) == ("error", "medical-premium")
    assert at(gap) == rule_position(text, "medical-premium")
    assert "age 70" in gap.message
    assert gap.counterexample is not None
    assert "total: '0.00'" in gap.counterexample


def test_tier_without_subsidy_for_some_people_5_1(tmp_path: Path) -> None:
    """A subsidy limited by `when` leaves 低保 people's tiers unsubsidized."""
    text = edit(("        brackets:\n", "        when: {no_status: [dibao]}\n        brackets:\n"))
    found = only(findings(tmp_path, text), "check.tier-unsubsidized")
    assert (found.severity, found.rule_id) == ("error", "pension-subsidy")
    assert at(found) == rule_position(text, "pension-subsidy")
    assert "dibao" in found.message


def test_tier_with_a_zero_bracket_5_1(tmp_path: Path) -> None:
    """A bracket whose amount is 0 subsidizes nothing: only that tier is named."""
    text = edit(("{from: 500, to: 500, amount: 60}", "{from: 500, to: 500, amount: 0}"))
    found = only(findings(tmp_path, text), "check.tier-unsubsidized")
    assert found.message.startswith("offered tier 500 get")


# --- overlaps -----------------------------------------------------------------------------------

SECOND_SUBSIDY = """      - id: pension-subsidy-hardship
        kind: tier_subsidy
        label: 困难群体另补20元
        cite: 五（一）
        when: {condition: hardship}
        brackets:
          - {from: 100, amount: 20}
"""


def test_overlap_of_two_subsidy_brackets_for_one_tier_5_1(tmp_path: Path) -> None:
    """Two tier subsidies applying to one person pay twice: reported at the later rule."""
    text = edit(insert_before(PENSION_PROXY, SECOND_SUBSIDY))
    overlap = only(findings(tmp_path, text), "check.overlap")
    assert (overlap.severity, overlap.rule_id) == ("error", "pension-subsidy-hardship")
    assert at(overlap) == rule_position(text, "pension-subsidy-hardship")
    assert [loc.line for loc in overlap.related] == [rule_position(text, "pension-subsidy")[0]]
    assert overlap.counterexample is not None
    assert "applies: [pension-subsidy, pension-subsidy-hardship]" in overlap.counterexample


def test_overlap_of_two_premiums_5_1(tmp_path: Path) -> None:
    """A second premium for people of 70 and over overrides the first for them."""
    second = """      - id: medical-premium-elderly
        kind: premium_split
        label: 70岁以上另行筹资
        cite: 五（一）
        when: {age: {min: 70}}
        total: 1070
        individual: 400
        government: {fiscal: 670}
"""
    text = edit(insert_before("      # DECISION (READING 五（一）): where several reliefs", second))
    overlap = only(findings(tmp_path, text), "check.overlap")
    assert overlap.rule_id == "medical-premium-elderly"
    assert at(overlap) == rule_position(text, "medical-premium-elderly")


# --- age bands ----------------------------------------------------------------------------------


def test_age_hole_between_relief_bands_5_1(tmp_path: Path) -> None:
    """Reliefs for 60-68 and 70+ leave 69 with neither: reported at the band that ends early."""
    planted = "when: {age: {min: 60, max: 68}}"
    text = edit(("when: {age: {min: 60, max: 69}}", planted))
    hole = only(findings(tmp_path, text), "check.age-hole")
    assert (hole.severity, hole.rule_id) == ("warning", "medical-relief-60-69")
    assert at(hole) == position(text, planted, "{min")
    assert "age 69 gets neither" in hole.message
    assert hole.counterexample is not None
    assert "birth_date: 1956-01-01" in hole.counterexample  # 69 on 2025-01-01


def test_age_overlap_between_relief_bands_5_1(tmp_path: Path) -> None:
    """Reliefs for 60-70 and 70+ both apply at 70."""
    planted = "when: {age: {min: 60, max: 70}}"
    text = edit(("when: {age: {min: 60, max: 69}}", planted))
    overlap = only(findings(tmp_path, text), "check.age-overlap")
    assert (overlap.severity, overlap.rule_id) == ("warning", "medical-relief-60-69")
    assert at(overlap) == position(text, planted, "{min")
    assert "age 70" in overlap.message


# --- dead rules ---------------------------------------------------------------------------------

RELIEF_80 = """      - id: medical-relief-80-plus
        kind: relief
        label: 80岁以上老年人个人缴费由政府代缴
        cite: 五（一）
        when: {age: {min: 80}}
        share: 1
        combine: most_favourable
"""


def test_dead_rule_shadowed_by_a_wider_relief_5_1(tmp_path: Path) -> None:
    """A full relief for 80+ under one for 70+ changes nothing: shadowed."""
    text = edit(insert_before(RELIEF_60_69, RELIEF_80))
    dead = only(findings(tmp_path, text), "check.dead-rule")
    assert (dead.severity, dead.rule_id) == ("warning", "medical-relief-80-plus")
    assert at(dead) == rule_position(text, "medical-relief-80-plus")
    assert "shadowed by medical-relief-70-plus" in dead.message


NEVER = RELIEF_80.replace("medical-relief-80-plus", "medical-relief-never").replace(
    "when: {age: {min: 80}}", "when: {all: [{flag: student}, {not: {flag: student}}]}"
)


def test_dead_rule_whose_condition_holds_for_no_one(tmp_path: Path) -> None:
    """A condition that contradicts itself holds in no class."""
    text = edit(insert_before(RELIEF_60_69, NEVER))
    dead = only(findings(tmp_path, text), "check.dead-rule")
    assert dead.rule_id == "medical-relief-never"
    assert at(dead) == rule_position(text, "medical-relief-never")
    assert "applies to no one" in dead.message


def test_no_one_eligible_when_an_age_requirement_excludes_every_age_4(tmp_path: Path) -> None:
    """An age requirement no one meets is the finding, not the rules it leaves dead."""
    text = edit(("requires: {age: {min: 16, max: 59}}", "requires: {age: {min: 126}}"))
    [found] = findings(tmp_path, text)
    assert (found.code, found.severity, found.rule_id) == (
        "check.no-one-eligible",
        "error",
        "pension-age",
    )
    assert at(found) == rule_position(text, "pension-age")


# --- declared but unread ------------------------------------------------------------------------


def test_unread_status(tmp_path: Path) -> None:
    """A status no rule reads is reported at its declaration."""
    text = edit(("    disability_4: 四级残疾\n", "    disability_4: 四级残疾\n    orphan: 孤儿\n"))
    found = only(findings(tmp_path, text), "check.unread-status")
    assert (found.severity, found.target) == ("warning", "orphan")
    assert at(found) == position(text, "    orphan: 孤儿", "orphan")


def test_unread_input(tmp_path: Path) -> None:
    """A flag no rule reads is reported at its declaration."""
    text = edit(("    student: 在校学生\n", "    student: 在校学生\n    veteran: 退役军人\n"))
    found = only(findings(tmp_path, text), "check.unread-input")
    assert (found.severity, found.target) == ("warning", "veteran")
    assert at(found) == position(text, "    veteran: 退役军人", "veteran")


def test_finding_of_a_layered_policy_is_placed_in_the_file_that_writes_it(
    tmp_path: Path,
) -> None:
    """A status declared in the base of a policy that extends it is reported in the base file."""
    base_text = edit(
        ("    disability_4: 四级残疾\n", "    disability_4: 四级残疾\n    orphan: 孤儿\n")
    )
    base = write(tmp_path, base_text, "2025.yaml")
    child = write(tmp_path, 'extends: 2025.yaml\nid: town-2025\nversion: "2025.2"\n', "town.yaml")
    found = only(check_policy(contribpolicy.load_policy(child)), "check.unread-status")
    assert found.location.file == str(base)
    assert at(found) == position(base_text, "    orphan: 孤儿", "orphan")


# --- amount invariants --------------------------------------------------------------------------


@attrs.frozen
class Rebate:
    """A kind with a sign error: it books a rebate as a negative government amount."""

    amount: Decimal

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        return (("rebate", state.add("rebate", -self.amount)),)


@attrs.frozen
class OnTop:
    """A kind that adds a government amount on top of the premium."""

    amount: Decimal

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        return (("district", state.add("district", self.amount)),)


@attrs.frozen
class FailsOver70:
    """A kind whose code fails for people of 70 and over."""

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        if facts.age >= 70:
            raise ZeroDivisionError("division by zero")
        return ()


class _Kind:
    parameters: Mapping[str, Any] = {"properties": {"amount": {"$ref": "#/$defs/money"}}}

    def __init__(self, build: Any) -> None:
        self._build = build

    def build(self, params: Mapping[str, Any], context: BuildContext) -> Any:
        return self._build(params)


def with_local_kind(name: str, build: Any) -> contribpolicy.Registry:
    return contribpolicy.default_registry().with_kind(name, _Kind(build), "test-kinds 0.1")


def local_rule(rule_id: str, kind: str, amount: int | None = None) -> str:
    amount_line = f"        amount: {amount}\n" if amount is not None else ""
    return (
        f"\n      - id: {rule_id}\n        kind: {kind}\n        label: 测试\n"
        f"        cite: 测试\n{amount_line}"
    )


def test_negative_amount_is_the_rule_s_failure(tmp_path: Path) -> None:
    """A rule giving a negative amount is refused by the engine: reported at that rule."""
    registry = with_local_kind("rebate", lambda params: Rebate(Decimal(params["amount"])))
    text = POLICY_TEXT + local_rule("medical-rebate", "rebate", 30)
    [found] = findings(tmp_path, text, registry)
    assert (found.code, found.severity, found.rule_id) == (
        "check.rule-failed",
        "error",
        "medical-rebate",
    )
    assert at(found) == rule_position(text, "medical-rebate")
    assert "-30" in found.message


def test_reliefs_adding_up_to_more_than_the_individual_part_5_1(tmp_path: Path) -> None:
    """A 60-69 relief that adds to the full assistance relief declares 150% for 低保 at 60."""
    text = edit(
        (
            "        share: 0.5\n        combine: most_favourable",
            "        share: 0.5\n        combine: add",
        )
    )
    found = only(findings(tmp_path, text), "check.relief-over-100")
    assert (found.severity, found.rule_id) == ("error", "medical-relief-60-69")
    assert at(found) == rule_position(text, "medical-relief-60-69")
    assert "150%" in found.message


def test_total_other_than_the_premium_declares_5_1(tmp_path: Path) -> None:
    """A rule adding 20 on top of the 1070 premium breaks its declared total."""
    registry = with_local_kind("on_top", lambda params: OnTop(Decimal(params["amount"])))
    text = POLICY_TEXT + local_rule("medical-district-bonus", "on_top", 20)
    found = only(findings(tmp_path, text, registry), "check.parts-sum")
    assert (found.severity, found.rule_id) == ("error", "medical-district-bonus")
    assert at(found) == rule_position(text, "medical-district-bonus")
    assert "1090.00, not the 1070.00" in found.message
    assert [loc.line for loc in found.related] == [rule_position(text, "medical-premium")[0]]


def test_rule_whose_code_fails_for_some_people(tmp_path: Path) -> None:
    """A plugin failing for a class is reported at its rule, naming the class."""
    registry = with_local_kind("fails_over_70", lambda params: FailsOver70())
    text = POLICY_TEXT + local_rule("medical-fragile", "fails_over_70")
    found = only(findings(tmp_path, text, registry), "check.rule-failed")
    assert (found.severity, found.rule_id) == ("error", "medical-fragile")
    assert "ZeroDivisionError" in found.message
    assert "age 70" in found.message


def test_too_many_classes_is_reported_not_skipped(policy_2025: contribpolicy.Policy) -> None:
    """A scheme over the class limit is a finding: nothing checked never looks clean."""
    found = check_policy(policy_2025, max_classes=100)
    assert [(f.code, f.target) for f in found] == [
        ("check.too-many-classes", "pension"),
    ]


# --- silencing ----------------------------------------------------------------------------------


def test_rule_silence_accepts_that_rule_s_finding(tmp_path: Path) -> None:
    """`silence` on a rule accepts its finding of that code, keeping the reason."""
    reason = "80岁以上单列，便于统计"
    entry = f"        silence:\n          - {{code: check.dead-rule, reason: {reason}}}\n"
    text = edit(insert_before(RELIEF_60_69, NEVER + entry))
    policy = load_text(tmp_path, text)
    assert check_policy(policy) == []
    accepted = [f for f in check_policy(policy, include_silenced=True) if f.rule_id]
    assert [(f.code, f.rule_id, f.silenced) for f in accepted] == [
        ("check.dead-rule", "medical-relief-never", reason)
    ]


def test_top_level_silence_without_target_accepts_every_finding_of_the_code(
    tmp_path: Path,
) -> None:
    """A top-level entry with no target accepts the code everywhere, here two statuses."""
    text = edit(
        (
            "  - code: check.unread-status\n    target: disability_3\n",
            "  - code: check.unread-status\n",
        ),
        (
            "  - code: check.unread-status\n    target: disability_4\n"
            "    reason: only grades 1 and 2 are severe (READING 五（一）); "
            "rosters carry grade 4 too\n",
            "",
        ),
    )
    policy = load_text(tmp_path, text)
    assert check_policy(policy) == []
    assert len(check_policy(policy, include_silenced=True)) == 2


def test_unused_silence_is_reported_at_the_entry(tmp_path: Path) -> None:
    """A silence entry that accepts nothing is itself a finding, at the entry."""
    entry = "        silence:\n          - {code: check.dead-rule, reason: 已不需要}\n"
    text = edit(
        (
            "        combine: most_favourable\n\n      - id: medical-relief-70-plus",
            "        combine: most_favourable\n" + entry + "\n      - id: medical-relief-70-plus",
        )
    )
    found = only(findings(tmp_path, text), "check.unused-silence")
    assert (found.severity, found.rule_id) == ("warning", "medical-relief-assistance")
    assert at(found) == position(text, entry, "{code")


def test_silence_without_a_reason_does_not_load(tmp_path: Path) -> None:
    """The reason is required: a silence without one is a schema problem at the entry."""
    text = edit(
        ("        share: 0.5\n", "        share: 0.5\n        silence: [{code: check.dead-rule}]\n")
    )
    [(pointer, line, _, code)] = keys(issues_of(tmp_path, text))
    assert (pointer, code) == ("/schemes/medical/rules/5/silence/0", "schema.required")
    assert line == position(text, "silence: [{code", "{code")[0]


# --- unknown keys (schema) ----------------------------------------------------------------------


def test_misspelt_rule_key_gets_a_suggestion(tmp_path: Path) -> None:
    """`combin:` in a rule: unknown key, did you mean 'combine', at the key."""
    text = edit(("        share: 0.5\n        combine:", "        share: 0.5\n        combin:"))
    issues = issues_of(tmp_path, text)
    unknown = [issue for issue in issues if issue.code == "schema.unknown-key"]
    assert len(unknown) == 1
    assert "unknown key 'combin'; did you mean 'combine'?" in unknown[0].message
    line, column = position(text, "        combin:", "combin")
    assert (unknown[0].location.line, unknown[0].location.column) == (line, column)


def test_misspelt_top_level_key_gets_a_suggestion(tmp_path: Path) -> None:
    """`silense:` at the top level: unknown key, did you mean 'silence'."""
    text = edit(("\nsilence:\n", "\nsilense:\n"))
    [issue] = issues_of(tmp_path, text)
    assert issue.code == "schema.unknown-key"
    assert "unknown key 'silense'; did you mean 'silence'?" in issue.message
    assert (issue.location.line, issue.location.column) == position(text, "\nsilense:", "silense")


# --- counterexamples ----------------------------------------------------------------------------


#: Medical premium for people up to 69 only: people of 70 and over pay nothing (check.gap).
_GAP_AT_70 = ("        total: 1070\n", "        when: {age: {max: 69}}\n        total: 1070\n")


def _saved_gap_counterexample(folder: Path, name: str) -> tuple[str, Path]:
    """The policy with a gap at 70 written as ``folder/name``: its check.gap counterexample,
    saved where the header says (``folder/tests/<stem>/``)."""
    folder.mkdir()
    policy = contribpolicy.load_policy(write(folder, edit(_GAP_AT_70), name))
    gap = only(check_policy(policy), "check.gap")
    assert gap.counterexample is not None
    saved = folder / "tests" / Path(name).stem / "gap-medical-premium.yaml"
    saved.parent.mkdir(parents=True)
    saved.write_text(gap.counterexample, encoding="utf-8")
    return gap.counterexample, saved


def test_counterexample_is_a_ready_to_run_case(tmp_path: Path) -> None:
    """Saved where its header says, the counterexample runs and passes as a policy test."""
    policies = tmp_path / "policies"
    counterexample, saved = _saved_gap_counterexample(policies, "2025.yaml")
    assert f"policies/tests/2025/{saved.name}" in counterexample
    report = run_tests([policies / "tests"])
    assert (len(report.results), report.failed, report.problems, report.unusable) == (1, (), (), ())
    [result] = report.results
    assert result.case.person["birth_date"] == "1955-01-01"  # 70 on 2025-01-01


def test_counterexample_of_a_policy_anywhere_runs_where_its_header_says(tmp_path: Path) -> None:
    """A policy not under policies/ (task2/gap.yaml): the header names task2/tests/gap/..., and
    saved there the case finds its policy (it once said policies/tests/gap/..., where the
    folder named a policy that does not exist)."""
    counterexample, saved = _saved_gap_counterexample(tmp_path / "task2", "gap.yaml")
    assert f"# {saved.as_posix()}\n" in counterexample
    report = run_tests([saved])
    assert (len(report.results), report.failed, report.problems, report.unusable) == (1, (), (), ())


def test_findings_are_ordered_by_place_and_print_like_load_problems(tmp_path: Path) -> None:
    """Findings come in file order and print as file:line:col: severity: message [rule]."""
    text = edit(
        ("when: {age: {min: 60, max: 69}}", "when: {age: {min: 60, max: 68}}"),
        ("    disability_4: 四级残疾\n", "    disability_4: 四级残疾\n    orphan: 孤儿\n"),
    )
    found = findings(tmp_path, text)
    assert [f.code for f in found] == ["check.unread-status", "check.age-hole"]
    assert str(found[1]).startswith(f"{found[1].location}: warning: age band ")
    assert str(found[1]).endswith(" [medical-relief-60-69]")


@pytest.mark.parametrize("code", sorted(contribpolicy.checks.CODES))
def test_every_code_has_a_severity_and_a_summary(code: str) -> None:
    """Every code is error or warning, with a one-line summary for SARIF."""
    severity, summary = contribpolicy.checks.CODES[code]
    assert severity in ("error", "warning")
    assert code.startswith("check.")
    assert summary.endswith(".")


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_finding_code_can_be_silenced(tmp_path: Path, code: str) -> None:
    """docs/checks.md: any finding may be silenced with its reason; the schema's pattern once
    refused the digits of check.relief-over-100."""
    silence = f"silence:\n  - code: {code}\n    reason: accepted on purpose\n"
    policy = load_text(tmp_path, edit(("silence:\n", silence)))
    assert any(entry.code == code for entry in policy.silence)
