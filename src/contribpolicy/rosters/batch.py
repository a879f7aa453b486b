"""Batch assessment of a roster: one output row per input row, and the totals that check it.

Every input row comes out exactly once, in order: a malformed row is an ``error`` row naming its
field and line, never a crash nor a silent gap. The totals per village exist for "钱表相符" (七):
money collected must match the roster, village by village.

A person must not pay twice (七). The first row with a person_id or ID number is assessed; a
later row with the same person_id, or the same ID number (compared in its ASCII, upper-case
form), is an ``error`` row naming the line of the first, counted as malformed and left out of
the totals, whatever became of the first row: the collector keeps one row per person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from contribpolicy.engine.evaluation import Evaluator
from contribpolicy.engine.values import ascii_form
from contribpolicy.errors import InputError, PluginError
from contribpolicy.i18n import N_
from contribpolicy.model.person import RecordLimits
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import (
    ELIGIBLE,
    ERROR,
    INELIGIBLE,
    NOT_PAYING,
    REFERRED,
    Amounts,
    Assessment,
    Status,
)
from contribpolicy.rosters._wording import Wording
from contribpolicy.rosters.reader import RosterRow
from contribpolicy.support.jsonable import json_ready

__all__ = ["BatchSummary", "Duplicate", "SchemeSummary", "VillageSummary", "run_batch"]

_STATUSES = tuple(Status)


@attrs.frozen
class SchemeSummary:
    """Status counts of one scheme; ``malformed`` rows are counted apart, in the batch.

    ``not_paying`` (eligible, no tier chosen, nobody pays for them) and ``referred`` (核定) are
    counted apart from ``error``: together with ``malformed`` the counts add up to the rows.
    """

    eligible: int
    ineligible: int
    error: int
    amounts: Amounts
    not_paying: int = 0
    referred: int = 0

    @property
    def assessed(self) -> int:
        """The well-formed rows: every status counted once."""
        return self.eligible + self.ineligible + self.error + self.not_paying + self.referred


@attrs.frozen
class VillageSummary:
    """One village's rows and its money per scheme, for checking collections against it."""

    village: str
    rows: int
    malformed: int
    amounts: Mapping[str, Amounts]


@attrs.frozen
class Duplicate:
    """A person_id or id_number met again: the plan warns against paying twice (七)."""

    field: str
    value: str
    first_line: int
    line: int


