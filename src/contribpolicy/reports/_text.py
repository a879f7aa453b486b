"""Every word the reports print, marked once in English for the message catalog
(``contribpolicy.i18n``; the Chinese is in the zh ``.po``, docs/messages.md).

Templates get these as a mapping of keys to translated text (``labels(lang)``), so a page's words
come from the catalog and its markup from the template. ``{fields}`` are filled where shown.
"""

from __future__ import annotations

from collections.abc import Mapping

from contribpolicy.i18n import N_, translator

__all__ = ["labels"]

#: Key in the templates and tables -> the English message (the catalog's msgid).
_MESSAGES: Mapping[str, str] = {
    "notice": N_("public notice of payments"),
    "village": N_("Village"),
    "number": N_("No."),
    "name": N_("Name"),
    "id_number": N_("ID number"),
    "scheme": N_("Scheme"),
    "standard": N_("Standard (yuan)"),
    "paid_column": N_("Payment"),
    "paid": N_("paid"),
    "unpaid": N_("not paid"),
    #: Paid something, less than is due: not paid in the tally.
    "short": N_("paid in part"),
    "no_amount": N_("-"),
    "page": N_("Page {page} of {pages}"),
    "tally": N_(
        "{lines} lines, {paid} paid, {unpaid} not paid, standard amounts paid {amount} yuan"
    ),
    "period": N_("Notice period: {start} to {end}"),
    "issuer": N_("Issued by: {issuer}"),
    "basis": N_("Under: {title} ({cite})"),
    "contact": N_(
        "Objections to this notice: to the village committee or the "
        "subdistrict's medical or pension desk, within the notice period."
    ),
    "children_masked": N_("Names and ID numbers of people under {age} are hidden in full."),
    "children_under_head": N_(
        "Names and ID numbers of people under {age} are hidden in full and "
        "listed under the household head."
    ),
    "under": N_(" (under the head on line {line})"),
    "signature": N_("Signature:"),
    "date_line": N_("Date:"),
    "date": N_("{year}-{month:02d}-{day:02d}"),
    "progress": N_("Collection progress"),
    "medical_target": N_("Medical: paid / reference count"),
    "pension_target": N_("Pension payment rate (ages {band})"),
    "reference": N_("Reference"),
    "roster_count": N_("Due on roster"),
    "paid_count": N_("Paid"),
    "rate": N_("Rate"),
    "behind": N_("Short (people)"),
    "eligible": N_("Due"),
    "not_in_table": N_(" (not in the reference table)"),
    "daily": N_("People paid so far, whole subdistrict"),
    "day": N_("Date"),
    "people": N_("People"),
    "as_of": N_("as of {date}"),
    "all_villages": N_("Subdistrict"),
    "medical": N_("medical"),
    "pension": N_("pension"),
    "subtotal_line": N_("Page subtotal: {tally}"),
    "total_line": N_("Total: {tally}"),
    "rate_target": N_("Rate (target {target})"),
    "phase_line": N_("Phase: {label} ({start} to {end}), days left: {days}"),
    "phase_none": N_("Phase: none of the collection phases"),
}


def labels(lang: str) -> Mapping[str, str]:
    """Every report word in ``lang`` (``zh`` or ``en``), fields not yet filled."""
    words = translator(lang)
    return {key: words.gettext(message) for key, message in _MESSAGES.items()}
