"""Progress against the targets (三 任务目标, the attachment; READING's targets), by hand."""

# openpyxl ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import io
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import contribpolicy
from _policy_edit import POLICY_2025
from _report_roster import paid_of, roster_of
from contribpolicy import SchemeAssessment
from contribpolicy.cli import run
from contribpolicy.collection.payments import Payment
from contribpolicy.reports.charts import FontMissingError, behind_first_on, cjk_font
from contribpolicy.reports.payments import paid_from
from contribpolicy.reports.progress import (
    Progress,
    VillageProgress,
    is_exempt,
    phases_on,
    progress_of,
)
from contribpolicy.reports.progress_out import behind_first, progress_table, write_progress

POLICY = contribpolicy.load_policy(POLICY_2025)

#: Ages on 2025-01-01: a 54, b 35, c 75 (70+: exempt), d 44 with 低保 (exempt for medical, in
#: the 16-44 pension band), e 64 (60-69: half relief, not exempt, not in the pension),
#: f 45 (born 1979-12-31: the 45-59 band), g 25 in 花泉社区, h 40 in a village not in the table.
LINES = """\
a,,甲一,城市社区,1970-06-01,local,,350,
b,,乙二,城市社区,1990-01-01,local,,500,
c,,丙三,城市社区,1950-01-01,local,,,
d,,丁四,城市社区,1980-03-01,local,dibao,100,
e,,戊五,城市社区,1960-05-05,local,,,
f,,己六,城市社区,1979-12-31,local,,350,
g,,庚七,花泉社区,2000-01-01,local,,350,
h,,辛八,新村,1985-01-01,local,,350,
"""
PAID = """\
a,medical,2025,400.00,2024-11-01,agent,regular
a,pension,2025,350.00,2024-11-01,agent,regular
b,medical,2025,400.00,2024-11-02,self,regular
c,medical,2025,400.00,2024-11-02,government,regular
d,medical,2025,400.00,2024-11-03,government,regular
d,pension,2025,100.00,2024-11-03,agent,regular
f,medical,2025,400.00,2024-12-20,agent,regular
g,medical,2025,400.00,2024-11-05,agent,regular
g,pension,2025,350.00,2024-11-05,agent,regular
h,medical,2025,400.00,2024-11-05,agent,regular
h,medical,2024,400.00,2024-11-06,agent,back_payment
"""


def _progress(tmp_path: Path, day: date = date(2024, 12, 31)) -> Progress:
    roster = roster_of(POLICY, LINES)
    assert roster.malformed == ()
    return progress_of(POLICY, roster, paid_of(POLICY, tmp_path, PAID), day)


def _village(progress: Progress, name: str) -> VillageProgress:
    return next(v for v in progress.villages if v.village == name)


def test_exempt_are_the_five_statuses_and_70_plus_5_1() -> None:
    """低保 and 75 are exempt (the government pays the whole individual part); 64 is not."""

    def medical(record: dict[str, str]) -> SchemeAssessment:
        return POLICY.evaluate({"person_id": "x", "residence": "local", **record})["medical"]

    assert is_exempt(medical({"birth_date": "1980-03-01", "statuses": "dibao"}))
    assert is_exempt(medical({"birth_date": "1950-01-01"}))
    assert not is_exempt(medical({"birth_date": "1960-05-05"}))
    assert not is_exempt(medical({"birth_date": "1980-03-01", "medical_sponsor": "400"}))


def test_medical_paid_against_the_reference_count_without_the_exempt_3(tmp_path: Path) -> None:
    """城市社区: due a, b, e, f (c and d exempt); paid a, b, f: 3 of the table's 4230."""
    village = _village(_progress(tmp_path), "城市社区")
    medical = village.rates[0]
    assert (medical.paid, medical.due, village.medical_due) == (3, 4230, 4)
    assert medical.rate == Decimal("0.0007")
    assert medical.short == 4227


def test_payments_after_the_date_do_not_count_yet(tmp_path: Path) -> None:
    """On 2024-12-19, f's payment of 12-20 is not in: 2 of 4230."""
    medical = _village(_progress(tmp_path, date(2024, 12, 19)), "城市社区").rates[0]
    assert medical.paid == 2


