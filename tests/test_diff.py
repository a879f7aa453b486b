"""``contribpolicy diff``: what changed between two policies, and what it costs on a roster."""

from __future__ import annotations

import io
import json
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import contribpolicy
from _policy_edit import POLICY_TEXT, write
from contribpolicy import Policy
from contribpolicy.cli import run
from contribpolicy.diff.compare import MISSING, Change, diff_policies, roster_impact
from contribpolicy.engine.records import roster_columns
from contribpolicy.rosters.reader import RosterReader
from strategies import records

ROOT = Path(__file__).resolve().parent.parent
POLICY_2025 = ROOT / "policies" / "2025.yaml"
POLICY_2026 = ROOT / "policies" / "2026.yaml"
DISTRICT = ROOT / "tests" / "fixtures" / "district-2025.yaml"
EXAMPLE_ROSTER = ROOT / "examples" / "roster-2025.csv"
D = Decimal

HEADER = "person_id,name,village,birth_date,residence,statuses,pension_tier\n"
#: Four people, worked by hand below (ages on 2025-01-01 / 2026-01-01).
ROSTER = HEADER + (
    # 44/45, tier 500: pension 500 + 60 both years; medical 400 + 670 -> 400 + 700.
    "A1,甲,甲村,1980-05-01,local,,500\n"
    # 59/60, tier 800: pension 800 + 80 -> ineligible (60); medical 400 + 670 -> 200 + 900.
    "B2,乙,甲村,1965-06-01,local,,800\n"
    # not resident: ineligible in both schemes, both years.
    "C3,丙,乙村,1955-06-01,none,,\n"
    # a birth date that is not a date: cannot be assessed under either policy.
    "D4,丁,乙村,1980-13-01,local,,\n"
)


