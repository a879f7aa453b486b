"""docs/checks.md and docs/ci.md are checked against the library, so they fail when they drift.

Every finding code is explained in docs/checks.md under a heading that states its severity; every
example there (a ``diff`` block marked ``<!-- plant -->``, planted in a copy of
policies/2025.yaml, then the ``text`` block of what ``validate``, or ``check`` for
``<!-- plant: check -->``, prints) gives exactly the output shown.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from _policy_edit import POLICY_TEXT, replace_once
from contribpolicy.checks import CODES
from contribpolicy.cli import run

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ROOT / "docs" / "checks.md"
CI = ROOT / "docs" / "ci.md"
_CODE = re.compile(r"[\"'`](check\.[a-z0-9-]+)[\"'`]")
_HEADING = re.compile(r"^### `(check\.[a-z0-9-]+)` \((error|warning)\)$", re.MULTILINE)
_PLANT = re.compile(r"<!-- plant(?:: (check))? -->\n```diff\n(.*?)```\n\n```text\n(.*?)```", re.S)


def _codes_in_source() -> set[str]:
    source = ROOT / "src" / "contribpolicy" / "checks"
    return {
        code for path in source.rglob("*.py") for code in _CODE.findall(path.read_text("utf-8"))
    }


def test_every_code_of_the_checks_is_documented_with_its_severity() -> None:
    """Each code the checks can report has a heading `check.x` (severity) in docs/checks.md."""
    documented = dict(_HEADING.findall(CHECKS.read_text(encoding="utf-8")))
    assert _codes_in_source() == set(CODES)
    assert documented == {code: severity for code, (severity, _) in CODES.items()}


def _examples() -> list[tuple[str, str, str]]:
    return _PLANT.findall(CHECKS.read_text(encoding="utf-8"))


def _planted(diff: str) -> str:
    old, new = [], []
    for line in diff.rstrip("\n").split("\n"):
        sign, rest = line[:1], line[1:]
        if sign in (" ", "-"):
            old.append(rest)
        if sign in (" ", "+"):
            new.append(rest)
    return replace_once(POLICY_TEXT, "\n".join(old) + "\n", "\n".join(new) + "\n")


def test_checks_page_has_an_example_for_most_codes() -> None:
    """The examples are there (a regex that matched nothing would test nothing)."""
    assert len(_examples()) >= 12


@pytest.mark.parametrize("example", _examples(), ids=lambda e: e[1].split("\n")[0][:40])
def test_checks_page_example_gives_the_output_shown(
    example: tuple[str, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The planted mistake, saved as 2025.yaml, prints exactly what the page shows."""
    command, diff, shown = example
    (tmp_path / "2025.yaml").write_text(_planted(diff), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = run([command or "validate", "2025.yaml"], out, err, io.StringIO())
    assert (code, out.getvalue(), err.getvalue()) == (1, shown, "")


def test_ci_page_states_every_exit_code_and_format() -> None:
    """The exit-code table and every output format are on docs/ci.md."""
    text = CI.read_text(encoding="utf-8")
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in text
    for name in ("text", "json", "github", "sarif", "junit"):
        assert f"**{name}**" in text