def test_pension_rates_by_band_with_not_paid_in_the_denominator_3(tmp_path: Path) -> None:
    """45-59: a paid, f (45) did not: 50.00%, 1 short of 95% of 2 (ceil 1.9 = 2).
    16-44: b did not, d paid: 50.00%, 1 short of 60% of 2 (ceil 1.2 = 2)."""
    village = _village(_progress(tmp_path), "城市社区")
    older, younger = village.rates[1], village.rates[2]
    assert (older.target.id, older.paid, older.due, older.rate, older.short) == (
        "pension-payment-45-59", 1, 2, Decimal("0.5000"), 1,
    )  # fmt: skip
    assert (younger.target.id, younger.paid, younger.due, younger.rate, younger.short) == (
        "pension-payment-16-44", 1, 2, Decimal("0.5000"), 1,
    )  # fmt: skip


def test_village_not_in_the_table_is_against_its_own_count(tmp_path: Path) -> None:
    """新村 is not in the table: 1 paid of the roster's 1 (a 2024 back payment does not count)."""
    village = _village(_progress(tmp_path), "新村")
    assert (village.in_table, village.rates[0].paid, village.rates[0].due) == (False, 1, 1)


def test_table_villages_with_no_one_on_the_roster_are_listed(tmp_path: Path) -> None:
    """All 46 villages of the table appear, plus 新村; the subdistrict adds them all up."""
    progress = _progress(tmp_path)
    assert len(progress.villages) == 47
    assert not _village(progress, "王峪村").on_roster
    medical = progress.total.rates[0]
    assert (medical.paid, medical.due) == (5, 70487 - 4230 - 960 + 4230 + 960 + 1)


def test_phase_and_days_left_counting_the_day_itself_7() -> None:
    """2024-12-31 is the last day of both 12-31 phases: 1 day left; 2025-01-01 opens the notice
    phase with 31 days; 2024-09-01 is in preparation (40 days to 10-10) and the medical period."""
    assert [(p.period.id, p.days_left) for p in phases_on(POLICY, date(2024, 12, 31))] == [
        ("medical-concentrated", 1), ("concentrated-payment", 1),
    ]  # fmt: skip
    assert [(p.period.id, p.days_left) for p in phases_on(POLICY, date(2025, 1, 1))] == [
        ("publication", 31),
    ]
    assert [(p.period.id, p.days_left) for p in phases_on(POLICY, date(2024, 9, 1))] == [
        ("medical-concentrated", 122), ("preparation", 40),
    ]  # fmt: skip
    assert phases_on(POLICY, date(2025, 2, 1)) == ()


def test_daily_counts_accumulate_from_the_first_payment(tmp_path: Path) -> None:
    """Medical without the exempt: a on 11-01, b on 11-02, g and h on 11-05, f on 12-20."""
    daily = {count.day: dict(count.paid) for count in _progress(tmp_path).daily}
    assert daily[date(2024, 11, 1)] == {"pension": 1, "medical": 1}
    assert daily[date(2024, 11, 5)] == {"pension": 3, "medical": 4}
    assert daily[date(2024, 12, 31)] == {"pension": 3, "medical": 5}
    assert min(daily) == date(2024, 11, 1)


def test_villages_sorted_furthest_behind_first(tmp_path: Path) -> None:
    """The table's largest shortfall first: 城市社区 (4227 short) before 花泉社区."""
    order = [v.village for v in behind_first(_progress(tmp_path).villages)]
    assert order.index("城市社区") < order.index("花泉社区")
    assert order[-1] == "新村"


def test_progress_table_has_chinese_labels_by_default(tmp_path: Path) -> None:
    """Header words in Chinese for zh; the last row is the subdistrict's."""
    table = progress_table(_progress(tmp_path))
    assert table[0][:4] == ["村（居）", "参照人数", "清册应缴人数", "已缴人数"]
    assert table[-1][0] == "全街道"


