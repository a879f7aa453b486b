"""Exit codes of ``batch`` that protect a CI job or a cron job (issue 12)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from _policy_edit import edit, write
from contribpolicy.cli import run

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
EXAMPLE = str(ROOT / "examples" / "roster-2025.csv")
#: People of 70 and over left with no premium: a check.gap (五（一）).
GAP = ("        total: 1070\n", "        when: {age: {max: 69}}\n        total: 1070\n")


def batch(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["batch", *args, "--quiet"], out, err)
    return code, out.getvalue(), err.getvalue()


def test_batch_refuses_a_policy_with_a_static_check_error(tmp_path: Path) -> None:
    """A policy whose 70-plus have no premium (a gap) is not run: exit 1, the finding printed,
    and nothing written; --no-check runs it anyway."""
    policy = str(write(tmp_path, edit(GAP)))
    output = tmp_path / "out.csv"
    code, _, err = batch(policy, EXAMPLE, "-o", str(output))
    assert code == 1
    assert "error: " in err
    assert "[medical-premium]" in err
    assert "--no-check" in err
    assert not output.exists()
    code, _, err = batch(policy, EXAMPLE, "-o", str(output), "--no-check")
    assert code == 0, err
    assert output.exists()


def test_batch_check_message_in_chinese(tmp_path: Path) -> None:
    """With --lang zh the refusal is said in Chinese."""
    policy = str(write(tmp_path, edit(GAP)))
    code, _, err = batch(policy, EXAMPLE, "--lang", "zh", "-o", str(tmp_path / "o.csv"))
    assert code == 1
    assert "政策未通过静态检查" in err


def malformed_roster(tmp_path: Path, good: int, bad: int) -> str:
    roster = tmp_path / "r.csv"
    rows = ["person_id,birth_date,residence"]
    rows += [f"g{index},1980-05-01,local" for index in range(good)]
    rows += [f"b{index},1980-05-01,nowhere" for index in range(bad)]
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(roster)


def test_all_malformed_roster_exits_1(tmp_path: Path) -> None:
    """Every row malformed (a wrong column map, a wrong file): exit 1 with one line saying so."""
    code, _, err = batch(POLICY, malformed_roster(tmp_path, 0, 3), "-o", str(tmp_path / "o.csv"))
    assert code == 1
    assert "batch: 3 of 3 rows are malformed" in err


def test_some_malformed_rows_exit_0_by_default(tmp_path: Path) -> None:
    """Malformed rows among good ones are the officials' to fix: exit 0 unless a limit says."""
    code, _, _ = batch(POLICY, malformed_roster(tmp_path, 3, 1), "-o", str(tmp_path / "o.csv"))
    assert code == 0


@pytest.mark.parametrize(
    ("limit", "expected"), [("0", 1), ("1", 0), ("20%", 1), ("25%", 0), ("100%", 0)]
)
def test_max_malformed_limit(tmp_path: Path, limit: str, expected: int) -> None:
    """One malformed row of four: more than 0 rows or 20% fails, 1 row or 25% does not."""
    roster = malformed_roster(tmp_path, 3, 1)
    code, _, _ = batch(POLICY, roster, "-o", str(tmp_path / "o.csv"), "--max-malformed", limit)
    assert code == expected


@pytest.mark.parametrize("limit", ["-1", "x", "101%", "五"])
def test_max_malformed_must_be_a_count_or_percentage(tmp_path: Path, limit: str) -> None:
    code, _, err = batch(POLICY, EXAMPLE, "--max-malformed", limit)
    assert code == 2
    assert "expected a number of rows or a percentage" in err
