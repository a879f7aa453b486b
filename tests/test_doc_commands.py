"""Every ``contribpolicy`` command shown with its output in the README and docs/ is run, and
its output must be what the page shows, line numbers included (issue 12: docs kept true).

A command is a line ``$ contribpolicy ...`` (or ``$ .venv/bin/contribpolicy ...``) in a fenced
block; its output is the lines after it up to the next ``$`` line or the block's end. Commands
are run from the repository's root. A file a page names but the repository does not hold is
made by ``SETUPS`` from a shipped one, with the change the page describes.
"""

from __future__ import annotations

import io
import re
import shlex
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from contribpolicy.cli import run

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.M | re.S)
_COMMAND = re.compile(r"^\$ (?:\.venv/bin/)?contribpolicy (.*?)(?:\s+#.*)?$")


def _replaced(source: str, old: str, new: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        text = (ROOT / source).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not once in {source}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return make


#: Files the pages name that are made for the run: the README's copy with the medical
#: individual part set to 450, yearly-update.md's 2026 draft with `individual` misspelt.
SETUPS: dict[str, Callable[[Path], None]] = {
    "2025.yaml": _replaced(
        "policies/2025.yaml", "        individual: 400\n", "        individual: 450\n"
    ),
    "policies/2026-draft.yaml": _replaced(
        "policies/2026.yaml", "        individual: 400\n", "        individal: 400\n"
    ),
}


def _examples() -> Iterator[tuple[str, str, str]]:
    for page in PAGES:
        for block in _FENCE.finditer(page.read_text(encoding="utf-8")):
            lines = block.group(1).splitlines()
            for index, line in enumerate(lines):
                command = _COMMAND.match(line)
                if command is None:
                    continue
                output = []
                for after in lines[index + 1 :]:
                    if after.startswith("$ "):
                        break
                    output.append(after)
                name = f"{page.name}:{command.group(1)[:60]}"
                yield name, command.group(1), "\n".join(output)


EXAMPLES = list(_examples())


def test_the_pages_show_commands() -> None:
    """The collection finds the pages' examples (a change of their form would skip them all)."""
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize(
    ("command", "expected"), [e[1:] for e in EXAMPLES], ids=[e[0] for e in EXAMPLES]
)
def test_command_prints_what_the_page_shows(
    command: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from a copy of the repository's layout (its policies, examples and docs are read in
    place; made files go to a scratch folder that is the working directory)."""
    monkeypatch.chdir(tmp_path)
    for name in ("policies", "examples", "docs", "schema"):
        (tmp_path / name).symlink_to(ROOT / name)
    argv = shlex.split(command)
    for name, make in SETUPS.items():
        if name in argv:
            target = tmp_path / name
            if target.parent != tmp_path:  # policies/ is the repository's: use a real folder
                (tmp_path / "policies").unlink()
                (tmp_path / "policies").mkdir()
                for shipped in (ROOT / "policies").glob("*.yaml"):  # copies: a base policy
                    (tmp_path / "policies" / shipped.name).write_bytes(shipped.read_bytes())
            make(target)
    out, err = io.StringIO(), io.StringIO()
    run(argv, out, err, io.StringIO())
    printed = (out.getvalue() + err.getvalue()).rstrip("\n")
    assert _matches(printed, expected.rstrip("\n")), printed


def _matches(printed: str, expected: str) -> bool:
    """The output is the page's, where a line ``...`` on the page stands for any lines left out."""
    lines = expected.split("\n")
    pattern = "\n".join(
        "(?:.*\n)*?.*" if line.strip() == "..." else re.escape(line) for line in lines
    )
    return re.fullmatch(pattern, printed) is not None


def test_pre_commit_rev_is_the_release_tag_of_the_version() -> None:
    """docs/ci.md's pre-commit ``rev`` is ``v`` and pyproject's version, the tag `make tag`
    makes (it named a tag that did not exist)."""
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert version is not None
    revs = re.findall(r"^\s*rev: (\S+)", (ROOT / "docs" / "ci.md").read_text(), re.M)
    assert revs == [f"v{version.group(1)}"]
    assert "git tag -a v$(VERSION)" in (ROOT / "Makefile").read_text()


def test_demo_leaves_the_test_plugin_out() -> None:
    """`make demo` installs contribpolicy alone and removes the test plugin (flat_bonus), so no
    known-kinds list or schema a user sees names it; the tests install it."""
    make = (ROOT / "Makefile").read_text()
    demo = make[make.index("\ndemo:") :].split("\n\n")[0]
    assert "plugin_pkg" not in demo
    assert "pip uninstall --quiet --yes contribpolicy-testkind" in demo
    stamp = make[make.index("\n$(STAMP):") :].split("\n\n")[0]
    assert "plugin_pkg" not in stamp
    assert "pytest: $(PLUGIN_STAMP)" in make


def test_ci_page_k_example_selects_cases() -> None:
    """docs/ci.md's ``pytest policies/tests -k ...`` selects cases (``-k 70-plus`` chose none)."""
    import subprocess
    import sys

    line = next(
        line
        for line in (ROOT / "docs" / "ci.md").read_text().splitlines()
        if line.startswith("pytest policies/tests -k")
    )
    words = line.split("#")[0].split()[1:]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *words, "--collect-only", "-q", "-p", "no:randomly"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    selected = [row for row in result.stdout.splitlines() if "::" in row]
    assert len(selected) >= 2, result.stdout + result.stderr
