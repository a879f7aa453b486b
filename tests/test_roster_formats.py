"""Rosters as officials send them: GB18030 CSV, .xlsx with Chinese headers, Parquet; outputs by
suffix; the column map; the errors file (issue 4, "What comes in and goes out")."""

# openpyxl and pyarrow ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from contribpolicy.cli import run
from contribpolicy.rosters._formats import detect_encoding, text_of

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
EXAMPLE = ROOT / "examples" / "roster-2025.csv"
COLUMNS_ZH = str(ROOT / "examples" / "columns-zh.yaml")
#: examples/columns-zh.yaml read backwards: roster field -> the header an official uses.
ZH_HEADER = {
    "person_id": "人员编号",
    "id_number": "身份证号",
    "name": "姓名",
    "village": "村居",
    "birth_date": "出生日期",
    "residence": "户籍",
    "statuses": "身份类别",
    "employee_pension": "参加职工养老",
    "employee_medical": "参加职工医疗",
    "student": "在校学生",
    "pension_tier": "养老缴费档次",
    "medical_sponsor": "医疗资助",
}


def batch(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["batch", POLICY, *args], out, err)
    return code, out.getvalue(), err.getvalue()


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def example_rows() -> list[list[str]]:
    return csv_rows(EXAMPLE)


def assessed(tmp_path: Path, roster: Path, *options: str) -> list[list[str]]:
    """The output CSV rows of ``batch`` on ``roster``."""
    output = tmp_path / f"{roster.name}.out.csv"
    code, _, err = batch(str(roster), "-o", str(output), "--quiet", *options)
    assert code == 0, err
    return csv_rows(output)


@pytest.fixture
def reference(tmp_path: Path) -> list[list[str]]:
    """The assessments of the UTF-8 example roster, which every other format must equal."""
    return assessed(tmp_path, EXAMPLE)


def test_gb18030_csv_from_chinese_excel_is_detected(
    tmp_path: Path, reference: list[list[str]]
) -> None:
    """A CSV saved by Chinese Excel (GBK/GB18030, no BOM) runs as it is: same assessments."""
    roster = tmp_path / "清册.csv"
    roster.write_bytes(EXAMPLE.read_text(encoding="utf-8-sig").encode("gb18030"))
    assert assessed(tmp_path, roster) == reference


def test_encoding_option_names_the_encoding(tmp_path: Path, reference: list[list[str]]) -> None:
    """--encoding gbk reads a GBK file whatever the detection would say."""
    roster = tmp_path / "gbk.csv"
    roster.write_bytes(EXAMPLE.read_text(encoding="utf-8-sig").encode("gbk"))
    assert assessed(tmp_path, roster, "--encoding", "gbk") == reference


def test_wrong_encoding_is_a_file_error_naming_it(tmp_path: Path) -> None:
    """Chinese text read as UTF-8 by --encoding: exit 1, the message names the encoding."""
    roster = tmp_path / "gbk.csv"
    roster.write_bytes(EXAMPLE.read_text(encoding="utf-8-sig").encode("gbk"))
    code, _, err = batch(str(roster), "-o", str(tmp_path / "out.csv"), "--encoding", "utf-8")
    assert code == 1
    assert "encoding: not UTF-8 text" in err
    assert "--encoding" in err


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        pytest.param("村居".encode(), "utf-8-sig", id="utf-8"),
        pytest.param("\ufeff村居".encode(), "utf-8-sig", id="utf-8-bom"),
        pytest.param("村居".encode("gb18030"), "gb18030", id="gb18030"),
        pytest.param("村居".encode()[:-1], "utf-8-sig", id="utf-8-cut-mid-character"),
        pytest.param(b"person_id\n", "utf-8-sig", id="ascii"),
    ],
)
def test_detect_encoding(head: bytes, encoding: str) -> None:
    """UTF-8 unless the head is not UTF-8 and is GB18030; a character cut at the end is fine."""
    assert detect_encoding(head) == encoding


def write_zh_workbook(path: Path, rows: list[list[str]], *, sheet: str = "清册") -> None:
    """The example roster as an agent's workbook: Chinese headers, a 序号 column, typed cells
    (dates as dates, 0/1 and tiers as numbers), a title-less first sheet named ``sheet``."""
    book = openpyxl.Workbook()
    worksheet = book.active
    assert worksheet is not None
    worksheet.title = sheet
    header = rows[0]
    worksheet.append(["序号", *(ZH_HEADER[name] for name in header)])
    for number, row in enumerate(rows[1:], start=1):
        worksheet.append(
            [number, *(typed(name, cell) for name, cell in zip(header, row, strict=False))]
        )
    book.save(path)


