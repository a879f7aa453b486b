"""Checks of the data for people, not amounts: the notice's masking and the reference table.

- ``check.mask-shows-birth-date``: an ID-number pattern that would show any of the 7th to 14th
  characters, the birth date (GB 11643); birth dates are never shown on a notice (READING,
  public notice; 个人信息保护法 Art. 28).
- ``check.villages-differ``: a roster's villages and the reference table (the attachment) do
  not name the same places, so progress against the table would be wrong or missing for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from contribpolicy.checks._context import Context
from contribpolicy.checks._locate import Locator
from contribpolicy.checks.findings import Finding
from contribpolicy.model.policy import Policy

__all__ = ["check_notice", "check_villages"]


def check_notice(context: Context) -> Iterator[Finding]:
    """A notice mask that would show the birth date (check.mask-shows-birth-date)."""
    notice = context.policy.notice
    if notice is None:
        return
    shown = notice.id_number.birth_date_shown()
    if shown:
        positions = ", ".join(str(position) for position in shown)
        yield Finding(
            "check.mask-shows-birth-date",
            f"the ID number pattern (keep_first {notice.id_number.keep_first}, keep_last "
            f"{notice.id_number.keep_last}) would show characters {positions} of the birth date "
            "(the 7th to 14th); keep at most the first 6 and the last 4",
            context.locator.at("/notice/masking/id_number"),
            target="id_number",
        )


def check_villages(policy: Policy, villages: Iterable[str], roster: str) -> list[Finding]:
    """Warnings for a roster village missing from the reference table, and the reverse."""
    reference = policy.reference_counts
    if reference is None:
        return []
    at = Locator(policy).at("/reference_counts/counts")
    on_roster = list(dict.fromkeys(village for village in villages if village))
    found = [
        Finding(
            "check.villages-differ",
            f"village {village!r} of {roster} is not in the reference table ({reference.label})",
            at,
            target=village,
        )
        for village in on_roster
        if village not in reference.counts
    ]
    found += [
        Finding(
            "check.villages-differ",
            f"village {village!r} of the reference table has no one on {roster}",
            at,
            target=village,
        )
        for village in reference.counts
        if village not in on_roster
    ]
    return found
