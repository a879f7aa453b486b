"""The commands' output on the bundled example, byte for byte, as kept in ``tests/golden/``.

These files were written by the commands before the code was moved into subpackages (issue
10); a change that alters any of them alters what users see, so it must update the file in the
same commit and say why. Regenerate one by running the command shown in ``COMMANDS``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from contribpolicy.cli import run

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
ROSTER = "examples/roster-2025.csv"
DIFF = ("diff", "policies/2025.yaml", "policies/2026.yaml", "--roster", ROSTER)

#: golden file -> the command line that prints it (run from the repository's root).
COMMANDS: dict[str, tuple[str, ...]] = {
    "diff-2025-2026.txt": DIFF,
    "diff-2025-2026.md": (*DIFF, "--format", "markdown"),
    "diff-2025-2026.json": (*DIFF, "--format", "json"),
    "check-2025.txt": ("check", "policies/2025.yaml"),
    "check-2026.json": ("check", "policies/2026.yaml", "--format", "json"),
    "show-2026-resolved.txt": ("show", "policies/2026.yaml", "--resolved"),
    "test-coverage.txt": ("test", "policies/tests", "--coverage"),
}


def _run(argv: tuple[str, ...]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, io.StringIO())
    return code, out.getvalue()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_output_is_unchanged(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each command prints exactly its golden file."""
    monkeypatch.chdir(ROOT)
    code, out = _run(COMMANDS[name])
    assert code == 0
    assert out == (GOLDEN / name).read_text(encoding="utf-8")


def test_batch_output_and_summary_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``batch`` on the example roster writes the golden CSV and prints the golden summary."""
    monkeypatch.chdir(ROOT)
    output = tmp_path / "out.csv"
    code, out = _run(("batch", "policies/2025.yaml", ROSTER, "-o", str(output), "--quiet"))
    assert code == 0
    assert out == (GOLDEN / "batch-2025.stdout").read_text(encoding="utf-8")
    assert output.read_bytes() == (GOLDEN / "batch-2025.csv").read_bytes()