def typed(name: str, cell: str) -> object:
    """A cell as Excel would hold it once typed in: a date, a number, or text."""
    if name == "birth_date" and len(cell) == 10 and cell[4] == "-":
        try:
            return datetime.date.fromisoformat(cell)
        except ValueError:
            return cell
    if name in {"employee_pension", "employee_medical", "student", "pension_tier"}:
        return int(cell) if cell.isdigit() else cell
    return cell


def test_xlsx_with_chinese_headers_runs_as_it_is(
    tmp_path: Path, reference: list[list[str]]
) -> None:
    """An .xlsx with 身份证号, 出生日期, 村居 ... headers, read through --columns, gives the
    same assessments as the CSV; malformed rows name their sheet row, as the CSV its line."""
    rows = example_rows()
    roster = tmp_path / "清册.xlsx"
    write_zh_workbook(roster, rows)
    same_but_short_rows(assessed(tmp_path, roster, "--columns", COLUMNS_ZH), reference, rows)


def same_but_short_rows(
    result: list[list[str]], reference: list[list[str]], rows: list[list[str]]
) -> None:
    """A sheet or a table has no short rows (a sheet stores no trailing empty cells), so the
    CSV's short rows, error rows there, are the only difference."""
    short = {index for index, row in enumerate(rows) if len(row) < len(rows[0])}
    assert short
    assert len(result) == len(reference)
    assert [r for i, r in enumerate(result) if i not in short] == [
        r for i, r in enumerate(reference) if i not in short
    ]


def test_xlsx_sheet_option(tmp_path: Path) -> None:
    """--sheet reads the named sheet, not the first; an unknown name is a file error."""
    roster = tmp_path / "book.xlsx"
    write_zh_workbook(roster, [r for r in example_rows() if len(r) >= 12], sheet="第二页")
    book = openpyxl.load_workbook(roster)
    book.create_sheet("说明", 0).append(["本表为清册"])
    book.save(roster)
    whole = [r for r in example_rows() if len(r) >= 12]
    plain = tmp_path / "whole.csv"
    with plain.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(whole)
    expected = assessed(tmp_path, plain)
    assert assessed(tmp_path, roster, "--columns", COLUMNS_ZH, "--sheet", "第二页") == expected
    code, _, err = batch(str(roster), "--columns", COLUMNS_ZH, "--sheet", "第三页")
    assert (code, "sheet: no sheet '第三页'" in err) == (1, True)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(None, "", id="empty"),
        pytest.param(1.0, "1", id="whole-float"),
        pytest.param(350, "350", id="int"),
        pytest.param(350.5, "350.5", id="float"),
        pytest.param(datetime.datetime(1962, 3, 15), "1962-03-15", id="datetime"),
        pytest.param(datetime.date(1962, 3, 15), "1962-03-15", id="date"),
        pytest.param(True, "true", id="bool"),
    ],
)
def test_cells_read_as_a_csv_export_shows_them(value: object, text: str) -> None:
    """Dates as YYYY-MM-DD, whole numbers without .0, so every format reads alike."""
    assert text_of(value) == text


def test_column_map_missing_column_is_a_file_error_with_did_you_mean(tmp_path: Path) -> None:
    """A header the map names but the sheet lacks (身份证 for 身份证号): exit 1, did you mean."""
    rows = example_rows()
    roster = tmp_path / "清册.xlsx"
    write_zh_workbook(roster, rows)
    book = openpyxl.load_workbook(roster)
    sheet = book.active
    assert sheet is not None
    sheet.cell(row=1, column=3).value = "身份证"
    book.save(roster)
    code, _, err = batch(str(roster), "--columns", COLUMNS_ZH)
    assert code == 1
    assert "row 1: 身份证号: the column named in" in err
    assert "did you mean '身份证'?" in err


def test_column_map_field_that_is_no_roster_field(tmp_path: Path) -> None:
    """A map sending 村居 to 'vilage': exit 1, naming the field and the close one."""
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  村居: vilage\n", encoding="utf-8")
    code, _, err = batch(str(EXAMPLE), "--columns", str(mapping))
    assert code == 1
    assert "'村居' maps to 'vilage', no roster field; did you mean 'village'?" in err


def test_parquet_in_and_out_round_trip(tmp_path: Path, reference: list[list[str]]) -> None:
    """A Parquet roster gives the CSV's assessments; a Parquet output holds them exactly,
    amounts as decimals (never floats), error rows with null amounts."""
    rows = example_rows()
    padded = [row + [""] * (len(rows[0]) - len(row)) for row in rows[1:]]
    table = pa.table({name: [row[i] for row in padded] for i, name in enumerate(rows[0])})
    roster = tmp_path / "roster.parquet"
    pq.write_table(table, roster)
    same_but_short_rows(assessed(tmp_path, roster), reference, rows)
    output = tmp_path / "out.parquet"
    code, _, err = batch(str(EXAMPLE), "-o", str(output), "--quiet")
    assert code == 0, err
    result = pq.read_table(output)
    assert result.schema.field("medical_individual").type == pa.decimal128(18, 2)
    as_text = [
        ["" if value is None else str(value) for value in row.values()]
        for row in result.to_pylist()
    ]
    assert [result.column_names, *as_text] == reference


