"""Masking for the public notice (READING, public notice; 个人信息保护法 Art. 25, 28), by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import contribpolicy
from _policy_edit import POLICY_2025
from contribpolicy.model.parts import IdMasking, NameMasking
from contribpolicy.reports.masking import mask_id_number, mask_in_full, mask_name

POLICY = contribpolicy.load_policy(POLICY_2025)
assert POLICY.notice is not None
NOTICE = POLICY.notice


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张明", "张*"),  # two characters: the given name is one character, hidden whole
        ("张三明", "张*明"),  # three: READING's own example
        ("张小三明", "张**明"),  # four, one-character surname
        ("欧阳明", "欧阳*"),  # compound surname, one-character given name
        ("欧阳娜娜", "欧阳*娜"),  # compound surname of the policy's list
        ("司马相如", "司马*如"),
        ("司马", "司*"),  # a listed surname with no given name is a two-character name
        ("王", "*"),
    ],
)
def test_names_masked_as_the_notice_pattern_says_5_5(name: str, masked: str) -> None:
    """Surname kept (a compound surname whole), last given-name character kept, rest masked."""
    assert mask_name(name, NOTICE.name, NOTICE.mask) == masked


def test_id_number_first_6_and_last_4_shown_with_x_check_digit() -> None:
    """An ID ending in X keeps its X: first 6 + ******** + last 4 (READING, public notice)."""
    masked = mask_id_number("37040619800101128x", NOTICE.id_number, NOTICE.mask)
    assert masked == "370406********128X"


def test_birth_date_hidden_even_when_the_pattern_would_show_it() -> None:
    """A pattern keeping 10 and 6 characters still hides the 7th-14th (the birth date)."""
    pattern = IdMasking(keep_first=10, keep_last=6)
    masked = mask_id_number("370406198001011234", pattern, "*")
    assert masked == "370406********1234"
    assert "19800101" not in masked
    assert pattern.birth_date_shown() == (7, 8, 9, 10, 13, 14)


def test_default_pattern_shows_no_birth_digit() -> None:
    """The 2025 policy's pattern keeps 6 + 4: no birth-date position is shown."""
    assert NOTICE.id_number.birth_date_shown() == ()


def test_malformed_or_blank_id_number_is_hidden_in_full() -> None:
    """Anything but 18 characters is all mask (a short number could be mostly birth date)."""
    assert mask_id_number("3704061980", NOTICE.id_number, "*") == "********"
    assert mask_id_number("", NOTICE.id_number, "*") == ""


def test_mask_in_full_hides_the_length_of_a_childs_name() -> None:
    """A child's name and ID are a fixed run of mask characters, whatever their length."""
    assert mask_in_full(NOTICE) == ("***", "********")


def test_surname_not_kept_masks_all_but_the_last() -> None:
    """With keep_surname false only the last given-name character shows."""
    assert mask_name("张三明", NameMasking(keep_surname=False, keep_last=1), "○") == "○○明"


_DIGITS = st.text(alphabet="0123456789", min_size=17, max_size=17)
_CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=6)


@given(
    number=_DIGITS,
    check=st.sampled_from("0123456789X"),
    keep_first=st.integers(0, 18),
    keep_last=st.integers(0, 18),
    hidden=st.none() | st.integers(1, 18),
)
def test_no_id_pattern_shows_a_birth_date_character(
    number: str, check: str, keep_first: int, keep_last: int, hidden: int | None
) -> None:
    """Whatever the pattern, nothing of the 7th-14th characters shows: at most 6 characters
    before the mask and only characters from the 15th on after it."""
    pattern = IdMasking(keep_first=keep_first, keep_last=keep_last, hidden=hidden)
    masked = mask_id_number(number + check, pattern, "*")
    head, _, tail = masked.partition("*")
    tail = tail.lstrip("*")
    assert len(head) <= 6
    assert (number + check).startswith(head)
    assert (number + check)[14:].endswith(tail)
    assert len(tail) <= 4


@given(name=_CJK)
def test_a_masked_name_keeps_its_length_and_shows_at_most_three_characters(name: str) -> None:
    """Masking hides characters, never adds or drops any; at most the surname (two for a
    compound one) and one given-name character show."""
    masked = mask_name(name, NOTICE.name, NOTICE.mask)
    assert len(masked) == len(name)
    assert sum(char != NOTICE.mask for char in masked) <= min(3, max(len(name) - 1, 0))
