"""The short words of reconciliation outputs, in the reader's language, from the catalog.

Sentences are translated where they are written (``translator(lang).gettext("...")``); the
words here are labels shown in several places, each with its context so that "paid" as a
column and "paid" as a status may be translated apart.
"""

from __future__ import annotations

from contribpolicy.i18n import translator

__all__ = ["label", "status_word"]


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
