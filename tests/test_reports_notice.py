"""The public notice (公示, 五（五）, 七（三）): what it shows, what it never shows, its pages."""

# openpyxl ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

import contribpolicy
from _policy_edit import POLICY_2025, POLICY_TEXT, replace_once, write
from _report_roster import paid_of, roster_of
from contribpolicy.cli import run
from contribpolicy.reports.notice import (
    FOOTER_ROWS,
    NoticeLine,
    Tally,
    VillageNotice,
    village_notice,
)
from contribpolicy.reports.notice_html import render_notice_html
from contribpolicy.reports.notice_xlsx import write_notice_xlsx
from contribpolicy.reports.payments import Paid

POLICY = contribpolicy.load_policy(POLICY_2025)

#: 城市社区: a 低保 member (medical individual part 0.00), a grade-1 disabled person (pension
#: proxy), someone of 75 (70+ relief), a child of 13 and one of 14, with their household head.
LINES = """\
P1,370406198001011239,张三明,城市社区,1980-01-01,local,dibao,350,
P2,370406198502021232,欧阳娜娜,城市社区,1985-02-02,local,disability_1,,
P3,37040619490303129X,李四,城市社区,1949-03-03,local,,,
P4,370406201106151232,王小明,城市社区,2011-06-15,local,,,P1
P5,370406201012311231,赵小红,城市社区,2010-12-31,local,,,P1
"""
PAID = """\
P1,medical,2025,400.00,2024-11-01,government,regular
P1,pension,2025,350.00,2024-11-01,agent,regular
P2,pension,2025,100.00,2024-11-02,government,regular
P3,medical,2025,400.00,2024-11-03,government,regular
P4,medical,2025,400.00,2024-11-04,agent,regular
"""

#: Every private value of LINES: birth dates in both spellings, names and ID numbers in clear,
#: the status words and labels, the relief and proxy words, a zero individual part.
PRIVATE = [
    "1980-01-01", "19800101", "1985-02-02", "19850202", "1949-03-03", "19490303",
    "2011-06-15", "20110615", "2010-12-31", "20101231",
    "张三明", "欧阳娜娜", "李四", "王小明", "赵小红", "370406198001011239",
    "dibao", "disability", "低保", "残疾", "特困", "relief", "proxy", "代缴",
]  # fmt: skip


def _notice(
    tmp_path: Path, policy: contribpolicy.Policy = POLICY, lines: str = LINES
) -> VillageNotice:
    roster = roster_of(policy, lines)
    return village_notice(policy, roster, "城市社区", paid_of(policy, tmp_path, PAID, roster))


def test_notice_line_has_no_field_for_anything_private() -> None:
    """By construction: a notice line holds a masked name and ID, scheme, standard, paid."""
    assert list(attrs.fields_dict(NoticeLine)) == [
        "number", "name", "id_number", "scheme", "standard", "paid", "under", "short",
    ]  # fmt: skip


def test_notice_lines_masked_with_standard_amount_and_paid_5_5(tmp_path: Path) -> None:
    """Worked by hand: P1 (低保, medical individual 0.00) shows the standard 400.00 and paid;
    P3 (75, not in the pension) one medical line; the child of 13 (P4) hidden in full, the one
    of 14 (P5, born 2010-12-31, 14 on 2025-01-01) masked as an adult."""
    notice = _notice(tmp_path)
    lines = [line for page in notice.pages for line in page.lines]
    shown = [
        (line.name, line.id_number, line.scheme[-4:], line.standard, line.paid) for line in lines
    ]
    standard = Decimal("400.00")
    assert shown == [
        ("张*明", "370406********1239", "养老保险", None, True),
        ("张*明", "370406********1239", "医疗保险", standard, True),
        ("欧阳*娜", "370406********1232", "养老保险", None, True),
        ("欧阳*娜", "370406********1232", "医疗保险", standard, False),
        ("李*", "370406********129X", "医疗保险", standard, True),
        ("***", "********", "医疗保险", standard, True),
        ("赵*红", "370406********1231", "医疗保险", standard, False),
    ]
    assert (notice.total.lines, notice.total.paid, notice.total.amount) == (
        7,
        5,
        Decimal("1200.00"),
    )


