"""An officer's mistakes in a policy file, each reported at its own line with the fix named, in
English and in Chinese (issue 12)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from _policy_edit import edit, write
from contribpolicy.cli import run

SHARE = "        share: 0.5\n"
RESIDENT = "    input: {field: residence, in: [local, permit]}\n"
LABEL = "    label: 山城街道户籍或持居住证\n"

#: name -> (replacement, the fix named in English, in Chinese)
MISTAKES = {
    "full-width colon": (
        (SHARE, "        share：0.5\n"),
        "a full-width colon '：' on line {line}; YAML needs ':'",
        "第{line}行用了全角冒号“：”",
    ),
    "full-width comma": (
        (RESIDENT, "    input: {field: residence， in: [local, permit]}\n"),
        "a full-width '，' on line {line} inside [...] or {{...}}; YAML needs ','",
        "全角的“，”",
    ),
    "full-width semicolon": (
        (RESIDENT, "    input: {field: residence； in: [local, permit]}\n"),
        "a full-width '；' on line {line}",
        "全角的“；”",
    ),
    "full-width quotes": (
        (LABEL, "    label: “山城街道户籍: 持居住证”\n"),
        "a full-width quote '“' on line {line}",
        "第{line}行用了全角引号「“」",
    ),
    "tab": (
        (SHARE, "\tshare: 0.5\n"),
        "a tab on line {line}; YAML indents with spaces only",
        "第{line}行用了制表符（Tab）",
    ),
    "key indented too far": (
        (SHARE, "         share: 0.5\n"),
        "line {line} is indented by 9 spaces, but the keys it belongs with by 8",
        "第{line}行缩进了9个空格",
    ),
    "key indented too little": (
        (SHARE, "      share: 0.5\n"),
        "line {line} is indented by 6 spaces, but the keys it belongs with by 8",
        "第{line}行缩进了6个空格",
    ),
    "no colon": (
        (SHARE, "        share 0.5\n"),
        "line {line} has no ':' after its key; write it as 'key: value'",
        "第{line}行的键后面没有':'",
    ),
    "date with slashes": (
        ("  date: 2024-10-18\n", "  date: 2024/10/18\n"),
        "a date is written YYYY-MM-DD, such as 2025-01-01; found '2024/10/18'",
        "日期应写成YYYY-MM-DD",
    ),
    "share as a percentage": (
        (SHARE, "        share: 50%\n"),
        "a share is written as a number such as 0.5, not 50%",
        "比例要写成小数，如0.5，不能写“50%”",
    ),
}


def validate(path: Path, lang: str) -> tuple[int, list[str]]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["validate", str(path), "--lang", lang], out, err)
    return code, (out.getvalue() + err.getvalue()).splitlines()


@pytest.mark.parametrize("name", sorted(MISTAKES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_mistake_is_reported_at_its_line_with_the_fix(tmp_path: Path, name: str, lang: str) -> None:
    """One problem, at the line the mistake is on (not where libyaml gave up), naming the fix."""
    (old, new), english, chinese = MISTAKES[name]
    text = edit((old, new))
    line = text.splitlines().index(new.rstrip("\n")) + 1
    code, lines = validate(write(tmp_path, text), lang)
    assert code == 1
    assert len(lines) == 1, lines
    where, _, message = lines[0].partition(": ")
    assert where.split(":")[1] == str(line)
    expected = (english if lang == "en" else chinese).format(line=line)
    assert expected in message


def test_a_chinese_colon_inside_a_label_is_no_mistake(tmp_path: Path) -> None:
    """Full-width punctuation in a label's text is the plan's own writing: the policy loads."""
    text = edit((LABEL, "    label: 山城街道户籍：或持居住证，（含随迁子女）；“本地”\n"))
    code, lines = validate(write(tmp_path, text), "en")
    assert (code, lines) == (0, [f"{tmp_path / 'policy.yaml'}: ok"])