def test_xlsx_output_with_chinese_labels(tmp_path: Path, reference: list[list[str]]) -> None:
    """--labels zh: the header in the policy's scheme labels and fixed words; amounts are
    numbers a collector can sum, the rows those of the CSV."""
    output = tmp_path / "out.xlsx"
    code, _, err = batch(str(EXAMPLE), "-o", str(output), "--labels", "zh", "--quiet")
    assert code == 0, err
    sheet = openpyxl.load_workbook(output).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("人员编号", "城乡居民基本养老保险状态", "城乡居民基本养老保险个人缴费")
    assert rows[0][-1] == "说明"
    assert isinstance(rows[1][2], (int, float))
    # Amounts as in the CSV; status words and messages in Chinese (test_output_delivered.py).
    amounts = [index for index, name in enumerate(reference[0]) if name.endswith(_MONEY)]
    assert [[text_of(row[i]) for i in [0, *amounts]] for row in rows[1:]] == [
        [_whole(row[i]) for i in [0, *amounts]] for row in reference[1:]
    ]
    words = {"eligible": "符合条件", "ineligible": "不符合条件", "error": "出错"}
    words |= {"not_paying": "未缴费", "referred": "待核定"}
    assert [row[1] for row in rows[1:]] == [words[row[1]] for row in reference[1:]]


_MONEY = ("_individual", "_government", "_sponsor", "_total")


def _whole(cell: str) -> str:
    """An amount as a spreadsheet number reads back: 400.00 is 400, 12.50 is 12.5."""
    try:
        number = float(cell)
    except ValueError:
        return cell
    return text_of(number) if "." in cell else cell


def test_errors_file_lists_malformed_rows_for_correction(tmp_path: Path) -> None:
    """--errors: one row per malformed row with its line, field, reason and cells as read;
    as many as the summary's malformed count."""
    errors = tmp_path / "errors.csv"
    code, out, err = batch(
        str(EXAMPLE), "-o", str(tmp_path / "out.csv"), "--errors", str(errors), "--quiet"
    )
    assert code == 0, err
    listed = csv_rows(errors)
    source = example_rows()
    assert listed[0] == ["line", "field", "reason", *source[0]]
    malformed = int(out.split("malformed: ")[1].split()[0])
    assert len(listed) - 1 == malformed > 0
    lines = {int(row[0]): row for row in listed[1:]}
    for line, row in lines.items():
        assert row[3:] == source[line - 1]  # no quoted newlines in the example: line = index+1


def test_errors_file_of_a_sheet_names_sheet_rows(tmp_path: Path) -> None:
    """For an .xlsx the line is the sheet's row number and the cells those of the sheet."""
    rows = [
        list(ZH_HEADER)[:6],
        ["P1", "", "甲", "城市社区", "1970-01-01", "local"],
        ["P2", "", "乙", "城市社区", "1970-02-30", "local"],
    ]
    roster = tmp_path / "清册.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([None])  # a blank row above the header: rows keep the sheet's numbers
    for row in rows:
        sheet.append(row)
    book.save(roster)
    errors = tmp_path / "errors.csv"
    code, _, err = batch(str(roster), "--errors", str(errors), "--quiet")
    assert code == 0, err
    listed = csv_rows(errors)
    assert [row[:2] for row in listed[1:]] == [["4", "birth_date"]]
    assert listed[1][3:] == rows[2]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("options", "shown"), [((), True), (("--quiet",), False)])
def test_progress_bar_on_a_terminal_unless_quiet(
    tmp_path: Path, options: tuple[str, ...], shown: bool
) -> None:
    """On a terminal stderr shows rows and rows/s; --quiet silences the bar (not the summary)."""
    out, err = io.StringIO(), _Terminal()
    code = run(["batch", POLICY, str(EXAMPLE), "-o", str(tmp_path / "o.csv"), *options], out, err)
    assert code == 0
    assert ("rows/s" in err.getvalue()) == shown
    assert out.getvalue().startswith("rows: 300")


def test_no_progress_bar_when_stderr_is_no_terminal(tmp_path: Path) -> None:
    """A log file gets no control characters."""
    code, _, err = batch(str(EXAMPLE), "-o", str(tmp_path / "o.csv"))
    assert (code, err) == (0, "")