def test_underpaid_person_is_short_not_paid_on_the_notice_5_5(tmp_path: Path) -> None:
    """P1 chose the 350 pension tier (五（一）) and paid 300: the notice shows 未缴足 and
    counts the line as not paid (it showed 已缴费 when any payment counted); P1's medical
    400.00, paid in full by the government's channel, stays paid."""
    roster = roster_of(POLICY, LINES)
    short = PAID.replace("P1,pension,2025,350.00", "P1,pension,2025,300.00")
    notice = village_notice(POLICY, roster, "城市社区", paid_of(POLICY, tmp_path, short, roster))
    first, second = notice.pages[0].lines[:2]
    assert (first.scheme[-4:], first.paid, first.short) == ("养老保险", False, True)
    assert (second.scheme[-4:], second.paid, second.short) == ("医疗保险", True, False)
    assert (notice.total.lines, notice.total.paid) == (7, 4)
    page = render_notice_html(notice)
    assert page.count("未缴足") == 1


def test_two_payments_that_add_up_to_the_tier_are_paid_on_the_later_day_5_5(
    tmp_path: Path,
) -> None:
    """350 paid as 200 on 2024-11-01 and 150 on 2024-11-20 is paid in full from the 20th."""
    roster = roster_of(POLICY, LINES)
    split = PAID.replace(
        "P1,pension,2025,350.00,2024-11-01,agent,regular",
        "P1,pension,2025,200.00,2024-11-01,agent,regular\n"
        "P1,pension,2025,150.00,2024-11-20,agent,regular",
    )
    paid = paid_of(POLICY, tmp_path, split, roster)
    assert paid.first_paid["P1", "pension"] == date(2024, 11, 20)
    assert not paid.is_short("P1", "pension")


def test_child_of_13_listed_under_the_household_head_when_the_policy_says_so(
    tmp_path: Path,
) -> None:
    """children.show under_head: the child of 13 follows the head's lines, pointing at them."""
    text = replace_once(POLICY_TEXT, "show: masked}", "show: under_head}")
    policy = contribpolicy.load_policy(write(tmp_path, text))
    notice = _notice(tmp_path, policy, LINES.replace("P5,", "P6,", 1).replace("P6,", "P5,", 1))
    lines = [line for page in notice.pages for line in page.lines]
    child = [line for line in lines if line.name == "***"]
    assert [(line.number, line.under) for line in child] == [(3, 1)]
    assert [line.number for line in lines] == list(range(1, 8))


def test_pages_carry_subtotals_that_add_up_to_the_total(tmp_path: Path) -> None:
    """rows_per_page 5 over 7 lines: the last page keeps room for the sign-offs, so the lines
    are shared 5 / 1 / 1 and each page's subtotal counts its own lines."""
    text = replace_once(POLICY_TEXT, "rows_per_page: 32", "rows_per_page: 5")
    notice = _notice(tmp_path, contribpolicy.load_policy(write(tmp_path, text)))
    assert [len(page.lines) for page in notice.pages] == [5, 1, 1]
    assert [page.subtotal.paid for page in notice.pages] == [4, 1, 0]
    assert (
        sum((page.subtotal for page in notice.pages[1:]), notice.pages[0].subtotal) == notice.total
    )


def test_notice_period_issuer_and_sign_offs_from_the_policy_7_3(tmp_path: Path) -> None:
    """The period is the policy's publication phase (2025-01-01..01-31); issuer and sign-offs."""
    html = render_notice_html(_notice(tmp_path))
    assert "公示期：2025年1月1日至2025年1月31日" in html
    assert "公示单位：山城街道办事处" in html
    for who in ("村（居）委会主任", "代办员", "街道医保岗", "街道人社岗"):
        assert who in html


def test_no_private_field_in_the_html_or_the_workbook(tmp_path: Path) -> None:
    """No birth date, clear name or ID, status, relief/proxy word or 0.00 part on the page."""
    notice = _notice(tmp_path)
    html = render_notice_html(notice) + render_notice_html(notice, "en")
    write_notice_xlsx(tmp_path / "n.xlsx", [notice])
    sheet = openpyxl.load_workbook(tmp_path / "n.xlsx").active
    cells = " ".join(f"{cell.value}<" for row in sheet.iter_rows() for cell in row if cell.value)
    for value in PRIVATE:
        assert value not in html
        assert value not in cells
    assert not re.search(r"(?<![0-9,.])0\.00", html + cells)


