"""One text-table module (issue 10): columns line up for Chinese text as a terminal shows it."""

from __future__ import annotations

from contribpolicy.support.tables import display_width, group_line, numeric, text_table


def test_chinese_characters_take_two_columns() -> None:
    """A village name such as 城关村 is six columns wide, not three."""
    assert display_width("城关村") == 6
    assert display_width("village") == 7
    assert display_width("（一）") == 6  # full-width brackets are wide too


def test_combining_marks_and_control_characters_take_none() -> None:
    """An accent that combines with the letter before it adds no column; nor does a control."""
    assert display_width("e\u0301") == 1
    assert display_width("a\x07b") == 2


def test_columns_line_up_under_chinese_text() -> None:
    """Text left-aligned, numbers right-aligned, two spaces apart, whatever the script."""
    lines = text_table([["village", "rows"], ["城关村", "12"], ["east", "3"]])
    assert lines == [
        "village  rows",
        "城关村     12",
        "east        3",
    ]
    assert len({display_width(line) for line in lines}) == 1


def test_left_columns_can_be_named() -> None:
    """``left`` fixes which columns are left-aligned, even when they hold numbers."""
    assert text_table([["id", "n"], ["7", "10"], ["12", "3"]], left=(0,)) == [
        "id   n",
        "7   10",
        "12   3",
    ]


def test_group_line_names_groups_above_their_first_column() -> None:
    """A group's name starts above the first column of its group, counting wide characters."""
    table = [["村", "a", "b"], ["城关村", "1", "2"]]
    assert group_line(table, {1: "医疗"}, indent=2) == "          医疗"


def test_numbers_are_recognised_with_signs_and_decimals() -> None:
    """+400.00, -3 and 12 are numbers; 1.2.3 and 四 are not."""
    assert all(numeric(cell) for cell in ("+400.00", "-3", "12"))
    assert not any(numeric(cell) for cell in ("1.2.3", "四", ""))
