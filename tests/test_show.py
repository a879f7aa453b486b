"""``contribpolicy show``: a policy with its layers merged, and where each rule came from."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import contribpolicy
from _policy_edit import POLICY_TEXT, position, write
from contribpolicy.cli import run

ROOT = Path(__file__).resolve().parent.parent
POLICY_2025 = ROOT / "policies" / "2025.yaml"
POLICY_2026 = ROOT / "policies" / "2026.yaml"
DISTRICT = ROOT / "tests" / "fixtures" / "district-2025.yaml"


def show(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--base-folder", str(ROOT), "show", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("path", [POLICY_2025, POLICY_2026, DISTRICT], ids=lambda p: p.name)
def test_resolved_yaml_is_the_same_policy(path: Path, tmp_path: Path) -> None:
    """The resolved YAML is a complete policy on its own, with the same content hash."""
    code, out, err = show(str(path), "--resolved")
    assert (code, err) == (0, "")
    resolved = contribpolicy.load_policy(write(tmp_path, out, "resolved.yaml"))
    original = contribpolicy.load_policy(path, base_folders=[ROOT])
    assert resolved.content_hash == original.content_hash
    assert resolved.layers == (str(tmp_path / "resolved.yaml"),)


def test_resolved_yaml_says_where_each_rule_came_from() -> None:
    """Each rule is preceded by a comment naming its file and line."""
    _, out, _ = show(str(POLICY_2026), "--resolved")
    policy_2026 = POLICY_2026.read_text("utf-8")
    line, column = position(policy_2026, "      - id: medical-premium", "id:")
    assert f"      # from {POLICY_2026}:{line}:{column}\n      - id: medical-premium\n" in out
    line, column = position(POLICY_TEXT, "      - id: pension-age", "id:")
    assert f"      # from {POLICY_2025}:{line}:{column}\n      - id: pension-age\n" in out
    assert out.count("# from ") == 15


def test_resolved_json_has_an_origin_per_rule() -> None:
    """--format json: the merged data, with 'origin' on every rule, and the layers."""
    code, out, _ = show(str(DISTRICT), "--resolved", "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert document["layers"] == [str(POLICY_2025), str(DISTRICT)]
    medical = document["policy"]["schemes"]["medical"]["rules"]
    origins = {rule["id"]: rule["origin"].rsplit(":", 2)[0] for rule in medical}
    assert origins["medical-relief-orphan"] == str(DISTRICT)
    assert origins["medical-resident"] == str(POLICY_2025)
    assert medical[2]["government"] == {"fiscal": 670, "district": 20}
    assert "extends" not in document["policy"]


def test_outline_lists_rules_with_their_files() -> None:
    """Without --resolved: the policy's identity, its layers, and each rule with its file."""
    code, out, _ = show(str(POLICY_2026))
    lines = out.splitlines()
    assert code == 0
    assert (
        lines[0] == "shancheng-2026 2026.1 山城街道2026年度城乡居民基本养老、基本医疗保险缴费政策"
    )
    assert lines[1] == f"layers: {POLICY_2025} <- {POLICY_2026}"
    premium = next(line for line in lines if "medical-premium" in line)
    assert premium.split()[:3] == ["medical-premium", "premium_split", "五（一）"]
    assert premium.split()[3].startswith(f"{POLICY_2026}:")


def test_outline_json() -> None:
    """--format json without --resolved: the outline as data."""
    _, out, _ = show(str(POLICY_2025), "--format", "json")
    outline = json.loads(out)
    assert outline["id"] == "shancheng-2025"
    assert [rule["id"] for rule in outline["schemes"]["pension"]["rules"]][-1] == (
        "pension-proxy-severe-disability"
    )


def test_invalid_policy_is_reported(tmp_path: Path) -> None:
    """A policy with problems: they are printed, exit 1, nothing on stdout."""
    path = write(tmp_path, "extends: missing.yaml\n")
    code, out, err = show(str(path))
    assert (code, out) == (1, "")
    assert err.startswith(f"{path}:1:10: error: the base policy")


def test_unreadable_policy(tmp_path: Path) -> None:
    """A file that cannot be read: exit 2."""
    code, _, _ = show(str(tmp_path / "none.yaml"))
    assert code == 2