@attrs.frozen
class BatchSummary:
    """What a batch run produced; per scheme, ``eligible + ineligible + error + not_paying +
    referred + malformed == rows``."""

    rows: int
    malformed: int
    schemes: Mapping[str, SchemeSummary]
    villages: tuple[VillageSummary, ...]
    duplicates: tuple[Duplicate, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, amounts as exact strings."""
        return {
            "rows": self.rows,
            "malformed": self.malformed,
            "schemes": {
                name: {
                    ELIGIBLE.value: scheme.eligible,
                    INELIGIBLE.value: scheme.ineligible,
                    ERROR.value: scheme.error,
                    NOT_PAYING.value: scheme.not_paying,
                    REFERRED.value: scheme.referred,
                    "malformed": self.malformed,
                    **scheme.amounts.to_dict(),
                }
                for name, scheme in self.schemes.items()
            },
            "villages": [
                {
                    "village": village.village,
                    "rows": village.rows,
                    "malformed": village.malformed,
                    "schemes": json_ready(village.amounts),
                }
                for village in self.villages
            ],
            "duplicates": json_ready(self.duplicates),
        }


class _Tally:
    """The mutable counters behind a ``BatchSummary``, kept lean: this runs for every row.

    Money is summed per village only (three amounts per scheme, in scheme order); the scheme
    totals are the sums of the village totals, made once at the end.
    """

    def __init__(self, schemes: Sequence[str], zero: Decimal) -> None:
        self.schemes = tuple(schemes)
        self.zero = zero
        self.rows = 0
        self.malformed = 0
        self.counts: list[dict[Status, int]] = [dict.fromkeys(_STATUSES, 0) for _ in schemes]
        self.village_rows: dict[str, list[int]] = {}  # rows, malformed
        self.village_money: dict[str, list[Decimal]] = {}
        self.first_person: dict[str, int] = {}
        self.first_id: dict[str, int] = {}
        self.duplicates: list[Duplicate] = []

    def row(self, line: int, record: Mapping[str, str]) -> tuple[str, Duplicate | None]:
        """Count a row in its village and note repeated identities; returns the village and
        the identity this row repeats, if any."""
        self.rows += 1
        village = record.get("village", "").strip()
        counts = self.village_rows.get(village)
        if counts is None:
            counts = self.village_rows[village] = [0, 0]
            self.village_money[village] = [self.zero] * (3 * len(self.schemes))
        counts[0] += 1
        repeated = None
        person_id = record.get("person_id", "").strip()
        if person_id and self.first_person.setdefault(person_id, line) != line:
            repeated = self._repeated("person_id", person_id, self.first_person, line)
        id_number = ascii_form(record.get("id_number", "")).upper()
        if id_number and self.first_id.setdefault(id_number, line) != line:
            repeated = self._repeated("id_number", id_number, self.first_id, line) or repeated
        return village, repeated

    def _repeated(self, field: str, value: str, first: Mapping[str, int], line: int) -> Duplicate:
        duplicate = Duplicate(field, value, first[value], line)
        self.duplicates.append(duplicate)
        return duplicate

    def malformed_row(self, village: str) -> None:
        self.malformed += 1
        self.village_rows[village][1] += 1

    def assessed(self, village: str, assessment: Assessment) -> None:
        money = self.village_money[village]
        results = assessment.schemes
        base = 0
        for name, counts in zip(self.schemes, self.counts, strict=True):
            result = results[name]
            status = result.status
            counts[status] += 1
            if status == ELIGIBLE:
                money[base] += result.individual
                money[base + 1] += result.government
                money[base + 2] += result.sponsor
            base += 3

    def summary(self) -> BatchSummary:
        zero = self.zero
        per_village = {
            village: {
                name: Amounts(*values[3 * index : 3 * index + 3])
                for index, name in enumerate(self.schemes)
            }
            for village, values in self.village_money.items()
        }
        schemes = {}
        for name, counts in zip(self.schemes, self.counts, strict=True):
            amounts = [village[name] for village in per_village.values()]
            total = Amounts(
                sum((a.individual for a in amounts), zero),
                sum((a.government for a in amounts), zero),
                sum((a.sponsor for a in amounts), zero),
            )
            schemes[name] = SchemeSummary(
                counts[ELIGIBLE],
                counts[INELIGIBLE],
                counts[ERROR],
                total,
                counts[NOT_PAYING],
                counts[REFERRED],
            )
        villages = tuple(
            VillageSummary(village, rows, malformed, per_village[village])
            for village, (rows, malformed) in self.village_rows.items()
        )
        return BatchSummary(self.rows, self.malformed, schemes, villages, tuple(self.duplicates))


def run_batch(
    policy: Policy,
    rows: Iterable[RosterRow],
    write: Callable[[list[str]], object],
    *,
    limits: RecordLimits | None = None,
    on_error: Callable[[int, InputError], object] | None = None,
    wording: Wording | None = None,
    keep: Sequence[str] = (),
) -> BatchSummary:
    """Assess every row and ``write`` one output row for each, in input order.

    Traces are never built here (they are produced only when read), and only the output row
    and the counters are made per person: this loop is what large rosters spend their time in.
    ``limits`` bounds the records' values (``RecordLimits``) instead of the defaults.
    ``on_error(line, error)`` is called for each malformed row, before its output row is
    written (``--errors`` writes the row's cells for correction). ``wording`` says the status
    words and messages in a reader's language (``--lang zh``) instead of the codes' English.
    """
    schemes = tuple(policy.schemes)
    error_row: Callable[[str, int, InputError], list[str]] = _error_row
    assessment_row: Callable[[Assessment, Sequence[str]], list[str]] = _assessment_row
    if wording is not None:
        error_row, assessment_row = _worded_rows(wording)
    tally = _Tally(schemes, policy.money.round(0))
    evaluate = policy.evaluate if limits is None else Evaluator(policy, limits=limits).evaluate
    for line, record, problem in rows:
        village, repeated = tally.row(line, record)
        error = problem
        if error is None and repeated is not None:
            error = _repeat_error(repeated)
        if error is None:
            try:
                assessment = evaluate(record)
            except InputError as err:
                error = err.at_row(line)
            except PluginError as err:  # the rule kind's bug: stop, saying where it struck
                err.add_note(f"while assessing line {line}")
                raise
        if error is not None:
            tally.malformed_row(village)
            if on_error is not None:
                on_error(line, error)
            row = error_row(record.get("person_id", "").strip(), len(schemes), error)
        else:
            tally.assessed(village, assessment)
            row = assessment_row(assessment, schemes)
        if keep:
            row[1:1] = [record.get(field, "").strip() for field in keep]
        write(row)
    return tally.summary()


_REPEATS = N_("{shown} repeats line {first}: each person is assessed once (七), on the first row")


def _repeat_error(repeated: Duplicate) -> InputError:
    return InputError.of(
        repeated.field,
        _REPEATS,
        value=repeated.value,
        row=repeated.line,
        shown=repeated.value,
        first=repeated.first_line,
    )


def _error_row(person_id: str, schemes: int, error: InputError) -> list[str]:
    """The row of a person who cannot be assessed; cells as read, escaped (if at all) by the
    writer of a spreadsheet-bound format (``support.cells``), never for Parquet."""
    return [person_id, *((ERROR.value, "", "", "", "") * schemes), str(error)]


def _assessment_row(assessment: Assessment, schemes: Sequence[str]) -> list[str]:
    row = [assessment.person_id]
    messages = []
    results = assessment.schemes
    for name in schemes:
        result = results[name]
        row += (
            result.status,
            str(result.individual),
            str(result.government),
            str(result.sponsor),
            str(result.total),
        )
        if result.message:
            messages.append(f"{name}: {result.message}")
    row.append("; ".join(messages))
    return row


def _worded_rows(
    wording: Wording,
) -> tuple[
    Callable[[str, int, InputError], list[str]], Callable[[Assessment, Sequence[str]], list[str]]
]:
    """``_error_row`` and ``_assessment_row`` with ``wording``'s status words and messages."""
    error_word = wording.status(ERROR)

    def error_row(person_id: str, schemes: int, error: InputError) -> list[str]:
        cells = (error_word, "", "", "", "") * schemes
        return [person_id, *cells, wording.row_error(error)]

    def assessment_row(assessment: Assessment, schemes: Sequence[str]) -> list[str]:
        row = _assessment_row(assessment, schemes)
        for index in range(len(schemes)):
            row[1 + 5 * index] = wording.status(row[1 + 5 * index])
        results = assessment.schemes
        row[-1] = wording.separator.join(
            wording.scheme_message(name, message)
            for name in schemes
            if (message := results[name].message)
        )
        return row

    return error_row, assessment_row
