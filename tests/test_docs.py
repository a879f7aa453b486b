"""The documentation is checked against the engine, so that docs fail the build when they drift.

Conventions the docs follow (see the top of docs/policy-format.md):

* an HTML comment on the line before a fenced block or a table says what it is:
  ``<!-- policy -->`` a complete policy that loads; ``<!-- fails: FILE -->`` a complete policy
  that fails with exactly the lines of the next ``text`` block, loaded as FILE;
  ``<!-- excerpt: SOURCE -->`` a verbatim excerpt (indentation aside) of SOURCE;
  ``<!-- conditions: SOURCE -->`` named conditions that load when added to SOURCE;
  ``<!-- assessments: SOURCE -->`` a table of people and the amounts SOURCE gives them.
  SOURCE is a policy file relative to the repository root, or the id of a ``policy`` block of
  the same page;
* every YAML block carries one of these markers;
* ``pycon`` blocks are doctests, run in order with shared names from the repository root.
"""

from __future__ import annotations

import doctest
import re
import textwrap
from collections.abc import Iterator, Mapping
from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

import contribpolicy
import contribpolicy.plugin
from contribpolicy.checks import check_policy

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
POLICY_2025 = ROOT / "policies" / "2025.yaml"
SHANCHENG = DOCS / "shancheng-2025.md"
FORMAT = DOCS / "policy-format.md"
API = DOCS / "api.md"
PLUGINS = DOCS / "plugins.md"
COLLECTION = DOCS / "collection.md"
YEARLY = DOCS / "yearly-update.md"
LOCALITIES = DOCS / "localities.md"
PAGES = (FORMAT, SHANCHENG, PLUGINS, API, YEARLY, LOCALITIES)

_MARKER = re.compile(r"^<!--\s*([a-z]+)(?::\s*(\S+))?\s*-->$")
_FENCE = re.compile(r"^```(\S*)\s*$")
_CODE = re.compile(r"[\"'`]((?:semantic|schema|yaml|plugin|io)\.[a-z-]+)[\"'`]")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_NO_AMOUNT = "—"


@attrs.frozen
class Block:
    """A fenced code block of a page, with the marker before it."""

    page: Path
    line: int
    lang: str
    text: str
    marker: str | None
    argument: str | None

    @property
    def where(self) -> str:
        """The block's place, for failure messages."""
        return f"{self.page.relative_to(ROOT)}:{self.line}"


@attrs.frozen
class Table:
    """A marked markdown table: header cells and one mapping per row."""

    page: Path
    line: int
    argument: str
    rows: tuple[Mapping[str, str], ...]


def _marker(line: str) -> tuple[str | None, str | None]:
    match = _MARKER.match(line.strip())
    return (match.group(1), match.group(2)) if match else (None, None)


