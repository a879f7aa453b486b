"""The public notices and the progress charts as people see them: rendered by headless Chromium
to PDF and PNG under build/browser/, then checked as a reader would find them.

- No page overflows A4: each notice page is one PDF page (content that does not fit spills onto
  another page, so the PDF's page count would exceed the notice's), and every page is A4.
- No tofu: every character of the page text is in the page font (Noto Sans CJK SC, from
  fontconfig), so nothing falls back to an empty box; the charts' font is a CJK font and
  matplotlib reports no missing glyph (warnings are errors).
- No private field: the PDF's text holds no birth date, name or ID number in clear, no status
  word or code, no relief or proxy word and no 0.00 part, for any person of the roster.
"""

from __future__ import annotations

import csv
import re
import warnings
from datetime import date
from pathlib import Path

import attrs
import pytest
from browser import A4_PX, missing_glyphs, pdf_pages, pdf_text, print_pdf, screenshot
from pages_data import PAYMENTS, ROSTER, hard_roster, paid_for

import contribpolicy
from contribpolicy.engine.records import roster_columns
from contribpolicy.reports.charts import CJK_FONTS, cjk_font, write_charts
from contribpolicy.reports.notice import FOOTER_ROWS, NoticePage, VillageNotice, village_notice
from contribpolicy.reports.notice_html import render_notices_html
from contribpolicy.reports.payments import Paid
from contribpolicy.reports.people import EXTRA_COLUMNS, Roster, assess_roster
from contribpolicy.reports.progress import progress_of
from contribpolicy.rosters._formats import open_roster

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "browser"
POLICY = contribpolicy.load_policy(ROOT / "policies" / "2025.yaml")


def _roster(path: Path) -> Roster:
    with open_roster(str(path), (*roster_columns(POLICY), *EXTRA_COLUMNS)) as source:
        return assess_roster(POLICY, source.reader)


@pytest.fixture(scope="module")
def example() -> tuple[Roster, Paid]:
    roster = _roster(ROSTER)
    return roster, paid_for(POLICY, PAYMENTS, roster)


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> tuple[Roster, Paid, Path]:
    """A village of 70 people: long and compound names, children under a head, every status."""
    path = tmp_path_factory.mktemp("hard") / "roster.csv"
    hard_roster(path)
    roster = _roster(path)
    return roster, paid_for(POLICY, None, roster), path


def _private_values(path: Path) -> list[str]:
    """What must never be on a page, from the roster file itself."""
    words: set[str] = set()
    with path.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            birth = row.get("birth_date", "").strip()
            if birth:
                words |= {birth, birth.replace("-", ""), _chinese_date(birth)}
            number = row.get("id_number", "").strip()
            if len(number) == 18:
                words |= {number, number[6:14]}
            if len(row.get("name", "").strip()) >= 2:
                words.add(row["name"].strip())
    words |= set(POLICY.vocabulary.statuses) | set(POLICY.vocabulary.statuses.values())
    words |= {"低保", "特困", "残疾", "代缴", "relief", "proxy", "subsidy"}
    return sorted(word for word in words if word)


def _chinese_date(iso: str) -> str:
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.year}年{day.month}月{day.day}日"


def _render(notices: list[VillageNotice], name: str, *, shot: bool) -> tuple[Path, str]:
    """The notices as one document: its PDF (and a screenshot of it) under build/browser/."""
    BUILD.mkdir(parents=True, exist_ok=True)
    page = BUILD / f"{name}.html"
    page.write_text(render_notices_html(notices), encoding="utf-8")
    pdf = page.with_suffix(".pdf")
    print_pdf(page, pdf)
    if shot:
        pages = sum(len(notice.pages) for notice in notices)
        screenshot(page, page.with_suffix(".png"), height=(A4_PX[1] + 30) * pages + 30)
    return pdf, pdf_text(pdf)


