"""The plan's numbers that are not amounts: periods, channels, targets, reference counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from _policy_edit import edit, issues_of, keys, position
from contribpolicy import Policy


def test_reference_counts_are_the_attachment(policy_2025: Policy) -> None:
    """附件: 46 villages and communities, 70,487 people, 城市社区 4230 and 东水峪村 950."""
    counts = policy_2025.reference_counts
    assert counts is not None
    assert counts.scheme == "medical"
    assert counts.cite == "附件"
    assert len(counts.counts) == 46
    assert counts.total == 70487
    assert counts.counts["城市社区"] == 4230
    assert counts.counts["东水峪村"] == 950
    assert list(counts.counts)[:2] == ["城市社区", "花泉社区"]


def test_targets_of_section_3(policy_2025: Policy) -> None:
    """三: medical 应保尽保; pension payment rates 95% at 45-59 and 60% at 16-44 (45 goes to
    the stricter band, a decision)."""
    targets = {target.id: target for target in policy_2025.targets}
    medical = targets["medical-coverage"]
    assert (medical.scheme, medical.measure, medical.rate) == ("medical", "coverage", Decimal(1))
    older = targets["pension-payment-45-59"]
    assert (older.min_age, older.max_age, older.rate) == (45, 59, Decimal("0.95"))
    younger = targets["pension-payment-16-44"]
    assert (younger.min_age, younger.max_age, younger.rate) == (16, 44, Decimal("0.6"))
    assert {target.cite for target in targets.values()} == {"三"}


def test_collection_periods_of_5_2_and_7(policy_2025: Policy) -> None:
    """五（二） and 七: the concentrated medical period and the three phases, with their dates."""
    periods = {period.id: (period.start, period.end) for period in policy_2025.collection.periods}
    assert periods == {
        "medical-concentrated": (date(2024, 9, 1), date(2024, 12, 31)),
        "preparation": (date(2024, 9, 1), date(2024, 10, 10)),
        "concentrated-payment": (date(2024, 10, 11), date(2024, 12, 31)),
        "publication": (date(2025, 1, 1), date(2025, 1, 31)),
    }
    channels = [channel.id for channel in policy_2025.collection.channels]
    assert channels == ["entrusted", "self-declared", "special"]


def test_period_ending_before_it_starts_is_reported(tmp_path: Path) -> None:
    """A period whose end is before its start is reported at the end date."""
    text = edit(("      end: 2024-10-10", "      end: 2024-08-10"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "end: 2024-08-10", "2024-08-10")
    assert keys(issues) == [("/collection/periods/1/end", line, column, "semantic.empty-range")]


def test_target_of_unknown_scheme_is_reported(tmp_path: Path) -> None:
    """A target naming a scheme the policy lacks is reported at the scheme name."""
    text = edit(
        ("    scheme: medical\n    measure: coverage", "    scheme: medicl\n    measure: coverage")
    )
    issues = issues_of(tmp_path, text)
    line, column = position(text, "scheme: medicl", "medicl")
    assert keys(issues) == [("/targets/0/scheme", line, column, "semantic.unknown-scheme")]


def test_negative_reference_count_is_reported(tmp_path: Path) -> None:
    """A head count is a whole number of people, never negative."""
    text = edit(("    城市社区: 4230", "    城市社区: -4230"))
    issues = issues_of(tmp_path, text)
    line, column = position(text, "城市社区: -4230", "-4230")
    assert keys(issues) == [("/reference_counts/counts/城市社区", line, column, "schema.minimum")]
