"""What each person of a roster block owes through the collection channels, as columns.

Reconciliation (钱表相符, 七（二）) compares money paid with money due, per channel: the person
pays ``individual`` (by an agent or themselves), a sponsor ``sponsor``, the government its part
of the contribution on the person's behalf (``contribution - individual - sponsor``, through
the special channel, 五（三）3). ``contribution`` is what no columnar rule kind reports, so the
block is parsed by the columnar parser and each distinct set of facts is assessed once by the
per-person engine, which knows it; a roster has few distinct sets of facts (ages, statuses,
tiers), so this costs little more than parsing. Rows the columnar checks refuse are assessed
by ``Policy.evaluate`` itself, so a row gets what ``Policy.evaluate`` gives it, or its error.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from contribpolicy.columnar import compile_policy
from contribpolicy.columnar._distinct import fact_keys
from contribpolicy.columnar._money import to_units
from contribpolicy.columnar._rowwise import evaluate_records
from contribpolicy.engine.evaluation import _assess
from contribpolicy.errors import InputError
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import SchemeAssessment, Status

__all__ = ["BlockDues", "SchemeDues", "dues_of"]

IntArray = npt.NDArray[np.int64]
#: Status codes of ``SchemeDues.status`` (``Status.code``).
ELIGIBLE, INELIGIBLE, ERROR = Status.ELIGIBLE.code, Status.INELIGIBLE.code, Status.ERROR.code


@attrs.frozen(eq=False)
class SchemeDues:
    """One scheme's dues per row, in minor units; ``message`` indexes ``messages`` (-1: none)."""

    status: npt.NDArray[np.int8]
    individual: IntArray
    sponsor: IntArray
    contribution: IntArray
    message: npt.NDArray[np.int32]
    messages: tuple[str, ...]
    #: What the government pays of the contribution for the person (代缴), per row: made once
    #: (reconciliation reads it a row at a time, so a property would redo the whole array each).
    on_behalf: IntArray = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        on_behalf = self.contribution - self.individual - self.sponsor
        object.__setattr__(self, "on_behalf", on_behalf)


@attrs.frozen(eq=False)
class BlockDues:
    """A block's person ids (as an output shows them), dues per scheme, malformed rows."""

    person_id: pa.Array
    schemes: dict[str, SchemeDues]
    errors: dict[int, InputError]


class _Filler:
    """Collects one scheme's per-row results, a message table shared by its rows."""

    def __init__(self, size: int, places: int, name: str) -> None:
        self.name = name
        self.places = places
        self.status = np.zeros(size, dtype=np.int8)
        self.individual = np.zeros(size, dtype=np.int64)
        self.sponsor = np.zeros(size, dtype=np.int64)
        self.contribution = np.zeros(size, dtype=np.int64)
        self.message = np.full(size, -1, dtype=np.int32)
        self.texts: dict[str, int] = {}

    def put(self, rows: npt.NDArray[np.intp] | int, result: SchemeAssessment) -> None:
        self.status[rows] = result.status.code
        self.individual[rows] = to_units(result.individual, self.places)
        self.sponsor[rows] = to_units(result.sponsor, self.places)
        self.contribution[rows] = to_units(result.contribution, self.places)
        if result.message:
            self.message[rows] = self.texts.setdefault(result.message, len(self.texts))

    def spread(self, once: _Filler, rows: npt.NDArray[np.intp], inverse: IntArray) -> None:
        """The distinct results of ``once`` put on ``rows``, row i getting ``inverse[i]``'s."""
        self.status[rows] = once.status[inverse]
        self.individual[rows] = once.individual[inverse]
        self.sponsor[rows] = once.sponsor[inverse]
        self.contribution[rows] = once.contribution[inverse]
        self.message[rows] = once.message[inverse]
        self.texts = dict(once.texts)

    def done(self) -> SchemeDues:
        return SchemeDues(
            self.status,
            self.individual,
            self.sponsor,
            self.contribution,
            self.message,
            tuple(self.texts),
        )


def dues_of(policy: Policy, batch: pa.RecordBatch, lines: Sequence[int] | None = None) -> BlockDues:
    """Every row of ``batch`` (roster fields only) with its dues per scheme, or its error."""
    evaluator = compile_policy(policy)
    evaluator.parser.check_columns(batch.schema.names)
    block = evaluator.parser.parse(batch)
    size = batch.num_rows
    places = policy.money.places
    fillers = {name: _Filler(size, places, name) for name in policy.schemes}
    good = np.flatnonzero(~block.bad)
    if good.size:
        # Each distinct set of facts assessed once, then spread to its rows.
        _distinct, first, inverse = np.unique(
            fact_keys(block.columns)[good], return_index=True, return_inverse=True
        )
        engine = evaluator.engine
        once = {name: _Filler(first.size, places, name) for name in policy.schemes}
        for index, row in enumerate(first.tolist()):
            facts = block.columns.facts(int(good[row]))
            for name, rules, steps in engine.schemes:
                once[name].put(index, _assess(name, rules, steps, facts, engine.zero))
        for name, filler in fillers.items():
            filler.spread(once[name], good, inverse.reshape(-1))
    per_row = evaluate_records(policy, batch, np.flatnonzero(block.bad))
    for row, assessment in per_row.assessed:
        for name, filler in fillers.items():
            filler.put(row, assessment[name])
    errors = {
        row: error.at_row(lines[row]) if lines is not None else error
        for row, error in per_row.errors
    }
    return BlockDues(block.person_id, {n: f.done() for n, f in fillers.items()}, errors)
