"""Hostile policy files: tags that would build objects, resource bombs, repeated keys, strange text.

Each test plants one attack in the bundled policy (or writes a small file holding only the
attack) and checks the precise issue it gives, code and place. The codes yaml.limit and
yaml.size are how a bomb is refused before it is expanded; how fast that happens is measured by
`fuzz/` and by hand (docs/security.md), never asserted here.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import contribpolicy
from _policy_edit import POLICY_TEXT, edit, issues_of, keys, position
from contribpolicy import Limits, PolicyError, PolicyIssue
from contribpolicy.format import _yaml as _yaml_module
from contribpolicy.format._yaml import read_limited

ROOT = Path(__file__).resolve().parent.parent
SECURITY = ROOT / "docs" / "security.md"
TITLE = "title: 山城街道2025年度城乡居民基本养老、基本医疗保险缴费政策"


def issues_in(text: str | bytes, limits: Limits | None = None) -> tuple[PolicyIssue, ...]:
    """The issues of loading ``text`` as the file "hostile.yaml"; fails the test if it loads."""
    with pytest.raises(PolicyError) as caught:
        contribpolicy.loads_policy(text, file="hostile.yaml", limits=limits or Limits())
    return caught.value.issues


def codes(issues: tuple[PolicyIssue, ...]) -> list[str]:
    return [issue.code for issue in issues]


def laughs(levels: int, width: int = 9) -> str:
    """A "billion laughs" document: each level an anchored list of `width` aliases of the last."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{aliases}]")
    return "\n".join(lines) + "\n"


# --- tags: nothing is constructed, imported or run ------------------------------------------------


