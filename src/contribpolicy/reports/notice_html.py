"""The notice as printable A4 HTML, rendered from a Jinja2 template with autoescaping on.

Every value on the page (a village name from the roster, a policy's title) goes through the
template's escaping, so a cell holding markup is shown as text, never run.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from importlib.resources import files
from typing import Any

from contribpolicy.reports._extras import needs
from contribpolicy.reports._text import labels
from contribpolicy.reports.notice import Tally, VillageNotice

__all__ = ["render_notice_html", "render_notices_html"]


@functools.cache
def _environment() -> Any:
    jinja2 = needs("jinja2", "the notice")
    return jinja2.Environment(
        loader=jinja2.PackageLoader("contribpolicy.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_notice_html(notice: VillageNotice, language: str = "zh") -> str:
    """The whole HTML document of one village's notice."""
    return render_notices_html([notice], language)


def render_notices_html(notices: Sequence[VillageNotice], language: str = "zh") -> str:
    """One document with every village's notice, each starting on a page of its own."""
    words = labels(language)

    def children_of(notice: VillageNotice) -> str:
        return words[f"children_{notice.children_note}"].format(age=notice.child_age)

    css = files("contribpolicy.reports").joinpath("templates/notice.css").read_text("utf-8")
    template = _environment().get_template("notice.html.j2")
    return str(
        template.render(
            notices=notices,
            t=words,
            lang="zh-CN" if language == "zh" else "en",
            css=css,
            children_of=children_of,
            day=functools.partial(_day, words),
            money=_money,
            tally=functools.partial(_tally, words),
        )
    )


def _day(words: Any, day: date) -> str:
    return str(words["date"].format(year=day.year, month=day.month, day=day.day))


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _tally(words: Any, tally: Tally) -> str:
    return str(
        words["tally"].format(
            lines=tally.lines, paid=tally.paid, unpaid=tally.unpaid, amount=_money(tally.amount)
        )
    )
