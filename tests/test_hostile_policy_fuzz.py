"""Fuzzing the loader: mutated copies of policies/2025.yaml load, or fail with located issues.

Whatever a policy file holds, loading it either gives a Policy or raises PolicyError whose every
issue names the file and, unless it concerns the file as a whole, a line: never another
exception, and never a hang. Mutations work on three levels: the data (drop, duplicate, retype
and shuffle nodes, then write YAML again), the lines of the text, and its bytes (flips, inserts,
truncation, other encodings). Each example has a deadline: a budget for the suite, not a
benchmark. `make fuzz` runs the coverage-guided target in fuzz/ for longer.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import contribpolicy
from _policy_edit import POLICY_TEXT
from test_hostile_conditions import diamond

#: Issues about the file as a whole, which have no line to point at.
WHOLE_FILE = frozenset({"yaml.size", "yaml.empty"})
BUDGET = settings(
    max_examples=60,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BASE: dict[str, Any] = yaml.safe_load(POLICY_TEXT)  # our own file: safe_load is fine here

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.dates(),
    st.sampled_from(["dibao", "local", "relief", "eligibility", "1070", "2025-01-01", "~", ""]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node)
    if isinstance(node, list):
        return list(range(len(node)))
    return []


def _mutate(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """One change at a node reached by a random walk from the top."""
    parent: Any = data
    key: Any = draw(st.sampled_from(_children(parent)))
    while _children(parent[key]):
        deeper: bool = draw(st.booleans())
        if not deeper:
            break
        parent, key = parent[key], draw(st.sampled_from(_children(parent[key])))
    operation = draw(st.sampled_from(["drop", "duplicate", "retype", "shuffle"]))
    if operation == "drop":
        del parent[key]
    elif operation == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
    elif operation == "duplicate":
        parent[f"{key}{draw(st.sampled_from(['', '_', '2']))}x"] = copy.deepcopy(parent[key])
    elif operation == "retype":
        parent[key] = draw(values)
    elif isinstance(parent[key], list):
        parent[key] = draw(st.permutations(parent[key]))
    elif isinstance(parent[key], dict):
        order = draw(st.permutations(list(parent[key])))
        parent[key] = {name: parent[key][name] for name in order}


@st.composite
def mutated_data(draw: st.DrawFn) -> str:
    """The 2025 policy as data, changed one to four times, written as YAML again."""
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if data:
            _mutate(draw, data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


#: Real policies the line mutations start from: the 2025 policy, and the same policy reaching
#: its residence test through a diamond of named conditions (issue 15: a DAG of 2**12 paths).
SOURCES = [POLICY_TEXT, diamond(12)]


@st.composite
def mutated_lines(draw: st.DrawFn) -> str:
    """A real policy's text with lines dropped, repeated, swapped or re-indented."""
    lines = draw(st.sampled_from(SOURCES)).split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        operation = draw(st.sampled_from(["drop", "repeat", "swap", "indent", "dedent"]))
        if operation == "drop":
            del lines[at]
        elif operation == "repeat":
            lines.insert(other, lines[at])
        elif operation == "swap":
            lines[at], lines[other] = lines[other], lines[at]
        elif operation == "indent":
            lines[at] = "  " + lines[at]
        else:
            lines[at] = lines[at][2:]
    return "\n".join(lines)


ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-be", "latin-1", "shift_jis"]


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    """The 2025 policy's bytes, in another encoding or with bytes flipped, inserted or cut."""
    encoding = draw(st.sampled_from(ENCODINGS))
    data = bytearray(POLICY_TEXT.encode(encoding, errors="replace"))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        operation = draw(st.sampled_from(["flip", "insert", "truncate", "control"]))
        if operation == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif operation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif operation == "truncate":
            del data[at:]
        elif operation == "control":
            data[at:at] = draw(st.sampled_from([b"\x00", b"\x1b[2J", b"\t", b"\r", b'"\\e"']))
    return bytes(data)


def assert_loads_or_located(text: str | bytes) -> None:
    """Loading gives a Policy, or a PolicyError whose every issue is located in the file."""
    try:
        policy = contribpolicy.loads_policy(text, file="fuzz.yaml")
    except contribpolicy.PolicyError as err:
        issues = err.issues
    else:
        assert isinstance(policy, contribpolicy.Policy)
        return
    assert issues
    for issue in issues:
        assert issue.location.file == "fuzz.yaml", issue
        assert issue.message, issue
        if issue.code not in WHOLE_FILE:
            assert issue.location.line is not None, issue


@BUDGET
@given(mutated_data())
def test_mutated_data_loads_or_fails_located(text: str) -> None:
    """Dropped, repeated, retyped and shuffled nodes: a Policy, or located issues."""
    assert_loads_or_located(text)


@BUDGET
@given(mutated_lines())
def test_mutated_lines_load_or_fail_located(text: str) -> None:
    """Dropped, repeated, swapped and re-indented lines: a Policy, or located issues."""
    assert_loads_or_located(text)


@BUDGET
@given(mutated_bytes())
def test_mutated_bytes_load_or_fail_located(data: bytes) -> None:
    """Flipped, inserted and cut bytes, other encodings: a Policy, or located issues."""
    assert_loads_or_located(data)


@BUDGET
@given(st.text(max_size=400))
def test_any_text_loads_or_fails_located(text: str) -> None:
    """Arbitrary text, lone surrogates and control characters included: never a crash."""
    assert_loads_or_located(text)


def test_unmutated_policy_loads() -> None:
    """The fuzzers' starting points load, so what they find is due to their changes."""
    for source in SOURCES:
        assert isinstance(contribpolicy.loads_policy(source), contribpolicy.Policy)
    assert date.fromisoformat(str(BASE["age_basis"]["reference_date"])) == date(2025, 1, 1)