def _previous_marker(lines: list[str], index: int) -> tuple[str | None, str | None]:
    for back in range(index - 1, -1, -1):
        if lines[back].strip():
            return _marker(lines[back])
    return None, None


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a page, in order."""
    lines = page.read_text(encoding="utf-8").split("\n")
    found: list[Block] = []
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence is None:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].rstrip() != "```":
            end += 1
        marker, argument = _previous_marker(lines, index)
        body = "\n".join(lines[index + 1 : end]) + "\n"
        found.append(Block(page, index + 2, fence.group(1), body, marker, argument))
        index = end + 1
    return found


def tables(page: Path) -> list[Table]:
    """The tables of a page marked ``<!-- assessments: SOURCE -->``."""
    lines = page.read_text(encoding="utf-8").split("\n")
    found: list[Table] = []
    for index, line in enumerate(lines):
        marker, argument = _marker(line)
        if marker != "assessments" or argument is None:
            continue
        header = _cells(lines[index + 1])
        rows = []
        row = index + 3
        while row < len(lines) and lines[row].startswith("|"):
            rows.append(dict(zip(header, _cells(lines[row]), strict=True)))
            row += 1
        found.append(Table(page, index + 2, argument, tuple(rows)))
    return found


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def page_policies(page: Path) -> dict[str, str]:
    """The complete policies of a page (``<!-- policy -->``), by id."""
    result: dict[str, str] = {}
    for block in blocks(page):
        if block.marker == "policy":
            result[str(yaml.safe_load(block.text)["id"])] = block.text
    return result


def source_text(page: Path, source: str) -> str:
    """The text a marker names: a file of the repository, or a policy of the page by id."""
    path = ROOT / source
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return page_policies(page)[source]


def _all_blocks(marker: str) -> list[Block]:
    return [block for page in PAGES for block in blocks(page) if block.marker == marker]


def _block_id(block: Block) -> str:
    return block.where


def _dedented_windows(text: str, size: int) -> Iterator[str]:
    lines = text.rstrip("\n").split("\n")
    for start in range(len(lines) - size + 1):
        yield textwrap.dedent("\n".join(lines[start : start + size]))


def _policy_2025() -> contribpolicy.Policy:
    return contribpolicy.load_policy(POLICY_2025)


def test_every_yaml_block_is_marked() -> None:
    """Every YAML example in the docs says what it is, so none escapes checking."""
    known = {"policy", "fails", "excerpt", "conditions"}
    unmarked = [
        block.where
        for page in PAGES
        for block in blocks(page)
        if block.lang == "yaml" and block.marker not in known
    ]
    assert unmarked == []


@pytest.mark.parametrize("block", _all_blocks("policy"), ids=_block_id)
def test_complete_policy_loads(block: Block) -> None:
    """A YAML block marked as a complete policy loads and passes the static checks, as
    ``contribpolicy validate`` runs them (plugins.md's flat_bonus example did not: issue 12)."""
    policy = contribpolicy.loads_policy(block.text, file=block.where)
    assert policy.id
    assert [str(finding) for finding in check_policy(policy)] == []


@pytest.mark.parametrize("block", _all_blocks("fails"), ids=_block_id)
def test_failing_policy_reports_what_the_page_shows(block: Block) -> None:
    """A YAML block marked as failing fails with exactly the lines of the next text block."""
    page_blocks = blocks(block.page)
    following = page_blocks[page_blocks.index(block) + 1]
    assert following.lang == "text", f"{block.where}: no text block follows"
    with pytest.raises(contribpolicy.PolicyError) as caught:
        contribpolicy.loads_policy(block.text, file=block.argument)
    assert [str(issue) for issue in caught.value.issues] == following.text.strip().split("\n")


@pytest.mark.parametrize("block", _all_blocks("excerpt"), ids=_block_id)
def test_excerpt_is_verbatim(block: Block) -> None:
    """A YAML block marked as an excerpt is copied exactly from its source."""
    assert block.argument is not None
    wanted = textwrap.dedent(block.text).rstrip("\n")
    size = len(wanted.split("\n"))
    windows = _dedented_windows(source_text(block.page, block.argument), size)
    assert wanted in windows, f"{block.where}: not found in {block.argument}"


@pytest.mark.parametrize("block", _all_blocks("conditions"), ids=_block_id)
def test_condition_examples_load(block: Block) -> None:
    """Named condition examples load when added to the policy they are written for."""
    assert block.argument is not None
    data: dict[str, Any] = yaml.safe_load(source_text(block.page, block.argument))
    added: dict[str, Any] = yaml.safe_load(block.text)["conditions"]
    data["conditions"] = {**data.get("conditions", {}), **added}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    policy = contribpolicy.loads_policy(text, file=block.where)
    assert policy.id == data["id"]


def _record(cell: str, person_id: str) -> dict[str, str]:
    record = {"person_id": person_id}
    for item in cell.strip("`").split(", "):
        name, _, value = item.partition("=")
        record[name] = value
    return record


def _government(cell: str) -> tuple[str, dict[str, str] | None]:
    total, _, parts = cell.partition(" = ")
    if not parts:
        return total, None
    components = dict(part.rsplit(" ", 1) for part in parts.split(" + "))
    return total, components


def _check_scheme(row: Mapping[str, str], name: str, result: Any) -> list[str]:
    """Differences between a table row's cells for one scheme and the engine's result."""
    label = name.capitalize()
    problems: list[str] = []
    if label in row and row[label] != result.status:
        problems.append(f"{label}: page {row[label]!r}, engine {result.status!r}")
    for part in ("individual", "government", "sponsor", "total"):
        column = f"{label} {part}"
        if column not in row:
            continue
        cell = row[column]
        amount: Decimal = getattr(result, part)
        if cell == _NO_AMOUNT:
            if result.status == "eligible" or amount != 0:
                problems.append(f"{column}: page —, engine {result.status} {amount}")
            continue
        shown, components = (cell, None) if part != "government" else _government(cell)
        if shown != str(amount):
            problems.append(f"{column}: page {shown}, engine {amount}")
        engine_parts = {key: str(value) for key, value in result.components.items()}
        if components is not None and components != engine_parts:
            problems.append(f"{column}: page {components}, engine {engine_parts}")
    return problems


def _assessment_cases() -> list[tuple[Table, Mapping[str, str]]]:
    return [(table, row) for page in PAGES for table in tables(page) for row in table.rows]


def _case_id(case: tuple[Table, Mapping[str, str]]) -> str:
    table, row = case
    return f"{table.page.name}:{table.argument}:{row['#']}"


@pytest.mark.parametrize("case", _assessment_cases(), ids=_case_id)
def test_assessment_table_row_matches_the_engine(case: tuple[Table, Mapping[str, str]]) -> None:
    """Every amount, component and status in a documented table is what the engine gives."""
    table, row = case
    policy = contribpolicy.loads_policy(source_text(table.page, table.argument))
    assessment = policy.evaluate(_record(row["Record"], row["#"]))
    schemes = {column.split()[0].lower() for column in row if column not in ("#", "Person")}
    schemes.discard("record")
    assert schemes <= set(assessment), f"unknown schemes {schemes - set(assessment)}"
    problems = [p for name in sorted(schemes) for p in _check_scheme(row, name, assessment[name])]
    assert problems == []


def test_shancheng_has_worked_examples() -> None:
    """The Shancheng page has a worked example table for policies/2025.yaml."""
    worked = [t for t in tables(SHANCHENG) if t.argument == "policies/2025.yaml"]
    assert worked
    assert sum(len(table.rows) for table in worked) >= 15


def test_every_2025_rule_id_is_in_the_shancheng_page() -> None:
    """Every rule of policies/2025.yaml is explained on the Shancheng page."""
    text = SHANCHENG.read_text(encoding="utf-8")
    ids = [rule.id for scheme in _policy_2025().schemes.values() for rule in scheme.rules]
    missing = [rule_id for rule_id in ids if f"id: {rule_id}" not in text]
    assert missing == []


def test_every_builtin_kind_has_a_heading() -> None:
    """Every rule kind contribpolicy registers has its own heading in the format page."""
    kinds = [
        entry.name
        for entry in entry_points(group="contribpolicy.rule_kinds")
        if entry.dist is not None and entry.dist.name == "contribpolicy"
    ]
    assert len(kinds) >= 7
    headings = {
        line.strip("# `\n")
        for line in FORMAT.read_text(encoding="utf-8").split("\n")
        if line.startswith("#")
    }
    assert [kind for kind in kinds if kind not in headings] == []


def test_every_error_code_is_listed() -> None:
    """Every finding code the library can report is in the format page's table."""
    codes = {
        code
        for path in (ROOT / "src" / "contribpolicy").rglob("*.py")
        for code in _CODE.findall(path.read_text(encoding="utf-8"))
    }
    assert codes
    text = FORMAT.read_text(encoding="utf-8")
    assert sorted(code for code in codes if f"| `{code}` |" not in text) == []


def test_api_page_names_every_public_name() -> None:
    """Every name of the public surface is documented in the API page."""
    text = API.read_text(encoding="utf-8")
    assert [name for name in contribpolicy.__all__ if f"`{name}" not in text] == []


def test_plugins_page_names_the_plugin_protocol() -> None:
    """Every name of contribpolicy.plugin is documented in the plugins page."""
    text = PLUGINS.read_text(encoding="utf-8")
    assert [name for name in contribpolicy.plugin.__all__ if f"`{name}" not in text] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_relative_links_resolve(page: Path) -> None:
    """Links between pages and to repository files point at files that exist."""
    targets = _LINK.findall(page.read_text(encoding="utf-8"))
    local = [t.split("#")[0] for t in targets if "://" not in t and not t.startswith("#")]
    assert [t for t in local if not (page.parent / t).exists()] == []


@pytest.mark.parametrize("page", [API, PLUGINS, COLLECTION], ids=lambda page: page.name)
def test_python_examples_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python sessions shown in a page give the output shown."""
    monkeypatch.chdir(ROOT)
    examples = [block for block in blocks(page) if block.lang == "pycon"]
    assert examples
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    names: dict[str, Any] = {}
    report: list[str] = []
    for block in examples:
        test = parser.get_doctest(block.text, names, block.where, str(page), block.line - 1)
        runner.run(test, out=report.append, clear_globs=False)
        names = test.globs  # get_doctest copies the names: carry them to the next block
    assert runner.failures == 0, "".join(report)


def test_policy_cites_of_the_reading_resolve() -> None:
    """Each "READING <clause>" a shipped policy cites is a clause docs/reading-2025.md reads
    under a heading, and the policy names that file (issue 12: it was not in the repository)."""
    reading = (ROOT / "docs" / "reading-2025.md").read_text(encoding="utf-8")
    headings = "\n".join(line for line in reading.splitlines() if line.startswith("#"))
    cited = set()
    for policy in sorted((ROOT / "policies").glob("*.yaml")):
        text = policy.read_text(encoding="utf-8")
        cited |= set(re.findall(r"READING ([^):\s,]+)", text))
    assert "docs/reading-2025.md" in (ROOT / "policies" / "2025.yaml").read_text(encoding="utf-8")
    assert cited
    assert sorted(clause for clause in cited if clause not in headings) == []