def test_village_name_is_escaped_in_the_html(tmp_path: Path) -> None:
    """A roster cell holding markup is shown as text (autoescape), never run."""
    lines = LINES.replace("城市社区", "<script>alert(1)</script>")
    policy = POLICY
    notice = village_notice(
        policy,
        roster_of(policy, lines),
        "<script>alert(1)</script>",
        paid_of(policy, tmp_path, PAID),
    )
    html = render_notice_html(notice)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_workbook_is_a4_with_repeated_header_and_page_breaks(tmp_path: Path) -> None:
    """Same lines as the HTML; A4 portrait, header row repeated, a break after each page."""
    text = replace_once(POLICY_TEXT, "rows_per_page: 32", "rows_per_page: 5")
    notice = _notice(tmp_path, contribpolicy.load_policy(write(tmp_path, text)))
    write_notice_xlsx(tmp_path / "n.xlsx", [notice])
    sheet = openpyxl.load_workbook(tmp_path / "n.xlsx")["城市社区"]
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.print_title_rows == "$3:$3"
    assert [brk.id for brk in sheet.row_breaks.brk] == [9, 11]
    assert sheet["B4"].value == "张*明"


def test_formula_in_a_village_name_stays_text_in_the_workbook(tmp_path: Path) -> None:
    """A village cell such as =HYPERLINK(...) is written as a string, not a formula."""
    name = '=HYPERLINK("http://x","y")'
    lines = LINES.replace("城市社区", '"=HYPERLINK(""http://x"",""y"")"')
    notice = village_notice(POLICY, roster_of(POLICY, lines), name, paid_of(POLICY, tmp_path, PAID))
    write_notice_xlsx(tmp_path / "n.xlsx", [notice])
    sheet = openpyxl.load_workbook(tmp_path / "n.xlsx").active
    assert sheet["A1"].data_type == "s"


def test_notice_command_writes_html_xlsx_and_a_folder(tmp_path: Path) -> None:
    """`notice --village` to .html and .xlsx; `--all` writes one page per village."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "person_id,id_number,name,village,birth_date,residence,statuses,pension_tier,household_head\n"
        + LINES,
        "utf-8",
    )
    paid_of(POLICY, tmp_path, PAID)
    inputs = [str(POLICY_2025), str(roster), str(tmp_path / "payments.csv")]
    for out in ("n.html", "n.xlsx"):
        code = run(["notice", *inputs, "--village", "城市社区", "-o", str(tmp_path / out)],
                   io.StringIO(), io.StringIO(), io.StringIO())  # fmt: skip
        assert code == 0
        assert (tmp_path / out).stat().st_size > 0
    code = run(["notice", *inputs, "--all", "-o", str(tmp_path / "all")],
               io.StringIO(), io.StringIO(), io.StringIO())  # fmt: skip
    assert code == 0
    assert sorted(path.name for path in (tmp_path / "all").iterdir()) == [
        "01-城市社区.html", "all.html", "notices.xlsx",
    ]  # fmt: skip


def test_notice_command_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    """-o naming the roster is refused (exit 2) and the roster is unchanged."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "person_id,id_number,name,village,birth_date,residence,statuses,pension_tier,household_head\n"
        + LINES,
        "utf-8",
    )
    paid_of(POLICY, tmp_path, PAID)
    before = roster.read_bytes()
    err = io.StringIO()
    args = [str(POLICY_2025), str(roster), str(tmp_path / "payments.csv")]
    code = run(
        ["notice", *args, "--village", "城市社区", "-o", str(roster)],
        io.StringIO(),
        err,
        io.StringIO(),
    )
    assert (code, roster.read_bytes()) == (2, before)
    assert "overwrite" in err.getvalue()


