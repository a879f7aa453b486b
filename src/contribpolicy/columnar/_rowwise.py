"""The person-by-person paths of columnar evaluation, for what has no columnar form.

Two things are evaluated here with the per-person engine itself, so that they get exactly what
``Policy.evaluate`` gives: rows the columnar checks did not accept (``evaluate_records``: a
malformed row gets its ``InputError``), and schemes with a rule whose kind lacks
``apply_columns`` (``assess_rows``, once per distinct set of facts, as ``Policy.evaluate``
shares results between equal facts).
"""

# pyarrow and pandas ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from contribpolicy.columnar._distinct import fact_keys
from contribpolicy.columnar._facts import ColumnFacts
from contribpolicy.columnar._state import SchemeColumns
from contribpolicy.columnar._texts import Texts
from contribpolicy.engine.evaluation import Evaluator, _assess
from contribpolicy.errors import InputError
from contribpolicy.model.person import DROP_WHEN_BLANK
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import Assessment, SchemeAssessment

__all__ = ["RowResults", "assess_rows", "evaluate_records", "overwrite"]

Rows = npt.NDArray[np.intp]


@attrs.frozen(eq=False)
class RowResults:
    """Rows evaluated person by person: their assessments, or their errors."""

    assessed: tuple[tuple[int, Assessment], ...]
    errors: tuple[tuple[int, InputError], ...]


def record_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """A table row as the record ``Policy.evaluate`` is given: a null cell is an absent field,
    and so is a blank id_number or birth_date, as in a CSV roster."""
    return {
        name: value
        for name, value in row.items()
        if value is not None
        and not (name in DROP_WHEN_BLANK and isinstance(value, str) and not value.strip())
    }


def evaluate_records(policy: Policy, batch: pa.RecordBatch, rows: Rows) -> RowResults:
    """``Policy.evaluate`` on each of ``rows``."""
    if not rows.size:
        return RowResults((), ())
    assessed: list[tuple[int, Assessment]] = []
    errors: list[tuple[int, InputError]] = []
    records = batch.take(pa.array(rows)).to_pylist()
    for row, record in zip(rows.tolist(), records, strict=True):
        try:
            assessed.append((row, policy.evaluate(record_of(record))))
        except InputError as err:
            errors.append((row, err))
    return RowResults(tuple(assessed), tuple(errors))


def assess_rows(engine: Evaluator, name: str, columns: ColumnFacts, places: int) -> SchemeColumns:
    """One scheme for every row of ``columns``, with the per-person engine."""
    rules, steps = next((r, s) for scheme, r, s in engine.schemes if scheme == name)
    zero = engine.zero
    found: dict[int, SchemeAssessment] = {}
    assessments = []
    for row, key in enumerate(fact_keys(columns).tolist()):
        result = found.get(key)
        if result is None:
            result = found[key] = _assess(name, rules, steps, columns.facts(row), zero)
        assessments.append((row, result))
    size = columns.size
    results = SchemeColumns(
        np.zeros(size, dtype=np.int8),
        np.zeros(size, dtype=np.int64),
        np.zeros(size, dtype=np.int64),
        np.zeros(size, dtype=np.int64),
        Texts(np.full(size, -1, dtype=np.int32), ()),
    )
    return overwrite(name, results, assessments, places)


def overwrite(
    name: str,
    results: SchemeColumns,
    assessments: Sequence[tuple[int, SchemeAssessment]],
    places: int,
) -> SchemeColumns:
    """``results`` with the rows of ``assessments`` replaced by those per-person results."""
    texts: dict[str, int] = {}
    table = list(results.message.table)
    for row, scheme in assessments:
        results.status[row] = scheme.status.code
        results.individual[row] = units_of(scheme.individual, places, name)
        results.government[row] = units_of(scheme.government, places, name)
        results.sponsor[row] = units_of(scheme.sponsor, places, name)
        code = -1
        if scheme.message:
            code = texts.get(scheme.message, -1)
            if code < 0:
                code = texts[scheme.message] = len(table)
                table.append(scheme.message)
        results.message.codes[row] = code
    return attrs.evolve(results, message=Texts(results.message.codes, tuple(table)))


def units_of(amount: Decimal, places: int, scheme: str) -> int:
    """A result amount in minor units. Rule kinds round every amount to ``money.places``
    (``context.money``, ``context.rounding()``); one that did not is a kind's bug."""
    scaled = amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(
            f"scheme {scheme!r} gave the amount {amount}, with more than {places} decimal "
            "places: a rule kind must round amounts with context.money or context.rounding()"
        )
    return int(scaled)
