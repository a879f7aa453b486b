"""The layering of the package (docs/architecture.md), checked as a contract.

``lint-imports`` reads the contracts in pyproject.toml (``[tool.importlinter]``): imports only go
down the layers, no package has an import cycle between its modules, built-in rule kinds use only
the plugin contract, and evaluating a person imports no YAML, JSON Schema or NumPy. Imports under
``TYPE_CHECKING`` and inside functions count. The planted tests prove the check can fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "contribpolicy"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
#: The modules allowed at the top of the package: its public entry points.
ENTRY_POINTS = {"__init__", "__main__", "errors", "plugin", "pytest_plugin", "testing"}
MAX_LINES = 400
#: Modules known to be over the limit, each to be split; listing one that is not over fails too.
OVERSIZE: dict[str, str] = {}


def _lint(root: Path, src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _planted(tmp_path: Path, module: str, line: str) -> subprocess.CompletedProcess[str]:
    """lint-imports on a copy of the package with ``line`` appended to ``module``."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    copy = tmp_path / "src" / "contribpolicy"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + line, encoding="utf-8")
    return _lint(tmp_path, tmp_path / "src")


def test_the_package_keeps_its_import_contracts() -> None:
    """Every contract of pyproject.toml holds on the package as it is."""
    result = _lint(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_cycle_under_type_checking_breaks_the_contract(tmp_path: Path) -> None:
    """model.facts importing model.results (which imports facts) only for typing is a cycle."""
    line = (
        "\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from contribpolicy.model.results import Assessment  # noqa: F401\n"
    )
    result = _planted(tmp_path, "model/facts.py", line)
    assert result.returncode != 0
    assert "No import cycle between the modules of any package BROKEN" in result.stdout


def test_an_upward_import_inside_a_function_breaks_the_contract(tmp_path: Path) -> None:
    """The model reaching up into the engine, even lazily inside a function, is refused."""
    line = (
        "\n\ndef _lazy() -> object:\n"
        "    from contribpolicy.engine import records\n\n    return records\n"
    )
    result = _planted(tmp_path, "model/person.py", line)
    assert result.returncode != 0
    assert "Layers: imports go down only BROKEN" in result.stdout


def test_only_entry_points_sit_at_the_top_of_the_package() -> None:
    """Every other module lives in the subpackage of its concern."""
    top = {path.stem for path in PACKAGE.glob("*.py")}
    assert top <= ENTRY_POINTS, sorted(top - ENTRY_POINTS)


@pytest.mark.parametrize(
    "module", sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py"))
)
def test_modules_stay_small(module: str) -> None:
    """No module is over about 400 lines: past that it holds more than one concept."""
    lines = (PACKAGE / module).read_text(encoding="utf-8").count("\n")
    if module in OVERSIZE:
        assert lines > MAX_LINES, f"{module} is small now: remove it from OVERSIZE"
    else:
        assert lines <= MAX_LINES, f"{module} has {lines} lines"


def test_the_architecture_page_places_every_package() -> None:
    """docs/architecture.md names every subpackage and top-level module, so a newcomer can
    place each module from it."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = {path.parent.name + "/" for path in PACKAGE.glob("*/__init__.py")}
    modules = {path.name for path in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert sorted(name for name in packages | modules if name not in text) == []