def test_progress_command_writes_text_csv_and_charts(tmp_path: Path) -> None:
    """`progress --date` prints the table, writes CSV and .xlsx, and PNG/SVG charts."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "person_id,id_number,name,village,birth_date,residence,statuses,pension_tier,household_head\n"
        + LINES,
        "utf-8",
    )
    paid_of(POLICY, tmp_path, PAID)
    args = [
        str(POLICY_2025),
        str(roster),
        str(tmp_path / "payments.csv"),
        "--date",
        "2024-12-31",
        "--lang",
        "zh",
    ]
    out = io.StringIO()
    code = run(["progress", *args, "-o", str(tmp_path / "p.csv"), "--charts",
                str(tmp_path / "c")], out, io.StringIO(), io.StringIO())  # fmt: skip
    assert code == 0
    assert "剩余1天" in out.getvalue()
    assert (tmp_path / "p.csv").read_text("utf-8-sig").startswith("村（居）,参照人数")
    for name in ("c-targets.png", "c-targets.svg", "c-daily.png", "c-daily.svg"):
        assert (tmp_path / name).stat().st_size > 0


def test_check_warns_when_roster_villages_and_the_table_differ(tmp_path: Path) -> None:
    """新村 is not in the table; 44 table villages have no one on the roster: warnings, exit 1."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "person_id,id_number,name,village,birth_date,residence,statuses,pension_tier,household_head\n"
        + LINES,
        "utf-8",
    )
    out = io.StringIO()
    code = run(
        ["check", str(POLICY_2025), "--roster", str(roster)], out, io.StringIO(), io.StringIO()
    )
    lines = out.getvalue().splitlines()
    assert code == 1
    assert (
        sum("check.villages-differ" in line or "warning: village" in line for line in lines) == 45
    )
    assert any("'新村'" in line and "not in the reference table" in line for line in lines)


def test_chart_panels_put_the_furthest_behind_first(tmp_path: Path) -> None:
    """Pension 45-59 panel: 城市社区 (50%, short of 95%) before 花泉社区 and 新村, who have no
    one due in the band and so no rate to show; the medical panel follows the table."""
    progress = _progress(tmp_path)
    on_roster = [v for v in progress.villages if v.on_roster]
    older = [v.village for v in behind_first_on(on_roster, 1) if v.rates[1].due]
    assert older == ["城市社区"]
    younger = [(v.village, v.rates[2].rate) for v in behind_first_on(on_roster, 2)]
    assert younger[:3] == [
        ("新村", Decimal("0.0000")),
        ("城市社区", Decimal("0.5000")),
        ("花泉社区", Decimal("1.0000")),
    ]


def test_progress_workbook_and_csv_keep_a_formula_as_text(tmp_path: Path) -> None:
    """A village named like a formula is text in the CSV (a leading apostrophe) and in the
    .xlsx (a string cell); head counts are numbers in the workbook."""
    lines = LINES.replace("新村", "=HYPERLINK(x)")
    roster = roster_of(POLICY, lines)
    progress = progress_of(POLICY, roster, paid_of(POLICY, tmp_path, PAID), date(2024, 12, 31))
    write_progress(tmp_path / "p.csv", progress, "en")
    assert "'=HYPERLINK(x)" in (tmp_path / "p.csv").read_text("utf-8-sig")
    write_progress(tmp_path / "p.xlsx", progress, "en")
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    formula = next(cell for value, cell in cells.items() if str(value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"
    assert cells[4230].data_type == "n"


def test_a_payment_naming_only_the_id_number_is_matched_through_the_roster() -> None:
    """The payments file may name a person by ID number (issue 13): matched to the person_id."""
    payment = Payment("medical", 2025, Decimal("400.00"), date(2024, 11, 1), "self",
                      id_number="37040619800101128X")  # fmt: skip
    paid = paid_from([payment], 2025, {"37040619800101128X": "P9"})
    assert paid.has_paid("P9", "medical")
    assert not paid_from([payment], 2025).first_paid


def test_charts_use_the_packaged_cjk_font_when_none_is_installed(monkeypatch: Any) -> None:
    """A machine with only Python (no fonts-noto-cjk): the charts extra's Noto Sans CJK."""
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    assert cjk_font() == "Noto Sans CJK SC"


def test_charts_refuse_without_any_cjk_font(monkeypatch: Any) -> None:
    """No installed font and no font package: an error naming both ways, never empty boxes."""
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setitem(sys.modules, "noto_cjk_sans_otc", None)
    with pytest.raises(FontMissingError, match=r"contribpolicy\[charts\].*fonts-noto-cjk"):
        cjk_font()