@settings(max_examples=30, deadline=None)
@given(size=st.integers(5, 34), people=st.integers(1, 40))
def test_every_line_on_one_page_and_subtotals_add_up(size: int, people: int) -> None:
    """For any page size and village size: lines numbered 1..n across the pages in order, no
    page over the size, the last leaving room for the sign-offs, subtotals adding up."""
    assert POLICY.notice is not None
    policy = attrs.evolve(POLICY, notice=attrs.evolve(POLICY.notice, rows_per_page=size))
    lines = "".join(f"Q{i},,王{i}明,城市社区,1980-01-01,local,,350,\n" for i in range(people))
    roster = roster_of(policy, lines)
    notice = village_notice(policy, roster, "城市社区", Paid({}))
    numbers = [line.number for page in notice.pages for line in page.lines]
    assert numbers == list(range(1, 2 * people + 1))
    assert all(len(page.lines) <= size for page in notice.pages)
    assert len(notice.pages[-1].lines) <= max(size - FOOTER_ROWS, 1)
    assert sum((page.subtotal for page in notice.pages), Tally()) == notice.total


def test_notice_from_an_xlsx_roster_with_chinese_headers(tmp_path: Path) -> None:
    """An agent's .xlsx with Chinese headers, read through the example column map."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "清册"
    header = "人员编号 身份证号 姓名 村居 出生日期 户籍 身份类别 养老缴费档次"
    sheet.append([*header.split(), "参加职工养老", "参加职工医疗", "在校学生", "医疗资助"])
    for line in LINES.splitlines():
        sheet.append([*line.split(",")[:8], "否", "否", "否", None])
    book.save(tmp_path / "清册.xlsx")
    paid_of(POLICY, tmp_path, PAID)
    columns = Path(__file__).resolve().parent.parent / "examples" / "columns-zh.yaml"
    args = [str(POLICY_2025), str(tmp_path / "清册.xlsx"), str(tmp_path / "payments.csv")]
    err = io.StringIO()
    code = run(["notice", *args, "--columns", str(columns), "--sheet", "清册",
                "--village", "城市社区", "-o", str(tmp_path / "n.html")],
               io.StringIO(), err, io.StringIO())  # fmt: skip
    assert (code, err.getvalue().count("could not be read")) == (0, 0), err.getvalue()
    assert "欧阳*娜" in (tmp_path / "n.html").read_text("utf-8")


def test_notice_workbook_is_byte_identical_across_runs(tmp_path: Path) -> None:
    """The same inputs give the same .xlsx bytes (issue 15: openpyxl stamped the save time in
    docProps/core.xml and each zip entry); zip times have a two-second resolution."""
    import time

    roster = tmp_path / "roster.csv"
    roster.write_text(
        "person_id,id_number,name,village,birth_date,residence,statuses,pension_tier,household_head\n"
        + LINES,
        "utf-8",
    )
    paid_of(POLICY, tmp_path, PAID)
    inputs = [str(POLICY_2025), str(roster), str(tmp_path / "payments.csv")]
    written = []
    for number in range(2):
        out = tmp_path / f"n{number}.xlsx"
        code = run(["notice", *inputs, "--village", "城市社区", "-o", str(out)],
                   io.StringIO(), io.StringIO(), io.StringIO())  # fmt: skip
        assert code == 0
        written.append(out.read_bytes())
        time.sleep(2.1)
    assert written[0] == written[1]


def test_the_children_note_states_the_policy_s_age_not_a_built_in_one(tmp_path: Path) -> None:
    """The note under the table says the policy's ``children.under_age`` (14 in 2025; a county
    that hides people under 16 gets 16 in the HTML and the workbook alike)."""
    text = replace_once(POLICY_TEXT, "under_age: 14", "under_age: 16")
    policy = contribpolicy.load_policy(write(tmp_path, text))
    notice = _notice(tmp_path, policy)
    assert "未满16周岁人员的姓名和身份证号码全部隐去。" in render_notice_html(notice)
    write_notice_xlsx(tmp_path / "n.xlsx", [notice])
    cells = [
        cell
        for row in openpyxl.load_workbook(tmp_path / "n.xlsx").active.iter_rows(values_only=True)
        for cell in row
    ]
    assert "未满16周岁人员的姓名和身份证号码全部隐去。" in cells