def _check_page(notices: list[VillageNotice], pdf: Path, text: str, private: list[str]) -> None:
    pages, size = pdf_pages(pdf)
    assert pages == sum(len(n.pages) for n in notices), f"{pdf.name}: a page overflows A4"
    assert "(A4)" in size
    assert not missing_glyphs(text), f"{pdf.name}: no glyph for {sorted(missing_glyphs(text))}"
    for notice in notices:
        assert notice.village in text.replace("\n", "")
    flat = re.sub(r"\s+", "", text)
    leaked = [word for word in private if re.sub(r"\s+", "", word) in flat]
    assert leaked == [], f"{pdf.name}: private values on the page: {leaked}"
    assert not re.search(r"(?<![0-9,.])0\.00", flat), f"{pdf.name}: a 0.00 amount is shown"


def test_example_notices_fit_a4_with_no_tofu_and_nothing_private(
    example: tuple[Roster, Paid],
) -> None:
    """Every village of the example roster: one PDF page per notice page, A4, all glyphs."""
    roster, paid = example
    notices = [village_notice(POLICY, roster, village, paid) for village in roster.villages()]
    _render(notices[:1], "notice-first-village", shot=True)
    pdf, text = _render(notices, "notices-all-villages", shot=False)
    _check_page(notices, pdf, text, _private_values(ROSTER))


def test_long_village_notice_pages_under_the_household_head(
    hard: tuple[Roster, Paid, Path], tmp_path: Path
) -> None:
    """70 people over several pages, children listed under the head: still A4 page by page."""
    roster, paid, path = hard
    text = (ROOT / "policies" / "2025.yaml").read_text("utf-8")
    (tmp_path / "2025.yaml").write_text(
        text.replace("show: masked}", "show: under_head}"), encoding="utf-8"
    )
    policy = contribpolicy.load_policy(tmp_path / "2025.yaml")
    notice = village_notice(policy, roster, roster.villages()[0], paid)
    assert len(notice.pages) >= 3
    assert any(line.under for page in notice.pages for line in page.lines)
    pdf, page_text = _render([notice], "notice-long-under-head", shot=True)
    _check_page([notice], pdf, page_text, _private_values(path))


def test_fullest_pages_still_fit_a4(hard: tuple[Roster, Paid, Path]) -> None:
    """The worst case: a full page of rows_per_page lines, then a last page holding as many
    lines as the paging leaves room for beside the total, notes and sign-offs."""
    roster, paid, path = hard
    notice = village_notice(POLICY, roster, roster.villages()[0], paid)
    lines = [line for page in notice.pages for line in page.lines]
    size = POLICY.notice.rows_per_page if POLICY.notice is not None else 0
    room = size - FOOTER_ROWS
    assert len(lines) >= size + room
    pages = (
        NoticePage(1, tuple(lines[:size]), notice.pages[0].subtotal),
        NoticePage(2, tuple(lines[size : size + room]), notice.pages[-1].subtotal),
    )
    fullest = attrs.evolve(notice, pages=pages)
    pdf, text = _render([fullest], "notice-fullest-pages", shot=True)
    _check_page([fullest], pdf, text, _private_values(path))


def test_checks_catch_an_overflowing_page_and_a_missing_glyph(
    hard: tuple[Roster, Paid, Path],
) -> None:
    """The checks can fail: one page of every line spills over A4; a character no CJK font
    has is reported as a missing glyph."""
    roster, paid, path = hard
    notice = village_notice(POLICY, roster, roster.villages()[0], paid)
    lines = tuple(line for page in notice.pages for line in page.lines)
    crammed = attrs.evolve(notice, pages=(NoticePage(1, lines, notice.total),))
    pdf, text = _render([crammed], "notice-overflowing", shot=False)
    with pytest.raises(AssertionError, match="overflows A4"):
        _check_page([crammed], pdf, text, _private_values(path))
    assert missing_glyphs("公示\U0001f600\u0bf5") == {"\U0001f600", "\u0bf5"}


def test_charts_use_a_cjk_font_with_no_missing_glyph(example: tuple[Roster, Paid]) -> None:
    """Both charts, PNG and SVG, with Noto CJK; a missing glyph would be a warning = error."""
    roster, paid = example
    assert cjk_font() in CJK_FONTS
    progress = progress_of(POLICY, roster, paid, date(2024, 12, 31))
    BUILD.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lang in ("zh", "en"):
            written = write_charts(progress, BUILD / f"progress-{lang}", lang)
            assert sorted(path.suffix for path in written) == [".png", ".png", ".svg", ".svg"]
