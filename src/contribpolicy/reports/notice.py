"""The public notice (公示) of a village's payment roster, as lines and pages (五（五）, 七（三）).

Leaking a private field is impossible by construction: a page is built only from
``NoticeLine``, whose fields are a masked name, a masked ID number, a scheme, the standard
amount and paid / not paid. There is no field a disability grade, an assistance status, a
relief or proxy split, a birth date or an individual part could be put in (READING, public
notice; 个人信息保护法 Art. 25, 28). The standard amount is the individual part a rule set
before any relief, proxy payment or sponsorship: the same for everyone it applies to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from contribpolicy.errors import ContribPolicyError
from contribpolicy.model.parts import Notice, Period
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import ELIGIBLE, NOT_PAYING, SchemeAssessment
from contribpolicy.reports.masking import mask_id_number, mask_in_full, mask_name
from contribpolicy.reports.payments import Paid
from contribpolicy.reports.people import Assessed, Roster

__all__ = [
    "FOOTER_ROWS",
    "LISTED",
    "NoticeError",
    "NoticeLine",
    "NoticePage",
    "Tally",
    "VillageNotice",
    "notice_period",
    "village_notice",
]

#: Scheme statuses of people on the payment roster: those due to pay, whether they chose to
#: or not (``not_paying``, issue 11: in the denominator of the payment rates, 三). The
#: ineligible are on no payment roster.
LISTED = frozenset({ELIGIBLE, NOT_PAYING})


#: Table rows' worth of height the total, the notes and the sign-offs take on the last page.
FOOTER_ROWS = 7


class NoticeError(ContribPolicyError, ValueError):
    """A notice cannot be made: the policy has no ``notice`` settings, or a village is unknown."""


@attrs.frozen
class NoticeLine:
    """One line of a notice: everything it shows, and nothing else (see the module docstring).

    ``under`` is the number of the household head's line a child is listed under, if any.
    """

    number: int
    name: str
    id_number: str
    scheme: str
    standard: Decimal | None
    paid: bool
    under: int | None = None
    #: Paid something, but less than is due (未缴足): not paid, and shown as short.
    short: bool = False


@attrs.frozen
class Tally:
    """Lines, paid and not paid, and the standard amounts of the lines paid."""

    lines: int = 0
    paid: int = 0
    amount: Decimal = Decimal("0.00")

    @property
    def unpaid(self) -> int:
        """The lines not yet paid."""
        return self.lines - self.paid

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.lines + other.lines, self.paid + other.paid, self.amount + other.amount)


@attrs.frozen
class NoticePage:
    """One printed page of a village's notice: its lines and their subtotal."""

    number: int
    lines: tuple[NoticeLine, ...]
    subtotal: Tally


@attrs.frozen
class VillageNotice:
    """A village's notice: the heading, the pages with their subtotals, the total, sign-offs."""

    village: str
    title: str
    issuer: str
    cite: str
    period: Period
    pages: tuple[NoticePage, ...]
    total: Tally
    sign_offs: tuple[str, ...]
    children_note: str
    #: People under this age are hidden in full or listed under the head (the policy's
    #: ``notice.children.under_age``): the note under the table says so.
    child_age: int


def notice_period(policy: Policy, notice: Notice) -> Period:
    """The collection phase during which the notice is posted (its dates come from there)."""
    for period in policy.collection.periods:
        if period.id == notice.period:
            return period
    raise NoticeError(f"the policy has no collection period {notice.period!r}")


def _settings(policy: Policy) -> Notice:
    if policy.notice is None:
        raise NoticeError("the policy has no notice settings (a `notice:` section)")
    return policy.notice


def village_notice(policy: Policy, roster: Roster, village: str, paid: Paid) -> VillageNotice:
    """The notice of one village, every listed person and scheme in roster order."""
    notice = _settings(policy)
    people = list(roster.of_village(village))
    if not people:
        raise NoticeError(f"no one on the roster lives in {village!r}")
    lines = _lines(policy, notice, _ordered(notice, people), paid)
    pages = tuple(
        NoticePage(number, tuple(chunk), _tally(chunk))
        for number, chunk in enumerate(_paged(lines, notice.rows_per_page), start=1)
    )
    return VillageNotice(
        village=village,
        title=policy.title,
        issuer=notice.issuer,
        cite=notice.cite,
        period=notice_period(policy, notice),
        pages=pages,
        total=_tally(lines),
        sign_offs=notice.sign_offs,
        children_note=notice.children,
        child_age=notice.child_age,
    )


def _paged(lines: Sequence[NoticeLine], size: int) -> list[Sequence[NoticeLine]]:
    """Lines cut into pages of ``size``; the last page keeps room for the total and sign-offs
    (when it would not, its lines are shared with a page before it)."""
    pages = [lines[index : index + size] for index in range(0, len(lines), size)] or [lines]
    room = max(size - FOOTER_ROWS, 1)
    if len(pages[-1]) > room:
        last = pages.pop()
        kept = min(room, (len(last) + 1) // 2)
        pages.extend([last[:-kept], last[-kept:]])
    return pages


def _ordered(notice: Notice, people: Sequence[Assessed]) -> list[tuple[Assessed, str | None]]:
    """People in roster order, each with the person_id of the head they are listed under:
    with ``under_head``, a child comes right after the head when the head is in the village."""
    if notice.children != "under_head":
        return [(person, None) for person in people]
    ids = {person.person_id for person in people}
    children: dict[str, list[Assessed]] = {}
    for person in people:
        if person.age < notice.child_age and person.household_head in ids:
            children.setdefault(person.household_head, []).append(person)
    listed: list[tuple[Assessed, str | None]] = []
    placed = {child.person_id for group in children.values() for child in group}
    for person in people:
        if person.person_id in placed:
            continue
        listed.append((person, None))
        listed.extend((child, person.person_id) for child in children.get(person.person_id, []))
    return listed


def _lines(
    policy: Policy, notice: Notice, people: Iterable[tuple[Assessed, str | None]], paid: Paid
) -> list[NoticeLine]:
    lines: list[NoticeLine] = []
    head_line: dict[str, int] = {}
    for person, head in people:
        child = person.age < notice.child_age
        if child:
            name, id_number = mask_in_full(notice)
        else:
            name = mask_name(person.name, notice.name, notice.mask)
            id_number = mask_id_number(person.id_number, notice.id_number, notice.mask)
        for scheme, assessed in person.assessment.items():
            if assessed.status not in LISTED:
                continue
            number = len(lines) + 1
            head_line.setdefault(person.person_id, number)
            lines.append(
                NoticeLine(
                    number,
                    name,
                    id_number,
                    policy.schemes[scheme].label,
                    _standard(assessed) if notice.amounts.get(scheme) == "standard" else None,
                    paid.has_paid(person.person_id, scheme),
                    head_line.get(head) if head is not None else None,
                    paid.is_short(person.person_id, scheme),
                )
            )
    return lines


def _standard(assessed: SchemeAssessment) -> Decimal | None:
    """The individual part the premium or tier rule set, before anyone helped."""
    standard = None
    for entry in assessed.trace:
        if "individual" in entry.changes:
            standard = entry.changes["individual"]
    return standard


def _tally(lines: Sequence[NoticeLine]) -> Tally:
    paid = [line for line in lines if line.paid]
    amount = sum((line.standard for line in paid if line.standard is not None), Decimal("0.00"))
    return Tally(len(lines), len(paid), amount)
