"""What a static check reports: a finding with a stable code, a severity and a place in the file.

Codes and severities live in one table so the CLI, the SARIF rule list and docs/checks.md all
read the same list; a test fails when a code is missing from the docs.
"""

from __future__ import annotations

import attrs

from contribpolicy.errors import Location

__all__ = ["CODES", "ERROR", "WARNING", "Finding"]

ERROR, WARNING = "error", "warning"

#: Every finding code: its severity and a one-line summary (the SARIF rule description).
CODES: dict[str, tuple[str, str]] = {
    "check.gap": (ERROR, "Eligible people for whom nobody pays anything."),
    "check.no-one-eligible": (ERROR, "A scheme whose rules leave no one eligible."),
    "check.tier-unsubsidized": (ERROR, "An offered tier that gets no subsidy for some people."),
    "check.overlap": (ERROR, "Two rules of a kind that does not combine apply to one person."),
    "check.age-hole": (WARNING, "Age bands of one kind of rule leave ages between them out."),
    "check.age-overlap": (WARNING, "Age bands of one kind of rule share ages."),
    "check.dead-rule": (WARNING, "A rule that changes no outcome for anyone."),
    "check.unreachable": (ERROR, "A first_match entry that an earlier entry always takes."),
    "check.unread-status": (WARNING, "A declared status that no rule reads."),
    "check.unread-input": (WARNING, "A declared flag, choice or amount that no rule reads."),
    "check.relief-over-100": (ERROR, "Reliefs that add up to more than the individual part."),
    "check.parts-sum": (ERROR, "Amounts that do not add up to the declared total."),
    "check.rule-failed": (ERROR, "A rule kind's code failed, or gave a negative amount."),
    "check.too-many-classes": (ERROR, "The input space is too large to check exhaustively."),
    "check.unused-silence": (WARNING, "A silence entry that silences no finding."),
    "check.mask-shows-birth-date": (ERROR, "A notice's ID number pattern shows the birth date."),
    "check.villages-differ": (WARNING, "A roster's villages and the reference table differ."),
    "check.coverage-floor": (WARNING, "A least waiting period that is never above the fixed one."),
    "check.coverage-period": (WARNING, "A cover period declared for other schemes."),
}


@attrs.frozen
class Finding:
    """One problem a static check found, located like a load error.

    ``target`` names what the finding is about when that is not a rule (an input, a status, a
    scheme); ``counterexample`` is a ready-to-run policy test case (YAML) for a person who shows
    the problem; ``silenced`` is the policy's reason when a ``silence`` entry accepts it.
    """

    code: str
    message: str
    location: Location
    rule_id: str | None = None
    counterexample: str | None = None
    target: str | None = None
    related: tuple[Location, ...] = ()
    silenced: str | None = None

    @property
    def severity(self) -> str:
        """``"error"`` or ``"warning"``: how serious the finding's code is (``CODES``)."""
        return CODES[self.code][0]

    def __str__(self) -> str:
        suffix = f" [{self.rule_id}]" if self.rule_id else ""
        return f"{self.location}: {self.severity}: {self.message}{suffix}"