def test_python_tag_on_a_key_is_rejected(tmp_path: Path) -> None:
    """A tag on a mapping key is rejected at the key, as one on a value is (PyYAML ignores it)."""
    text = edit((TITLE, f"!!python/name:os.system {TITLE}"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "!!python/name:os.system title", "!!python")
    assert keys(issues) == [("/title", line, column, "yaml.tag")]


def test_python_tag_on_a_list_is_rejected_and_imports_nothing(tmp_path: Path) -> None:
    """`!!python/object/apply:` on a list is rejected at the list; the module is never imported."""
    assert "antigravity" not in sys.modules
    text = edit(("tiers: [100,", "tiers: !!python/object/apply:antigravity.geohash [100,"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "tiers: !!python", "!!python")
    assert keys(issues)[0] == ("/schemes/pension/rules/5/tiers", line, column, "yaml.tag")
    assert "antigravity" not in sys.modules


def test_standard_tag_on_the_wrong_text_is_rejected(tmp_path: Path) -> None:
    """`!!int abc` is a yaml.tag issue at the value (PyYAML's constructor raises ValueError)."""
    text = edit(("total: 1070", "total: !!int abc"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "total: !!int abc", "!!int")
    assert keys(issues) == [("/schemes/medical/rules/2/total", line, column, "yaml.tag")]


def test_standard_tag_on_the_right_text_is_read() -> None:
    """`!!int 1070` and `!!str` are the core types written out, and read as such."""
    text = edit(("total: 1070", "total: !!int 1070"), ("version: ", "version: !!str "))
    policy = contribpolicy.loads_policy(text)
    assert policy.rule("medical-premium").params["total"] == 1070


def test_rule_kind_cannot_name_a_module(tmp_path: Path) -> None:
    """A kind written as a module path is an unknown kind; nothing by that name is imported."""
    assert "this" not in sys.modules  # importing `this` prints the Zen of Python
    text = edit(("kind: relief\n        label: 60至", "kind: this\n        label: 60至"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "kind: this", "this")
    assert keys(issues)[0][1:] == (line, column, "semantic.unknown-kind")
    assert "this" not in sys.modules


# --- resource bombs -----------------------------------------------------------------------------


def test_billion_laughs_is_refused_at_the_alias_that_crosses_the_limit() -> None:
    """9 levels of 9 aliases (387 million values expanded) stop at the node limit, unexpanded."""
    text = laughs(9)
    issues = issues_in(text)
    assert codes(issues) == ["yaml.limit"]
    # l0 to l3 hold 8,306 values with their keys; the first alias on l4's line adds 7,381
    assert issues[0].location.line == 5
    assert "10000 values" in issues[0].message


def test_billion_laughs_within_a_raised_limit_is_read() -> None:
    """The node limit is a parameter: the same three levels load past YAML with a higher one."""
    small = laughs(3)  # 924 values with aliases expanded
    issues = issues_in(small, Limits(max_nodes=2_000))
    assert not any(issue.code.startswith("yaml.") for issue in issues)
    assert codes(issues_in(small, Limits(max_nodes=200))) == ["yaml.limit"]


def test_alias_count_limit() -> None:
    """More aliases than max_aliases is refused even when they expand to little."""
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * 101) + "]\n"
    issues = issues_in(text)
    assert codes(issues) == ["yaml.limit"]
    assert "100 aliases" in issues[0].message
    assert codes(issues_in(text, Limits(max_aliases=101)))[0].startswith("schema.")


def test_alias_of_its_own_container_is_refused() -> None:
    """`&a [*a]` would expand forever: refused at the alias, however high the limits."""
    issues = issues_in("a: &a [1, *a]\n", Limits(max_nodes=10**9, max_depth=10**6))
    assert codes(issues) == ["yaml.limit"]
    assert (issues[0].location.line, issues[0].location.column) == (1, 11)


def test_aliases_within_limits_load_like_the_written_out_policy() -> None:
    """Anchors and aliases are plain YAML: a policy that uses them reads like one that does not."""
    condition = "{field: residence, in: [local, permit]}"
    anchored = edit((f"input: {condition}", f"input: &resident {condition}"))
    aliased = anchored.replace("requires: {condition: resident}", "requires: {input: *resident}")
    written = POLICY_TEXT.replace(
        "requires: {condition: resident}", f"requires: {{input: {condition}}}"
    )
    assert aliased.count("*resident") == 1  # the pension is joined by local residents only
    with_alias = contribpolicy.loads_policy(aliased)
    assert with_alias.content_hash == contribpolicy.loads_policy(written).content_hash


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a: " + "[" * 100_000 + "]" * 100_000 + "\n", id="flow-lists"),
        pytest.param("a: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n", id="flow-mappings"),
        pytest.param("".join("  " * i + "a:\n" for i in range(200)), id="block-mappings"),
        pytest.param("".join("  " * i + "-\n" for i in range(200)), id="block-lists"),
        pytest.param("a: " + "[" * 100_000 + "\n", id="unclosed-flow-lists"),
    ],
)
def test_deep_nesting_is_refused(text: str) -> None:
    """Nesting deeper than max_depth is refused as it is read, without recursion."""
    issues = issues_in(text)
    assert codes(issues) == ["yaml.limit"]
    assert issues[0].location.line is not None


def test_alias_that_would_nest_too_deep_is_refused() -> None:
    """An alias of a 40-deep list placed 40 deep is 80 deep once expanded: over the limit."""
    deep = "[" * 40 + "1" + "]" * 40
    text = f"a: &deep {deep}\nb: {'[' * 39}*deep{']' * 39}\n"
    issues = issues_in(text)
    assert codes(issues) == ["yaml.limit"]
    assert issues[0].location.line == 2


def test_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over max_bytes is one yaml.size issue, with no line: only max_bytes + 1 of its
    bytes are read, and the YAML parser never sees them (it is replaced by one that fails)."""
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"a: [" + b"1, " * 1_000_000 + b"]\n")
    requested: list[int] = []
    real_open = open

    def counting_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        handle = real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]
        if str(file) == str(path):
            read = handle.read

            def reading(size: int = -1) -> bytes:
                requested.append(size)
                data: bytes = read(size)
                return data

            handle = _Reads(handle, reading)
        return handle

    def no_parsing(*args: object) -> object:
        raise AssertionError("the YAML parser was started on a file over the limit")

    monkeypatch.setattr(_yaml_module, "EVENTS", no_parsing)
    monkeypatch.setattr("builtins.open", counting_open)
    with pytest.raises(PolicyError) as caught:
        contribpolicy.load_policy(path, limits=Limits(max_bytes=1000))
    assert codes(caught.value.issues) == ["yaml.size"]
    assert caught.value.issues[0].location.line is None
    assert requested == [1001]


class _Reads:
    """A file whose ``read`` is replaced, the rest passed through."""

    def __init__(self, handle: Any, read: Any) -> None:
        self._handle = handle
        self.read = read

    def __enter__(self) -> _Reads:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def test_endless_file_is_read_only_to_the_limit() -> None:
    """read_limited reads /dev/zero only one byte past max_bytes, which is then yaml.size."""
    data = read_limited("/dev/zero", Limits(max_bytes=1000))
    assert len(data) == 1001
    assert codes(issues_in(data, Limits(max_bytes=1000))) == ["yaml.size"]


def test_many_values_are_refused() -> None:
    """A list of 20,000 numbers is within the size limit but over the node limit."""
    issues = issues_in("a: [" + "1, " * 20_000 + "]\n")
    assert codes(issues) == ["yaml.limit"]


def test_huge_text_value_is_refused() -> None:
    """A title of 20,000 characters is over max_scalar_chars, reported at the title."""
    text = edit((TITLE, "title: " + "山" * 20_000))
    issues = issues_in(text)
    assert [(i.location.pointer, i.code) for i in issues] == [("/title", "yaml.limit")]
    assert contribpolicy.loads_policy(text, limits=Limits(max_scalar_chars=20_000)).title[0] == "山"


def test_huge_key_is_refused() -> None:
    """A key of 20,000 characters (written `? key`, as YAML allows) is reported like a value."""
    issues = issues_in("? " + "x" * 20_000 + "\n: 1\n")
    assert codes(issues) == ["yaml.limit"]


@pytest.mark.parametrize(
    "number",
    [
        pytest.param("9" * 5000, id="5000-digit-int"),
        pytest.param("0x" + "f" * 1000, id="long-hex"),
        pytest.param("1" + ":59" * 1000, id="long-base-60"),
        pytest.param("1000000000000000", id="16-digit-int"),
        pytest.param("1.0e+15", id="float-1e15"),
        pytest.param("-1.5e+300", id="negative-huge-float"),
        pytest.param("0x_", id="hex-without-digits"),
        pytest.param(".nan", id="nan"),
        pytest.param("-.inf", id="infinity"),
    ],
)
def test_number_too_large_or_not_finite(tmp_path: Path, number: str) -> None:
    """A number that is not a finite value under 10**15 is a yaml.number issue at the number,
    refused before Python converts it (a 5000-digit int would raise ValueError, 1e300 would
    make money rounding fail)."""
    text = edit(("total: 1070", f"total: {number}"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, f"total: {number}", number)
    assert keys(issues) == [("/schemes/medical/rules/2/total", line, column, "yaml.number")]


def test_largest_number_is_read(tmp_path: Path) -> None:
    """999,999,999,999,999 (15 digits) is a number: the premium check then reports the sum."""
    text = edit(("total: 1070", "total: 999999999999999"))
    assert codes(issues_of(tmp_path, text)) == ["semantic.parts-sum"]


# --- keys, documents and text -------------------------------------------------------------------


def test_duplicate_key_in_a_flow_mapping_names_both_places(tmp_path: Path) -> None:
    """`{fiscal: 670, fiscal: 0}` is reported at the second key, naming the first."""
    text = edit(("government: {fiscal: 670}", "government: {fiscal: 670, fiscal: 0}"))
    issues = issues_of(tmp_path, text)
    first = position(text, "{fiscal: 670, fiscal: 0}", "fiscal: 670")
    second = position(text, "670, fiscal: 0}", "fiscal")
    pointer = "/schemes/medical/rules/2/government/fiscal"
    assert keys(issues) == [(pointer, *second, "yaml.duplicate-key")]
    assert [(place.line, place.column) for place in issues[0].related] == [first]


def test_key_that_is_a_mapping_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    """A complex key `? [a, b]` is a yaml.key issue; other issues of the file are still found."""
    text = edit(
        ("coverage_year: 2025\n", "coverage_year: 2025\n? [a, b]\n: 1\n"),
        ("  method: completed_years\n", "  method: completed_years\n  method: x\n"),
    )
    issues = issues_of(tmp_path, text)
    assert codes(issues) == ["yaml.key", "yaml.duplicate-key"]
    assert issues[0].location.line == position(text, "? [a, b]", "[a, b]")[0]


def test_second_document_is_refused(tmp_path: Path) -> None:
    """A second `---` document is refused at its start rather than silently ignored."""
    text = POLICY_TEXT + "---\nid: other\n"
    issues = issues_of(tmp_path, text)
    assert keys(issues) == [("", POLICY_TEXT.count("\n") + 1, 1, "yaml.syntax")]


@pytest.mark.parametrize(
    ("escape", "char"),
    [
        pytest.param("\\e[2J", "\x1b", id="terminal-escape"),
        pytest.param("\\0", "\x00", id="nul"),
        pytest.param("\\x85", "\x85", id="next-line"),
    ],
)
def test_control_character_written_as_escape_is_refused(
    tmp_path: Path, escape: str, char: str
) -> None:
    """A double-quoted escape that makes a control character is refused at the value: it would
    reach terminals and reports from labels and messages."""
    text = edit((TITLE, f'title: "政策{escape}"'))
    issues = issues_of(tmp_path, text)
    line, column = position(text, f'title: "政策{escape}"', '"政')
    assert keys(issues) == [("/title", line, column, "yaml.encoding")]
    assert repr(char) in issues[0].message


def test_raw_control_character_is_located(tmp_path: Path) -> None:
    """A raw NUL in the file is refused at its own line and column."""
    text = edit((TITLE, TITLE + "\x00"))
    issues = issues_of(tmp_path, text)
    assert keys(issues) == [("", *position(text, TITLE + "\x00", "\x00"), "yaml.syntax")]


def test_lone_surrogate_in_text_is_refused() -> None:
    """Text handed in with a lone surrogate (no UTF-8 file can hold one) is a yaml.encoding issue
    at its place, not a UnicodeEncodeError from the hash."""
    text = edit((TITLE, "title: 政策\ud800"))
    issues = issues_in(text)
    line, column = position(text, "title: 政策\ud800", "\ud800")
    assert [(i.location.line, i.location.column, i.code) for i in issues] == [
        (line, column, "yaml.encoding")
    ]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xff\xfe" + POLICY_TEXT.encode("utf-16-le"), id="utf-16"),
        pytest.param(POLICY_TEXT.encode("utf-8")[:-3] + b"\xe5\xb1", id="truncated-utf8"),
        pytest.param(bytes(range(256)) * 4, id="binary"),
    ],
)
def test_not_utf8_is_an_encoding_issue(data: bytes) -> None:
    """Bytes that are not UTF-8 are one yaml.encoding issue with a line."""
    issues = issues_in(data)
    assert codes(issues) == ["yaml.encoding"]
    assert issues[0].location.line is not None


# --- the limits are documented ------------------------------------------------------------------


def test_every_limit_is_documented_with_its_default() -> None:
    """docs/security.md has a row for each field of Limits, with its default value."""
    page = SECURITY.read_text(encoding="utf-8")
    for field in attrs.fields(Limits):
        default = getattr(Limits(), field.name)
        assert f"| `{field.name}` | {default:_} |" in page, field.name


def test_anchor_defined_twice_is_located() -> None:
    """An anchor name used for two collections is refused at the second (found by make fuzz:
    the issue had no line)."""
    issues = issues_in("a: &x [1]\nb: &x [2]\n")
    assert [(i.location.line, i.location.column, i.code) for i in issues] == [(2, 4, "yaml.syntax")]


# --- YAML 1.1 readings of numbers and booleans (issue 15, item 9) ------------------------------

_AMOUNT = "        amount: 100\n"


@pytest.mark.parametrize(
    ("written", "reading"),
    [
        ("030", "octal: a leading 0): YAML 1.1 reads it as 24;"),
        ("1:20", "base-60 (sexagesimal) number): YAML 1.1 reads it as 80;"),
        ("0x1F", "hexadecimal): YAML 1.1 reads it as 31;"),
        ("0b101", "binary): YAML 1.1 reads it as 5;"),
        ("1_000", "digits grouped with _): YAML 1.1 reads it as 1000;"),
        ("+100", "a plus sign): YAML 1.1 reads it as 100;"),
        ("1.0e+2", "an exponent): YAML 1.1 reads it as 100.0;"),
        (".inf", "not a finite number): YAML 1.1 reads it as inf;"),
        (".5", "YAML 1.1 reads it as 0.5;"),
    ],
)
def test_yaml_1_1_number_is_refused_with_its_reading(
    tmp_path: Path, written: str, reading: str
) -> None:
    """`amount: 030` was read as 24 and validate said ok: now yaml.number at the value."""
    text = edit((_AMOUNT, f"        amount: {written}\n"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, f"        amount: {written}\n", written)
    assert keys(issues) == [(issues[0].location.pointer, line, column, "yaml.number")]
    assert f"{written!r} is not a number as people write it (" in issues[0].message
    assert reading in issues[0].message


@pytest.mark.parametrize("written", ["yes", "No", "on", "OFF"])
def test_yaml_1_1_boolean_word_is_refused(tmp_path: Path, written: str) -> None:
    """yes/no/on/off would become true/false where a number or text is expected."""
    text = edit((_AMOUNT, f"        amount: {written}\n"))
    issues = issues_of(tmp_path, text)
    assert [issue.code for issue in issues] == ["yaml.boolean"]
    assert f"{written!r} would be read by YAML 1.1 as the boolean" in issues[0].message


@pytest.mark.parametrize(
    ("written", "read"), [("100", 100), ("100.50", Decimal("100.50")), ("0", 0), ("!!int 30", 30)]
)
def test_numbers_as_people_write_them_are_read(written: str, read: object) -> None:
    """Plain decimal spellings (and an explicit tag, which says what is meant) are read."""
    text = edit((_AMOUNT, f"        amount: {written}\n"))
    policy = contribpolicy.loads_policy(text, file="p.yaml")
    assert policy.rule("pension-proxy-severe-disability").params["amount"] == read
