"""The words of reconciliation outputs, in the reader's language, from the catalog.

Sentences are translated where they are written (``translator(lang).gettext("...")``); the
words here are labels shown in several places, each with its context so that "paid" as a
column and "paid" as a status may be translated apart.
"""

from __future__ import annotations

from typing import Any

from contribpolicy.i18n import translator

__all__ = ["label", "row_message", "status_word"]


def label(lang: str, name: str) -> str:
    """A column or table label of the summary (``due``, ``village``, a refund recipient...)."""
    t = translator(lang)
    words = {
        "status": t.pgettext("reconciliation", "status"),
        "rows": t.pgettext("reconciliation", "rows"),
        "due": t.pgettext("reconciliation", "due"),
        "paid": t.pgettext("reconciliation", "paid"),
        "refund": t.pgettext("reconciliation", "refund"),
        "refunds due": t.pgettext("reconciliation", "refunds due"),
        "village": t.pgettext("reconciliation", "village"),
        "channel": t.pgettext("reconciliation", "channel"),
        "total": t.pgettext("reconciliation", "total"),
        "balanced": t.pgettext("reconciliation", "balanced"),
        "person": t.pgettext("refund to", "person"),
        "heirs": t.pgettext("refund to", "heirs"),
        "government": t.pgettext("refund to", "government"),
        "sponsor": t.pgettext("refund to", "sponsor"),
    }
    return words[name]


def status_word(lang: str, status: str) -> str:
    """A reconciliation status in words (the CSV keeps the code)."""
    t = translator(lang)
    words = {
        "paid": t.pgettext("reconciliation status", "paid"),
        "underpaid": t.pgettext("reconciliation status", "underpaid"),
        "overpaid": t.pgettext("reconciliation status", "overpaid"),
        "unpaid": t.pgettext("reconciliation status", "unpaid"),
        "duplicate": t.pgettext("reconciliation status", "duplicate"),
        "not_on_roster": t.pgettext("reconciliation status", "not on the roster"),
        "deceased": t.pgettext("reconciliation status", "paid after death"),
        "not_eligible": t.pgettext("reconciliation status", "not eligible"),
        "government_via_agent": t.pgettext("reconciliation status", "government part via agent"),
    }
    return words[status]


def row_message(lang: str, current: int, status: str, **facts: Any) -> str:
    """The ``message`` of a reconciled row: what was due and paid, and the refund, in words.

    ``facts``: ``year`` (paid for), ``due``, ``paid``, ``refund`` (Decimal), ``reason`` (why
    nothing is due), ``died`` (the death date as the roster gives it), ``collected`` (what the
    agent or the person paid), ``government`` (what the government pays)."""
    t = translator(lang)
    parts = []
    if facts["year"] != current:
        parts.append(t.gettext("back payment for {year}", year=facts["year"]))
    due, paid, refund, died = facts["due"], facts["paid"], facts["refund"], facts["died"]
    if status == "deceased":
        parts.append(t.gettext("died {date}, before {year}: refund {refund}",
                               date=died, year=current, refund=refund))  # fmt: skip
    elif status == "not_eligible":
        parts.append(t.gettext("not eligible ({reason}): refund {refund}",
                               reason=facts["reason"], refund=refund))  # fmt: skip
    elif status == "unpaid" and not due:
        reason = facts["reason"]
        if died and not reason:
            reason = t.gettext("died {date}, before {year}", date=died, year=current)
        parts.append(t.gettext("nothing due: {reason}", reason=reason or "0"))
    elif status == "unpaid":
        parts.append(t.gettext("nothing paid; {due} due", due=due))
    elif status == "government_via_agent":
        parts.append(
            t.gettext(
                "an agent collected {collected} of which the government pays {government}: "
                "refund {refund} to the person; the government pays through the special "
                "channel",
                collected=facts["collected"],
                government=facts["government"],
                refund=refund,
            )
        )
    elif refund:
        parts.append(t.gettext("paid {paid}, {due} due: refund {refund}",
                               paid=paid, due=due, refund=refund))  # fmt: skip
    else:
        parts.append(t.gettext("paid {paid} of {due} due", paid=paid, due=due))
    return "; ".join(parts)
