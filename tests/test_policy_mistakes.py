"""An officer's mistakes in a policy file, each reported at its own line with the fix named, in
English and in Chinese (issue 12)."""

from __future__ import annotations

import io
import re
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


MEDICAL_60_69 = "        share: 0.5\n        combine: most_favourable\n"

#: name -> (replacement, a Chinese fragment of the message): mistakes the schema and the rule
#: kinds find, read by an officer with --lang zh.
MEANING_MISTAKES = {
    "misspelt key": (
        (MEDICAL_60_69, "        share: 0.5\n        combin: most_favourable\n"),
        "不认识的键 'combin'；是否应为 'combine'？",
    ),
    "missing key": ((MEDICAL_60_69, "        share: 0.5\n"), "缺少必填项：'combine'"),
    "word not allowed": (
        (MEDICAL_60_69, "        share: 0.5\n        combine: best\n"),
        "'best' 不是可填的值，可填：",
    ),
    "fixed sum written as a share": (
        (MEDICAL_60_69, "        share: 280\n        combine: most_favourable\n"),
        "如果是固定金额，请改写成 amount: 280",
    ),
    "share above one": (
        (MEDICAL_60_69, "        share: 1.5\n        combine: most_favourable\n"),
        "share 是基数的比例（1 表示全部），1.5 超过了全部；如果是固定金额，请改写成 amount: 1.5",
    ),
    "list for a number": (
        (MEDICAL_60_69, "        share: [0.5]\n        combine: most_favourable\n"),
        "应为数字，实际是 [0.5]",
    ),
    "share and amount": (
        (
            MEDICAL_60_69,
            "        share: 0.5\n        amount: 100\n        combine: most_favourable\n",
        ),
        "减免必须且只能写 share（某一基数的比例）或 amount（固定金额）之一",
    ),
    "tiers out of order": (
        ("tiers: [100, 350, 500, 800,", "tiers: [100, 500, 350, 800,"),
        "档次必须从小到大且不重复：350 排在 500 之后",
    ),
    "tier in no bracket": (
        ("{from: 500, to: 500, amount: 60}", "{from: 600, to: 600, amount: 60}"),
        "可选档次 500 不在任何分段内",
    ),
    "more places than money": (
        ("{from: 800, amount: 80}", "{from: 800, amount: 80.125}"),
        "80.125 的小数位超过 2 位（money.places）；如本意如此，请写 80.13",
    ),
    "unknown condition": (
        ("to: {condition: hardship}", "to: {condition: hardshp}"),
        "没有名为 'hardshp' 的条件",
    ),
    "undeclared status": (
        ("any_status: [disability_1, disability_2]", "any_status: [disability_1, disability_9]"),
        "'disability_9' 未在 statuses 中声明",
    ),
}
#: English words a Chinese reader must not meet in these messages (keys and values quoted from
#: the policy are the officer's own words and may stay).
ENGLISH = re.compile(
    r"\b(is|not|the|must|needs?|unknown|expected|found|than|before|after|declared|falls|every|"
    r"missing|required|one|did you mean)\b"
)


@pytest.mark.parametrize("name", sorted(MEANING_MISTAKES))
def test_schema_and_rule_mistakes_read_in_chinese(tmp_path: Path, name: str) -> None:
    """Schema and rule-kind problems come from the catalog: a Chinese reader gets Chinese."""
    (old, new), chinese = MEANING_MISTAKES[name]
    code, lines = validate(write(tmp_path, edit((old, new))), "zh")
    assert code == 1
    messages = [line.partition(": ")[2] for line in lines]
    assert any(chinese in message for message in messages), messages
    if old == MEDICAL_60_69:  # a problem inside a rule names the rule, as load errors do
        assert all(line.endswith("[medical-relief-60-69]") for line in lines), lines
    for message in messages:
        unquoted = re.sub(r"'[^']*'|\[[^\]]*\]|（[^）]*）|\([^)]*\)", "", message)
        assert not ENGLISH.search(unquoted), message


@pytest.mark.parametrize(
    ("old", "new", "english"),
    [
        (
            "      - id: medical-relief-60-69\n",
            "      - id: Medical-Relief\n",
            "'Medical-Relief' is not a name the policy can use: small letters a-z",
        ),
        ("  currency: CNY\n", "  currency: 人民币\n", "'人民币' is not a currency code"),
        (
            "  - code: check.unread-status\n    target: disability_3\n",
            "  - code: unread status\n    target: disability_3\n",
            "'unread status' is not a finding code: codes are written like check.gap",
        ),
    ],
)
def test_a_name_that_breaks_its_pattern_is_said_in_words(
    tmp_path: Path, old: str, new: str, english: str
) -> None:
    """A rule id, currency or silence code written wrongly: the rule in words, never the
    regular expression jsonschema would quote."""
    code, lines = validate(write(tmp_path, edit((old, new))), "en")
    assert code == 1
    assert any(english in line for line in lines), lines
    assert not any("does not match" in line or "^[" in line for line in lines), lines
