"""Masking names and ID numbers for the public notice (公示), as the policy's settings say.

个人信息保护法 Art. 25 and 28 (READING, public notice): a notice shows enough for a resident to
find their own line (``张*明``, ``370406********123X``) and nothing more. Whatever a pattern
says, the birth date inside an ID number never shows: ``check`` refuses such a pattern, and
these functions hide those characters anyway, so a pattern that slipped through still leaks
nothing.
"""

from __future__ import annotations

from contribpolicy.model.parts import IdMasking, NameMasking, Notice

__all__ = ["mask_id_number", "mask_in_full", "mask_name", "surname_of"]

#: How many mask characters stand for a name or ID hidden in full: a fixed width, so the
#: length of a child's name is not shown either.
_FULL_NAME = 3


def surname_of(name: str, compound_surnames: frozenset[str]) -> str:
    """The surname: two characters when they are a listed compound surname (复姓) and a given
    name follows, else the first character."""
    if name[:2] in compound_surnames and len(name) > 2:
        return name[:2]
    return name[:1]


def mask_name(name: str, pattern: NameMasking, mask: str) -> str:
    """``张明`` -> ``张*``, ``张三明`` -> ``张*明``, ``欧阳娜娜`` -> ``欧阳*娜``.

    A one-character given name is hidden whole (showing its last character would show all of
    it); a name of one character is hidden whole.
    """
    name = name.strip()
    if len(name) <= 1:
        return mask * len(name)
    surname = surname_of(name, pattern.compound_surnames) if pattern.keep_surname else ""
    given = name[len(surname) :] if surname else name
    keep = pattern.keep_last if len(given) > 1 else 0
    hidden = len(given) - keep
    return surname + mask * hidden + given[len(given) - keep :]


def mask_id_number(number: str, pattern: IdMasking, mask: str) -> str:
    """First and last characters as the pattern says, the middle as mask characters.

    Anything but an 18-character number (blank, a malformed cell) is hidden in full; the
    birth-date characters (7th to 14th) are hidden whatever the pattern says.
    """
    number = number.strip().upper()
    if len(number) != IdMasking.LENGTH:
        return mask * (pattern.hidden or IdMasking.LENGTH) if number else ""
    shown = [
        char
        if (index < pattern.keep_first or index >= IdMasking.LENGTH - pattern.keep_last)
        and index not in IdMasking.BIRTH_DATE
        else mask
        for index, char in enumerate(number)
    ]
    head = "".join(shown[: min(pattern.keep_first, 6)])
    tail = "".join(shown[max(IdMasking.LENGTH - pattern.keep_last, 14) :])
    middle = IdMasking.LENGTH - len(head) - len(tail)
    return head + mask * (pattern.hidden or middle) + tail


def mask_in_full(notice: Notice) -> tuple[str, str]:
    """The name and ID number of someone hidden in full (a child under the notice's age)."""
    return notice.mask * _FULL_NAME, notice.mask * (notice.id_number.hidden or IdMasking.LENGTH)
