"""Output an official can use as delivered, in Chinese with --lang zh (issue 12)."""

# openpyxl ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from contribpolicy.cli import run

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
EXAMPLE = str(ROOT / "examples" / "roster-2025.csv")
#: What an official may see in Latin letters: a value quoted from the roster (“maybe”), a code
#: listed with its label (`dibao (城乡最低生活保障对象)`), and the CSV/ID/YYYY-MM-DD words.
_QUOTED = re.compile(r"“[^”]*”|\b[a-z_0-9]+ \([^)]*\)|YYYY-MM-DD|CSV|Excel|X")


def batch(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["batch", POLICY, *args, "--quiet"], out, err)
    return code, out.getvalue(), err.getvalue()


def english_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", _QUOTED.sub("", text))


@pytest.fixture(scope="module")
def zh_workbook(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, openpyxl.Workbook]:
    out = tmp_path_factory.mktemp("zh") / "测算.xlsx"
    code, summary, err = batch(EXAMPLE, "-o", str(out), "--lang", "zh", "--keep", "name,village")
    assert code == 0, err
    return summary, openpyxl.load_workbook(out)


def test_chinese_summary_has_no_english_word(zh_workbook: tuple[str, openpyxl.Workbook]) -> None:
    """The summary an official reads with --lang zh: Chinese words, scheme labels, counts."""
    summary, _ = zh_workbook
    assert summary.startswith("行数：300，格式错误：10\n")
    assert "城乡居民基本医疗保险       247          43     0       0       0        10" in summary
    assert english_words(summary) == []


def test_chinese_workbook_has_no_english_word(zh_workbook: tuple[str, openpyxl.Workbook]) -> None:
    """Sheet names, header, status words and every message of the workbook are Chinese; the
    plan is quoted once (不在养老保险缴费年龄（16至59周岁）, without an English gloss)."""
    _, book = zh_workbook
    assert book.sheetnames == ["测算结果", "汇总"]
    rows = list(book["测算结果"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("人员编号", "姓名", "村居", "城乡居民基本养老保险状态")
    texts = [cell for row in rows for cell in row if isinstance(cell, str)]
    statuses = {row[3] for row in rows[1:]} | {row[8] for row in rows[1:]}
    assert statuses == {"符合条件", "不符合条件", "出错", "未缴费"}
    found = [(text, english_words(text)) for text in texts if english_words(text)]
    assert found == []
    assert any(text == "城乡居民基本养老保险：不在养老保险缴费年龄（16至59周岁）" for text in texts)


def test_workbook_is_laid_out_for_use(zh_workbook: tuple[str, openpyxl.Workbook]) -> None:
    """Money shown 0.00, the header frozen with a filter, readable widths, and a summary sheet
    whose totals are the summary's (medical government 197,290.00)."""
    _, book = zh_workbook
    sheet = book["测算结果"]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:N1"
    assert sheet["E2"].number_format == "0.00"
    assert sheet.column_dimensions["N"].width == 60
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[0][:4] == ("村居", "行数", "格式错误", "城乡居民基本养老保险个人缴费")
    assert summary[-1][:3] == ("合计", 300, 10)
    assert Decimal(str(summary[-1][7])) == Decimal("197290")


def test_keep_carries_identity_columns(tmp_path: Path) -> None:
    """--keep name,id_number,village puts them after person_id; a field the roster lacks is
    refused naming those it has."""
    out = tmp_path / "out.csv"
    assert batch(EXAMPLE, "-o", str(out), "--keep", "name,id_number,village")[0] == 0
    with out.open(encoding="utf-8", newline="") as handle:
        header, second, *_ = list(csv.reader(handle))
    assert header[:5] == ["person_id", "name", "id_number", "village", "pension_status"]
    assert second[:4] == ["SC000001", "蒋杰立", "", "城市社区"]
    code, _, err = batch(EXAMPLE, "--keep", "nmae")
    assert code == 1
    assert "--keep names a field the roster does not have" in err


def test_csv_for_excel_has_a_bom(tmp_path: Path) -> None:
    """--lang zh writes the CSV with a BOM (Chinese Excel reads it as UTF-8), --excel too;
    English CSV for programs has none."""
    zh, en, excel = tmp_path / "zh.csv", tmp_path / "en.csv", tmp_path / "excel.csv"
    assert batch(EXAMPLE, "-o", str(zh), "--lang", "zh")[0] == 0
    assert batch(EXAMPLE, "-o", str(en))[0] == 0
    assert batch(EXAMPLE, "-o", str(excel), "--excel")[0] == 0
    assert zh.read_bytes().startswith(b"\xef\xbb\xbf")
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not en.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("name", ["out.xls", "out.ods", "out", "out.txt"])
def test_unknown_output_extension_is_refused(tmp_path: Path, name: str) -> None:
    """-o out.xls would get CSV text under a name that promises a workbook: exit 2, listing
    the suffixes that are written, and nothing is written."""
    code, _, err = batch(EXAMPLE, "-o", str(tmp_path / name))
    assert code == 2
    assert "supported: .csv, .xlsx, .parquet" in err
    assert not (tmp_path / name).exists()
