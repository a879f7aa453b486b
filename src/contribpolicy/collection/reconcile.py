"""Reconciliation (钱表相符, 七（二）): the roster's dues against the payments, to the fen.

One row per person and scheme (and per earlier year back-paid), one per payment that matches
nobody, each with exactly one status of ``STATUSES``; refunds (退费, 六（二）6, 六（六）) say how
much and to whom. The roster is read in blocks and assessed with the columnar machinery
(``columnar._dues``); the payments are held as columns (``_ledger.Ledger``), so memory grows
with the payments file's columns, never with Python objects per roster row.

Python API (stable; the public notice and progress reports build on it)::

    from contribpolicy.collection import reconcile, read_payments

    result = reconcile(policy, "roster.csv", "payments.csv")   # paths, or records / Payments
    for row in result.rows: row.person_id, row.scheme, row.status, row.refund, row.refund_to
    result.summary.balanced, result.summary.exit_code, result.summary.villages["王峪村"]

This module is the matching: ``Reconciler.block(rows)`` per roster block, then ``finish()``
for the payments that matched nobody. ``run`` holds the entry points, ``rows`` the rows.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from contribpolicy.collection._classify import (
    DECEASED,
    NOT_ON_ROSTER,
    PAID,
    STATUSES,
    UNPAID,
    Classified,
    Dues,
    classify,
)
from contribpolicy.collection._keys import RECIPIENT_OF, death_date_of, group_keys, id_key
from contribpolicy.collection._ledger import Ledger
from contribpolicy.collection._messages import row_message
from contribpolicy.collection._summary import RECIPIENTS, StatusTally, Summary, Terms
from contribpolicy.collection.payments import CHANNELS
from contribpolicy.collection.rows import ReconciliationRow
from contribpolicy.columnar._dues import ELIGIBLE, ERROR, BlockDues, dues_of
from contribpolicy.engine.records import roster_columns
from contribpolicy.errors import InputError
from contribpolicy.i18n import translator
from contribpolicy.model.policy import Policy
from contribpolicy.rosters.reader import RosterRow

__all__ = ["BLOCK_ROWS", "DECEASED", "EXTRA_ROSTER_FIELDS", "STATUSES", "Reconciler"]

#: Roster fields reconciliation reads besides the policy's: the date a person died (六（六）,
#: from 派出所 data, 六（八）) and the years they were insured before (for waiting periods).
EXTRA_ROSTER_FIELDS = ("death_date", "insured_years")
#: Roster rows assessed at a time.
BLOCK_ROWS = 1 << 16
IntArray = npt.NDArray[np.int64]


@attrs.frozen(eq=False)
class _Block:
    """A roster block as reconciliation needs it."""

    lines: list[int]
    records: Sequence[Mapping[str, str]]
    dues: BlockDues
    dead: npt.NDArray[np.bool_]
    bad: npt.NDArray[np.bool_]
    person_keys: pa.Array
    id_keys: pa.Array


class Reconciler:
    """Reconciles roster blocks against a ledger of payments, adding up as it goes."""

    def __init__(self, policy: Policy, ledger: Ledger, *, lang: str = "en") -> None:
        self.policy = policy
        self.ledger = ledger
        self.lang = lang
        self.year = policy.coverage_year
        self.first_day = date(self.year, 1, 1).toordinal()
        self.places = policy.money.places
        self.back_years = tuple(year for year in ledger.years if year < self.year)
        self.matched = np.zeros(ledger.groups, dtype=np.bool_)
        self.held = np.zeros(ledger.groups, dtype=np.bool_)
        self.roster_fields = frozenset(roster_columns(policy))
        self.summary = Summary(
            policy.id, self.year, self.places, {status: StatusTally() for status in STATUSES}
        )
        self.summary.payment_rows = ledger.rows
        self.summary.payment_problems.extend(ledger.problems)

    # -- one roster block -------------------------------------------------------------------

    def block(self, rows: Sequence[RosterRow]) -> list[ReconciliationRow]:
        """The reconciled rows of a block of roster rows (line, record, problem)."""
        if not rows:
            return []
        block = self._prepare(rows)
        self.summary.roster_rows += len(rows)
        out: list[list[ReconciliationRow]] = [[] for _ in rows]
        for scheme in self.policy.schemes:
            self._scheme(block, scheme, out)
        return [row for person in out for row in person]

    def _prepare(self, rows: Sequence[RosterRow]) -> _Block:
        lines = [line for line, _record, _problem in rows]
        records = [record for _line, record, _problem in rows]
        bad = np.zeros(len(rows), dtype=np.bool_)
        dead = np.zeros(len(rows), dtype=np.bool_)
        for index, (line, record, problem) in enumerate(rows):
            if problem is not None:
                self._problem(problem.at_row(line))
                bad[index] = True
                continue
            try:
                died = death_date_of(record)
            except InputError as err:
                self._problem(err.at_row(line))
                bad[index] = True
                continue
            dead[index] = died is not None and died.toordinal() < self.first_day
        fields = [name for name in dict.fromkeys(k for r in records for k in r) if name]
        columns = {
            name: pa.array([record.get(name, "") for record in records], pa.string())
            for name in fields
            if name in self.roster_fields
        }
        if "person_id" not in columns:
            columns["person_id"] = pa.array([""] * len(rows), pa.string())
        dues = dues_of(self.policy, pa.RecordBatch.from_pydict(columns), lines)
        for index, error in sorted(dues.errors.items()):
            if not bad[index]:
                self._problem(error)
            bad[index] = True
        person_keys = pa.array([(r.get("person_id") or "").strip() or None for r in records])
        id_keys = pa.array([id_key(r.get("id_number")) for r in records], pa.string())
        return _Block(lines, records, dues, dead, bad, person_keys, id_keys)

    def _problem(self, error: InputError) -> None:
        self.summary.roster_problems.append(error)

    def _groups(self, block: _Block, scheme: str, year: int) -> tuple[IntArray, IntArray]:
        """The payment groups of each row for ``scheme`` and ``year``: by person_id, by ID."""
        return (
            self.ledger.find(group_keys(block.person_keys, scheme, year)),
            self.ledger.find(group_keys(block.id_keys, scheme, year)),
        )

    def _scheme(self, block: _Block, scheme: str, out: list[list[ReconciliationRow]]) -> None:
        dues = block.dues.schemes[scheme]
        held = block.bad | (dues.status == ERROR)
        for index in np.flatnonzero(~block.bad & (dues.status == ERROR)).tolist():
            message = dues.messages[dues.message[index]] if dues.message[index] >= 0 else ""
            self._problem(InputError(scheme, message, row=block.lines[index]))
        for year in (self.year, *self.back_years):
            first, second = self._groups(block, scheme, year)
            first, second = self._claim(first, held), self._claim(second, held)
            live = ~held & ((first >= 0) | (second >= 0) | (year == self.year))
            if not live.any():
                continue
            by_channel, count = self._aggregate(first, second)
            eligible = dues.status == ELIGIBLE
            if year == self.year:
                person, government = dues.individual, dues.on_behalf
                sponsor = dues.sponsor
            else:  # a back payment: the current year's contribution, paid by the person (38号)
                person, government = dues.contribution, np.zeros_like(dues.contribution)
                sponsor = government
            result = classify(
                Dues(person, government, sponsor, eligible, block.dead), by_channel, count
            )
            for index in np.flatnonzero(live).tolist():
                out[index].append(
                    self._row(block, index=index, scheme=scheme, year=year, result=result,
                              by_channel=by_channel, dues=dues)
                )  # fmt: skip
            self._tally(result, live, by_channel, block, eligible)

    def _claim(self, groups: IntArray, held: npt.NDArray[np.bool_]) -> IntArray:
        """``groups`` with each group given to its first row only (a later row repeating a
        person gets none: the roster repeats them, which its own check reports); groups of
        rows that are not assessed are held."""
        found = groups >= 0
        if not found.any():
            return groups
        result = groups.copy()
        holding = found & held
        self.held[groups[holding]] = True
        taking = found & ~held
        positions = np.flatnonzero(taking)
        chosen = groups[positions]
        _unique, first = np.unique(chosen, return_index=True)
        keep = np.zeros(positions.size, dtype=np.bool_)
        keep[first] = True
        keep &= ~self.matched[chosen]
        result[holding] = -1
        result[positions[~keep]] = -1
        self.matched[chosen[keep]] = True
        return result

    def _aggregate(
        self, first: IntArray, second: IntArray
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        ledger = self.ledger
        by_channel = np.zeros((len(CHANNELS), first.size), dtype=np.int64)
        count = np.zeros((len(CHANNELS), first.size), dtype=np.int64)
        for groups in (first, second):
            found = groups >= 0
            if found.any():
                by_channel[:, found] += ledger.by_channel[:, groups[found]]
                count[:, found] += ledger.count[:, groups[found]]
        return by_channel, count

    # -- rows and totals -------------------------------------------------------------------

    def _row(
        self,
        block: _Block,
        *,
        index: int,
        scheme: str,
        year: int,
        result: Classified,
        by_channel: npt.NDArray[np.int64],
        dues: Any,
    ) -> ReconciliationRow:
        record = block.records[index]
        status = STATUSES[result.status[index]]
        money = self.summary.money
        refunds = result.refund[:, index].tolist()
        dead = bool(block.dead[index])
        to = [
            ("heirs" if dead and who == "person" else who)
            for who, amount in zip(RECIPIENTS, refunds, strict=True)
            if amount
        ]
        reason = dues.messages[dues.message[index]] if dues.message[index] >= 0 else ""
        due, paid, refund = (
            money(int(x)) for x in (result.due[index], result.paid[index], sum(refunds))
        )
        message = row_message(
            self.lang,
            self.year,
            status,
            year=year,
            due=due,
            paid=paid,
            refund=refund,
            reason=reason,
            died=(record.get("death_date") or "").strip(),
            collected=money(int(by_channel[:2, index].sum())),
            government=money(int(dues.on_behalf[index])),
        )
        return ReconciliationRow(
            person_id=(record.get("person_id") or "").strip(),
            village=(record.get("village") or "").strip(),
            scheme=scheme,
            year=year,
            due=due,
            paid=paid,
            difference=paid - due,
            channel=";".join(c for c, a in zip(CHANNELS, by_channel[:, index], strict=True) if a),
            status=status,
            refund=refund,
            refund_to=";".join(to),
            message=message,
            line=block.lines[index],
            name=(record.get("name") or "").strip(),
            id_number=(record.get("id_number") or "").strip(),
        )

    def _tally(
        self,
        result: Classified,
        live: npt.NDArray[np.bool_],
        by_channel: npt.NDArray[np.int64],
        block: _Block,
        eligible: npt.NDArray[np.bool_],
    ) -> None:
        summary = self.summary
        status = result.status[live]
        for code in np.unique(status).tolist():
            mine = status == code
            tally = summary.statuses[STATUSES[code]]
            tally.rows += int(mine.sum())
            tally.due += int(result.due[live][mine].sum())
            tally.paid += int(result.paid[live][mine].sum())
            tally.refund += int(result.refund[:, live][:, mine].sum())
        acting = (status != PAID) & ~((status == UNPAID) & (result.due[live] == 0))
        summary.to_act_on += int(acting.sum())
        refunds = result.refund[:, live]
        for who, amounts in zip(RECIPIENTS, refunds, strict=True):
            summary.refunds[who] += int(amounts.sum())
        payers = live & (result.paid > 0)
        difference = result.difference
        for i in np.flatnonzero(payers).tolist():
            village = (block.records[i].get("village") or "").strip()
            terms = summary.villages.setdefault(village, Terms())
            terms.collected += int(result.paid[i])
            terms.dues += int(result.due[i])
            terms.over += max(int(difference[i]), 0)
            terms.under += max(-int(difference[i]), 0)
        for code, name in enumerate(CHANNELS):
            paid = by_channel[code][payers]
            due = result.due_by_channel[code][payers]
            terms = summary.channels[name]
            terms.dues += int(due.sum())
            terms.over += int(np.maximum(paid - due, 0).sum())
            terms.under += int(np.maximum(due - paid, 0).sum())
        total = summary.total
        total.dues += int(result.due[payers].sum())
        total.over += int(np.maximum(difference[payers], 0).sum())
        total.under += int(np.maximum(-difference[payers], 0).sum())

    # -- payments matching nobody -------------------------------------------------------------

    def finish(self) -> list[ReconciliationRow]:
        """The payments no roster row claimed, a ``not_on_roster`` row each, and the totals."""
        ledger = self.ledger
        summary = self.summary
        held = self.held[ledger.group] & ~self.matched[ledger.group]
        unmatched = ~self.held[ledger.group] & ~self.matched[ledger.group]
        for code, name in enumerate(CHANNELS):
            mine = ledger.channel == code
            terms = summary.channels[name]
            terms.collected = int(ledger.amount[mine].sum())
            terms.unmatched = int(ledger.amount[mine & unmatched].sum())
            terms.held = int(ledger.amount[mine & held].sum())
        summary.total.collected = ledger.collected
        summary.total.unmatched = int(ledger.amount[unmatched].sum())
        summary.total.held = int(ledger.amount[held].sum())
        rows = [self._stray(position) for position in np.flatnonzero(unmatched).tolist()]
        tally = summary.statuses["not_on_roster"]
        tally.rows += len(rows)
        tally.paid += summary.total.unmatched
        tally.refund += summary.total.unmatched
        summary.to_act_on += len(rows)
        for position in np.flatnonzero(unmatched).tolist():
            who = RECIPIENT_OF[CHANNELS[ledger.channel[position]]]
            summary.refunds[who] += int(ledger.amount[position])
        return rows

    def _stray(self, position: int) -> ReconciliationRow:
        ledger = self.ledger
        key = ledger.names[int(ledger.group[position])].as_py().split("\x1f")[0]
        id_number = key[3:] if key.startswith("id:") else ""
        person_id = "" if id_number else key
        amount = self.summary.money(int(ledger.amount[position]))
        channel = CHANNELS[ledger.channel[position]]
        zero = self.summary.money(0)
        return ReconciliationRow(
            person_id=person_id,
            village="",
            scheme=ledger.scheme[position],
            year=int(ledger.year[position]),
            due=zero,
            paid=amount,
            difference=amount,
            channel=channel,
            status=STATUSES[NOT_ON_ROSTER],
            refund=amount,
            refund_to=RECIPIENT_OF[channel],
            message=translator(self.lang).gettext(
                "no one on the roster is {key}", key=person_id or id_number
            ),
            line=int(ledger.line[position]),
            id_number=id_number,
        )
