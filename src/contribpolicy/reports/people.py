"""The roster read and assessed once for the reports: who is on it, in which village, of what
age, and what each scheme says about them.

These records hold private data (the name and ID number in clear, the assessment with its
statuses); they never reach a page. Pages are built from ``notice.NoticeLine`` and
``progress`` figures, whose types have no field for any of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

import attrs

from contribpolicy.collection.reconcile import EXTRA_ROSTER_FIELDS
from contribpolicy.engine.records import RecordParser
from contribpolicy.errors import InputError
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import Assessment
from contribpolicy.rosters.reader import RosterRow

__all__ = ["EXTRA_COLUMNS", "Assessed", "Roster", "assess_roster"]

#: Roster columns the reports accept beyond the policy's inputs: ``household_head`` is the
#: person_id of the head of the household a child is listed under (notice ``under_head``); the
#: columns reconciliation reads are accepted too, so one roster serves both.
EXTRA_COLUMNS = ("household_head", *EXTRA_ROSTER_FIELDS)


@attrs.frozen
class Assessed:
    """One person of the roster with what the reports need to know of them."""

    line: int
    person_id: str
    village: str
    name: str
    id_number: str
    age: int
    household_head: str
    assessment: Assessment


@attrs.frozen
class Roster:
    """Every row of a roster accounted for: assessed, or malformed with its reason."""

    people: tuple[Assessed, ...]
    malformed: tuple[InputError, ...]

    def villages(self) -> list[str]:
        """The villages in the order the roster first names them."""
        return list(dict.fromkeys(person.village for person in self.people))

    def of_village(self, village: str) -> Iterator[Assessed]:
        """The people of one village, in roster order."""
        return (person for person in self.people if person.village == village)

    def dues(self) -> dict[tuple[str, str], Decimal]:
        """What the collection channels must bring in for each person and scheme (their own
        part, the sponsor's and the government's on their behalf): paid in full is paid."""
        return {
            (person.person_id, scheme): assessed.contribution
            for person in self.people
            for scheme, assessed in person.assessment.items()
        }


def assess_roster(policy: Policy, rows: Iterable[RosterRow]) -> Roster:
    """Assess each row (a malformed one is kept with its reason, never dropped)."""
    parser = RecordParser(policy)
    people: list[Assessed] = []
    malformed: list[InputError] = []
    seen: dict[str, int] = {}
    for line, record, problem in rows:
        if problem is not None:
            malformed.append(problem)
            continue
        try:
            people.append(_assessed(policy, parser, line, record, seen))
        except InputError as err:
            malformed.append(err.at_row(line))
    return Roster(tuple(people), tuple(malformed))


def _assessed(
    policy: Policy, parser: RecordParser, line: int, record: dict[str, str], seen: dict[str, int]
) -> Assessed:
    extra = {name: record.pop(name, "").strip() for name in EXTRA_COLUMNS}
    parsed = parser.parse(record)
    if parsed.person_id in seen:
        raise InputError(
            "person_id", f"repeats the person_id of line {seen[parsed.person_id]}", row=line
        )
    seen[parsed.person_id] = line
    return Assessed(
        line,
        parsed.person_id,
        parsed.village,
        record.get("name", "").strip(),
        record.get("id_number", "").strip(),
        parsed.facts.age,
        extra["household_head"],
        policy.evaluate(record),
    )