@pytest.fixture(scope="module")
def policy_2026() -> Policy:
    return contribpolicy.load_policy(POLICY_2026)


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["diff", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def _impact(old: Policy, new: Policy, text: str) -> Any:
    columns = list(dict.fromkeys([*roster_columns(old), *roster_columns(new)]))
    return roster_impact(old, new, RosterReader(io.StringIO(text), columns))


# --- what changed -------------------------------------------------------------------------------


def test_2026_changes_the_medical_premium(policy_2025: Policy, policy_2026: Policy) -> None:
    """五（一） 2026: total 1070 -> 1100, fiscal 670 -> 700; no other rule changes."""
    diff = diff_policies(policy_2025, policy_2026)
    (rule,) = diff.rules
    assert (rule.rule_id, rule.scheme, rule.kind, rule.cite, rule.status) == (
        "medical-premium",
        "medical",
        "premium_split",
        "五（一）",
        "changed",
    )
    changes = {change.path: (change.old, change.new) for change in rule.changes}
    assert changes["total"] == (1070, 1100)
    assert changes["government.fiscal"] == (670, 700)
    assert set(changes) == {"label", "total", "government.fiscal"}
    assert str(rule.old_location).startswith(f"{POLICY_2025}:")
    assert str(rule.new_location).startswith(f"{POLICY_2026}:")


def test_2026_metadata_and_collection_changes(policy_2025: Policy, policy_2026: Policy) -> None:
    """The year moves on: id, version, coverage year, age basis, and the periods by id."""
    sections = diff_policies(policy_2025, policy_2026).sections
    metadata = {change.path: (change.old, change.new) for change in sections["metadata"]}
    assert metadata["coverage_year"] == (2025, 2026)
    assert metadata["age_basis.reference_date"] == ("2025-01-01", "2026-01-01")
    assert metadata["id"] == ("shancheng-2025", "shancheng-2026")
    periods = {change.path: change.new for change in sections["collection"]}
    assert periods["collection.periods[medical-concentrated].start"] == "2025-09-01"
    assert periods["collection.periods[publication].end"] == "2026-01-31"
    assert sections["inputs"] == sections["targets"] == sections["schemes"] == ()


def test_added_removed_and_changed_rules(policy_2025: Policy) -> None:
    """The district: a rule removed, two added, the premium changed with a new component."""
    diff = diff_policies(policy_2025, contribpolicy.load_policy(DISTRICT, base_folders=[ROOT]))
    statuses = {rule.rule_id: rule.status for rule in diff.rules}
    assert statuses == {
        "medical-premium": "changed",
        "medical-relief-orphan": "added",
        "medical-relief-65-69": "added",
        "medical-relief-60-69": "removed",
    }
    premium = next(rule for rule in diff.rules if rule.rule_id == "medical-premium")
    assert Change("government.district", MISSING, 20) in premium.changes
    inputs = {change.path: change.kind for change in diff.sections["inputs"]}
    assert inputs == {"inputs.statuses.disability_4": "removed", "inputs.statuses.orphan": "added"}


def test_a_moved_rule(tmp_path: Path, policy_2025: Policy) -> None:
    """Rules run in order, so moving one is a change: reported with where it was and is."""
    write(tmp_path, POLICY_TEXT, "base.yaml")
    layer = (
        "extends: base.yaml\n"
        "schemes:\n"
        "  medical:\n"
        "    rules:\n"
        "      - id: medical-relief-60-69\n"
        "        after: medical-premium\n"
        "        kind: relief\n"
        "        label: 60至69岁老年人个人缴费政府承担50%\n"
        "        cite: 五（一）\n"
        "        when: {age: {min: 60, max: 69}}\n"
        "        share: 0.5\n"
        "        combine: most_favourable\n"
    )
    moved = contribpolicy.load_policy(write(tmp_path, layer, "moved.yaml"))
    (rule,) = diff_policies(policy_2025, moved).rules
    assert (rule.rule_id, rule.status) == ("medical-relief-60-69", "moved")
    assert rule.changes == (
        Change("position", "after medical-relief-70-plus", "after medical-premium"),
    )


def test_identical_policies(policy_2025: Policy) -> None:
    """A policy against itself: identical; --exit-code then exits 0."""
    assert diff_policies(policy_2025, policy_2025).identical
    code, out, _ = cli(str(POLICY_2025), str(POLICY_2025), "--exit-code")
    assert code == 0
    assert "No differences" in out


def test_exit_code_only_on_request() -> None:
    """Differences are not a failure (exit 0) unless --exit-code is given (exit 1), as git diff."""
    assert cli(str(POLICY_2025), str(POLICY_2026))[0] == 0
    assert cli(str(POLICY_2025), str(POLICY_2026), "--exit-code")[0] == 1


def test_a_policy_that_does_not_load_means_nothing_was_compared(tmp_path: Path) -> None:
    """An invalid policy: its problems on stderr and exit 2, never a diff."""
    path = write(tmp_path, "extends: missing.yaml\n")
    code, out, err = cli(str(POLICY_2025), str(path))
    assert (code, out) == (2, "")
    assert f"{path}:1:10: error:" in err


# --- what it costs ------------------------------------------------------------------------------


def test_impact_counts_by_hand(policy_2025: Policy, policy_2026: Policy) -> None:
    """Four people: A's and B's amounts change, C (not resident) and D (malformed) do not."""
    impact = _impact(policy_2025, policy_2026, ROSTER)
    assert (impact.rows, impact.changed, impact.unchanged) == (4, 2, 2)
    assert (impact.malformed_before, impact.malformed_after) == (1, 1)
    pension, medical = impact.schemes
    assert (pension.individual_changed, pension.government_changed, pension.status_changed) == (
        1,
        1,
        1,
    )
    assert dict(pension.transitions) == {"eligible -> ineligible": 1}
    assert (medical.individual_changed, medical.government_changed, medical.status_changed) == (
        1,
        2,
        0,
    )


def test_impact_totals_by_hand(policy_2025: Policy, policy_2026: Policy) -> None:
    """Pension 500+800 paid, 60+80 subsidy -> 500, 60; medical 800 + 1340 -> 600 + 1600."""
    pension, medical = _impact(policy_2025, policy_2026, ROSTER).schemes
    assert (pension.before.eligible, pension.before.individual, pension.before.government) == (
        2,
        D("1300.00"),
        D("140.00"),
    )
    assert (pension.after.eligible, pension.after.individual, pension.after.total) == (
        1,
        D("500.00"),
        D("560.00"),
    )
    assert (medical.before.individual, medical.before.government, medical.before.total) == (
        D("800.00"),
        D("1340.00"),
        D("2140.00"),
    )
    assert (medical.after.individual, medical.after.government, medical.after.total) == (
        D("600.00"),
        D("1600.00"),
        D("2200.00"),
    )


def test_impact_by_village(policy_2025: Policy, policy_2026: Policy) -> None:
    """甲村 holds A and B (medical government 1340 -> 1600); 乙村 C and D, with no money."""
    villages = {v.village: v for v in _impact(policy_2025, policy_2026, ROSTER).villages}
    assert [(name, village.rows) for name, village in villages.items()] == [
        ("甲村", 2),
        ("乙村", 2),
    ]
    assert villages["甲村"].before["medical"].government == D("1340.00")
    assert villages["甲村"].after["medical"].government == D("1600.00")
    assert villages["乙村"].after["medical"].total == D("0.00")


def test_examples_show_before_and_after(policy_2025: Policy, policy_2026: Policy) -> None:
    """B turns 60: the pension example shows line 3, eligible -> ineligible."""
    pension = _impact(policy_2025, policy_2026, ROSTER).schemes[0]
    (example,) = pension.examples
    assert (example.line, example.person_id, example.village) == (3, "B2", "甲村")
    assert (example.old.status, example.old.individual) == ("eligible", D("800.00"))
    assert (example.new.status, example.new.individual) == ("ineligible", D("0.00"))


def test_status_changes_are_shown_first(policy_2025: Policy, policy_2026: Policy) -> None:
    """A child born on 2026-01-01 cannot be in the 2025 roster but is covered in 2026: with one
    example per scheme, that status change is shown before an earlier amount change."""
    text = HEADER + "A1,甲,甲村,1980-05-01,local,,500\nN2,乙,甲村,2026-01-01,local,,\n"
    columns = roster_columns(policy_2025)
    impact = roster_impact(
        policy_2025, policy_2026, RosterReader(io.StringIO(text), columns), examples=1
    )
    (example,) = impact.schemes[1].examples
    assert (example.person_id, example.old.status, example.new.status) == (
        "N2",
        "malformed",
        "eligible",
    )
    assert impact.schemes[1].transitions == {"malformed -> eligible": 1}


def test_a_removed_status_makes_rows_unassessable(policy_2025: Policy, tmp_path: Path) -> None:
    """The district removes disability_4: a row carrying it cannot be assessed after, a change."""
    text = HEADER + "E5,戊,甲村,1980-05-01,local,disability_4,500\n"
    impact = _impact(policy_2025, contribpolicy.load_policy(DISTRICT, base_folders=[ROOT]), text)
    assert (impact.changed, impact.malformed_before, impact.malformed_after) == (1, 0, 1)
    assert dict(impact.schemes[0].transitions) == {"eligible -> malformed": 1}


def test_a_column_only_the_new_policy_declares(policy_2025: Policy, tmp_path: Path) -> None:
    """A flag new in the new policy: its column is not read by the old one, not an error."""
    write(tmp_path, POLICY_TEXT, "base.yaml")
    layer = "extends: base.yaml\ninputs:\n  flags:\n    veteran: 退役军人\n"
    new = contribpolicy.load_policy(write(tmp_path, layer, "new.yaml"))
    text = "person_id,birth_date,residence,veteran,pension_tier\nV1,1980-05-01,local,1,500\n"
    impact = _impact(policy_2025, new, text)
    assert (impact.rows, impact.changed, impact.malformed_before, impact.malformed_after) == (
        1,
        0,
        0,
        0,
    )


# --- the report ---------------------------------------------------------------------------------


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def test_text_report_aligns_village_names(tmp_path: Path) -> None:
    """In the village table every row has the same display width: Chinese names are aligned."""
    roster = write(tmp_path, ROSTER, "roster.csv")
    code, out, err = cli(str(POLICY_2025), str(POLICY_2026), "--roster", str(roster))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    start = lines.index("By village: medical (城乡居民基本医疗保险)")
    table = lines[start + 2 : start + 6]
    assert [line.split()[0] for line in table] == ["village", "甲村", "乙村", "total"]
    assert len({_display_width(line) for line in table}) == 1
    assert "  medical: A1 甲村 (line 2): pays 400.00, government 670.00 -> " in out
    assert "pays 400.00, government 700.00" in out


def test_json_report(tmp_path: Path) -> None:
    """--format json: amounts as exact text, every section, the impact."""
    roster = write(tmp_path, ROSTER, "roster.csv")
    code, out, _ = cli(
        str(POLICY_2025), str(POLICY_2026), "--roster", str(roster), "--format", "json"
    )
    report = json.loads(out)
    assert code == 0
    assert report["rules"][0]["changes"][1] == {
        "path": "total",
        "change": "changed",
        "old": 1070,
        "new": 1100,
    }
    medical = report["impact"]["schemes"][1]
    assert medical["after"]["government"] == "1600.00"
    assert report["impact"]["rows"] == 4


def test_markdown_report(tmp_path: Path) -> None:
    """--format markdown: a heading, the rule table, the totals, a table per scheme by village."""
    roster = write(tmp_path, ROSTER, "roster.csv")
    _, out, _ = cli(
        str(POLICY_2025), str(POLICY_2026), "--roster", str(roster), "--format", "markdown"
    )
    # What comes from the policies and the roster is in code spans (test_safe_renderings.py).
    assert out.startswith("## Policy diff: `shancheng-2025` `2025.1` → `shancheng-2026` `2026.1`\n")
    assert "| changed | `medical-premium` | `medical` | `premium_split` | `五（一）` |" in out
    assert "| `medical` | 2 | 2 | 800.00 | 600.00 | -200.00 | 1340.00 | 1600.00 | +260.00 |" in out
    assert "| `甲村` | 2 |" in out


def test_unreadable_roster(tmp_path: Path) -> None:
    """A roster that cannot be read: exit 2, nothing compared."""
    code, out, err = cli(str(POLICY_2025), str(POLICY_2026), "--roster", str(tmp_path / "x.csv"))
    assert (code, out) == (2, "")
    assert "x.csv" in err


def test_roster_with_a_wrong_header(tmp_path: Path) -> None:
    """A header naming an unknown column: exit 2 with the column named."""
    roster = write(tmp_path, "person_id,birth_dat\n1,1980-05-01\n", "bad.csv")
    code, _, err = cli(str(POLICY_2025), str(POLICY_2026), "--roster", str(roster))
    assert code == 2
    assert "birth_dat" in err


def test_the_example_roster_is_reported_in_full() -> None:
    """The bundled roster: every row accounted for, 2026's fiscal 30 more per eligible person."""
    code, out, _ = cli(
        str(POLICY_2025), str(POLICY_2026), "--roster", str(EXAMPLE_ROSTER), "--format", "json"
    )
    impact = json.loads(out)["impact"]
    rows = len(EXAMPLE_ROSTER.read_text(encoding="utf-8-sig").splitlines()) - 1
    assert code == 0
    assert impact["rows"] == rows == impact["changed"] + impact["unchanged"]
    medical = impact["schemes"][1]
    eligible = medical["before"]["eligible"]
    assert medical["before"]["eligible"] == medical["after"]["eligible"]
    government = D(medical["after"]["government"]) - D(medical["before"]["government"])
    # 30 more fiscal per eligible person; turning 60 or 70 moves relief, never the total.
    assert D(medical["after"]["total"]) - D(medical["before"]["total"]) == 30 * eligible
    assert government >= 0


# --- invariants ---------------------------------------------------------------------------------


def _row(record: dict[str, Any]) -> dict[str, str]:
    """A generated record as a roster row's text cells."""
    cells = {}
    for key, value in record.items():
        if isinstance(value, list):
            cells[key] = ";".join(value)
        elif isinstance(value, bool):
            cells[key] = "1" if value else "0"
        else:
            cells[key] = "" if value is None else str(value)
    return cells


@settings(max_examples=50, deadline=None)
@given(people=st.lists(records(), max_size=20))
def test_every_row_is_accounted_for(
    people: list[dict[str, Any]], policy_2025: Policy, policy_2026: Policy
) -> None:
    """rows == changed + unchanged, and the villages add up to the scheme totals."""
    rows = [(index + 2, _row(person), None) for index, person in enumerate(people)]
    impact = roster_impact(policy_2025, policy_2026, rows)
    assert impact.rows == len(people) == impact.changed + impact.unchanged
    for scheme in impact.schemes:
        for side in ("before", "after"):
            total = getattr(scheme, side)
            villages = [getattr(village, side)[scheme.scheme] for village in impact.villages]
            assert sum(v.eligible for v in villages) == total.eligible
            assert sum((v.total for v in villages), D(0)) == total.total


@settings(max_examples=30, deadline=None)
@given(people=st.lists(records(), max_size=10))
def test_a_policy_against_itself_changes_nobody(
    people: list[dict[str, Any]], policy_2025: Policy
) -> None:
    """The same policy on both sides: no row changes."""
    rows = [(index + 2, _row(person), None) for index, person in enumerate(people)]
    impact = roster_impact(policy_2025, policy_2025, rows)
    assert (impact.changed, impact.unchanged) == (0, len(people))


COLUMNS_ZH = ROOT / "examples" / "columns-zh.yaml"


def test_roster_as_the_village_sends_it_gives_the_same_impact(tmp_path: Path) -> None:
    """diff --roster reads a roster as batch does: the example roster saved by Chinese Excel
    (GB18030) with Chinese headers through --columns gives the impact of the coded UTF-8 file
    (diff once read UTF-8 CSV with English headers only, and advised an --encoding it lacked)."""
    headers = {
        field: zh for zh, field in yaml.safe_load(COLUMNS_ZH.read_bytes())["columns"].items()
    }
    header, rest = EXAMPLE_ROSTER.read_text(encoding="utf-8").split("\n", 1)
    village = tmp_path / "清册.csv"
    chinese = ",".join(headers[field] for field in header.split(","))
    village.write_text(chinese + "\n" + rest, encoding="gb18030")
    column_map = str(COLUMNS_ZH)
    policies = (str(POLICY_2025), str(POLICY_2026), "--format", "json")
    code, coded, err = cli(*policies, "--roster", str(EXAMPLE_ROSTER))
    assert code == 0, err
    code, sent, err = cli(
        *policies, "--roster", str(village), "--encoding", "gb18030", "--columns", column_map
    )
    assert code == 0, err
    expected, found = json.loads(coded)["impact"], json.loads(sent)["impact"]
    assert found.pop("roster") == str(village)
    expected.pop("roster")
    assert found == expected
    assert (expected["rows"], expected["changed"]) == (300, 247)  # docs/yearly-update.md
