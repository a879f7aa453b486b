"""Rosters written in the policy's Chinese words (issue 12): labels for codes, Chinese list
separators, a column map that translates values and names optional columns, hints."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import yaml

from contribpolicy import Policy, load_policy
from contribpolicy.cli import run
from contribpolicy.engine.records import roster_columns
from contribpolicy.errors import InputError
from contribpolicy.rosters._wording import field_words

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
EXAMPLE = ROOT / "examples" / "roster-2025.csv"
_FLAG_WORDS = {"1": "是", "0": "否"}


def batch(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["batch", POLICY, *args, "--quiet"], out, err)
    return code, out.getvalue(), err.getvalue()


def chinese_twin(path: Path) -> Path:
    """The example roster with every code the policy labels written as its label, statuses
    joined by 、, and flags as 是/否."""
    inputs = yaml.safe_load(Path(POLICY).read_text(encoding="utf-8"))["inputs"]
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    changed = 0
    for row in rows:
        for index, (field, cell) in enumerate(zip(header, row, strict=False)):
            words = cell.split(";") if field == "statuses" and cell else [cell]
            if field == "residence" and cell in inputs["residence"]:
                row[index] = inputs["residence"][cell]
            elif field == "statuses" and cell and set(words) <= inputs["statuses"].keys():
                row[index] = "、".join(inputs["statuses"][word] for word in words)
            elif field in inputs["flags"] and cell in _FLAG_WORDS:
                row[index] = _FLAG_WORDS[cell]
            else:
                continue
            changed += 1
    assert changed > 100
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


@pytest.mark.parametrize("way", [(), ("--row-by-row",)])
def test_roster_in_the_policys_labels_gives_the_coded_amounts(
    tmp_path: Path, way: tuple[str, ...]
) -> None:
    """The example roster written with 山城街道户籍, 一级残疾、城乡最低生活保障对象 and 是/否
    gives byte for byte the output of its coded twin, on the columnar and row-by-row paths."""
    twin = chinese_twin(tmp_path / "zh.csv")
    coded, labelled = tmp_path / "coded.csv", tmp_path / "labelled.csv"
    assert batch(str(EXAMPLE), "-o", str(coded))[0] == 0
    assert batch(str(twin), "-o", str(labelled), *way)[0] == 0
    assert labelled.read_bytes() == coded.read_bytes()


@pytest.mark.parametrize(
    "statuses",
    ["disability_1;dibao", "一级残疾、城乡最低生活保障对象", "dibao；一级残疾", "一级残疾，dibao"],
)
def test_status_separators_and_labels_read_alike(policy_2025: Policy, statuses: str) -> None:
    """; 、 ； and ， separate statuses; a code and its label are the same status."""
    record = {"person_id": "p", "birth_date": "1980-05-01", "residence": "local"}
    assessment = policy_2025.evaluate({**record, "statuses": statuses})
    expected = policy_2025.evaluate({**record, "statuses": "disability_1;dibao"})
    assert assessment.to_dict()["schemes"] == expected.to_dict()["schemes"]


def test_unknown_residence_names_the_closest_label(policy_2025: Policy) -> None:
    """A mistyped label (戸 for 户) is refused, naming the label it is closest to."""
    record = {"person_id": "p", "birth_date": "1980-05-01", "residence": "山城街道戸籍"}
    with pytest.raises(InputError) as caught:
        policy_2025.evaluate(record)
    assert caught.value.field == "residence"
    assert "did you mean '山城街道户籍'?" in caught.value.reason
    assert "local (山城街道户籍)" in caught.value.reason


def test_unknown_status_is_refused_with_the_choices(policy_2025: Policy) -> None:
    record = {"person_id": "p", "birth_date": "1980-05-01", "residence": "local"}
    with pytest.raises(InputError) as caught:
        policy_2025.evaluate({**record, "statuses": "一级残疾、残疾军人"})
    assert caught.value.field == "statuses"
    assert "'残疾军人' is not one of: extreme_poverty (特困人员)" in caught.value.reason


def test_column_map_translates_values_and_names_optional_columns(tmp_path: Path) -> None:
    """The office's words (本地, 低保) through the map's values; a sheet without the optional
    出生日期 column is read; an ID number gives the age instead."""
    column_map = tmp_path / "map.yaml"
    column_map.write_text(
        "columns: {人员编号: person_id, 身份证号: id_number, 出生日期: birth_date, 户籍: residence,"
        " 身份类别: statuses}\n"
        "optional: [出生日期]\n"
        "values:\n  residence: {本地: local}\n  statuses: {低保: dibao, 一级: disability_1}\n",
        encoding="utf-8",
    )
    roster = tmp_path / "r.csv"
    roster.write_text(
        "人员编号,身份证号,户籍,身份类别\n"
        "p1,370406198109025755,本地,低保、一级\n"
        "p2,370406198109025771,local,dibao;disability_1\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    code, _, err = batch(str(roster), "--columns", str(column_map), "-o", str(out))
    assert code == 0, err
    with out.open(encoding="utf-8-sig", newline="") as handle:
        first, second = list(csv.DictReader(handle))
    assert first["medical_status"] == "eligible"
    assert first.pop("person_id") == "p1"
    assert second.pop("person_id") == "p2"
    assert first == second


def test_column_map_values_must_name_roster_fields(tmp_path: Path) -> None:
    column_map = tmp_path / "map.yaml"
    column_map.write_text("values:\n  residense: {本地: local}\n", encoding="utf-8")
    code, _, err = batch(str(EXAMPLE), "--columns", str(column_map))
    assert code == 1
    assert "did you mean 'residence'?" in err


@pytest.mark.parametrize(
    "policy_file",
    [
        "policies/2025.yaml",
        *sorted(
            f"examples/localities/{p.name}" for p in (ROOT / "examples/localities").glob("*.yaml")
        ),
    ],
)
def test_every_roster_column_is_named_in_chinese_in_row_errors(policy_file: str) -> None:
    """A row error names its field as the official calls it: every column a roster may have
    (sex, a declared number such as years paid, ...) has a Chinese word, none an English one."""
    policy = load_policy(ROOT / policy_file)
    words = field_words(policy, "zh")
    english = {
        column: words.get(column, column)
        for column in roster_columns(policy)
        if re.search("[A-Za-z]", words.get(column, column))
    }
    assert english == {}


def test_a_roster_refused_as_a_whole_is_said_in_chinese(tmp_path: Path) -> None:
    """A sheet without a person ID column, read with --lang zh: the whole-file error in
    Chinese, naming the column map as the way to use the sheet's own column."""
    roster = tmp_path / "清册.csv"
    roster.write_text("身份证号,户籍\n370406198109025755,local\n", encoding="utf-8")
    column_map = tmp_path / "map.yaml"
    column_map.write_text("columns: {身份证号: id_number, 户籍: residence}\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, err = batch(str(roster), "--columns", str(column_map), "--lang", "zh", "-o", str(out))
    assert code == 1
    assert err.strip() == (
        f"{roster}: 错误: 第1行：人员编号：缺少这一列：表头必须有 person_id"
        "（或用列对照表把表中的某一列对应为 person_id）"
    )


def test_sex_that_disagrees_with_the_id_number_is_said_in_chinese(tmp_path: Path) -> None:
    """A man's ID number (odd 17th digit) with 性别 女: the row error says 女 and 男, not the
    codes female and male, in the output and in the errors file."""
    roster = tmp_path / "r.csv"
    roster.write_text(
        "person_id,id_number,sex,residence,pension_amount\np1,110101199001011237,女,local,1500\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    policy = str(ROOT / "examples" / "localities" / "range-plan.yaml")
    errors = tmp_path / "errors.csv"
    code = run(["batch", policy, str(roster), "--lang", "zh", "-o", str(out), "--quiet",
                "--errors", str(errors)], io.StringIO(), io.StringIO())  # fmt: skip
    assert code == 1
    with out.open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["说明"] == "第2行：性别：女 与身份证号不符（第17位表示 男）"
    # The errors file is for the same reader: its own columns, the field and reason in Chinese.
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        header, error_row = list(csv.reader(handle))
    assert header[:3] == ["行号", "字段", "原因"]
    assert error_row[:3] == ["2", "性别", "女 与身份证号不符（第17位表示 男）"]
