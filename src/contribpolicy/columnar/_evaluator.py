"""A policy compiled for blocks of roster rows: the engine behind ``evaluate_table``.

Each scheme runs its rules in order on a ``ColumnState``, each rule on the rows it applies to
(scheme not stopped, ``when`` holds), through the kind's ``apply_columns``. A scheme with a
rule whose kind has no ``apply_columns`` is evaluated person by person with the per-person
engine, once per distinct set of facts; ``row_by_row`` lists those rules so callers can say so.
Rows the columnar checks did not accept are evaluated with ``Policy.evaluate`` itself: they get
its ``InputError`` message, or its assessment. Either way every row gets exactly what
``Policy.evaluate`` gives it.
"""

# pyarrow and pandas ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import json
from collections.abc import Sequence

import attrs
import numpy as np
import pyarrow as pa

from contribpolicy.columnar._distinct import distinct_facts
from contribpolicy.columnar._facts import ColumnFacts
from contribpolicy.columnar._output import assemble, schema_of
from contribpolicy.columnar._parse import TableParser
from contribpolicy.columnar._rowwise import assess_rows, evaluate_records, overwrite
from contribpolicy.columnar._state import BoolArray, ColumnState, SchemeColumns
from contribpolicy.engine.evaluation import evaluator_for
from contribpolicy.errors import InputError, PluginError
from contribpolicy.model.parts import Rule
from contribpolicy.model.policy import Policy
from contribpolicy.support.version import VERSION

__all__ = ["ColumnarEvaluator", "EvaluatedBlock", "RowByRow"]


@attrs.frozen
class RowByRow:
    """A rule whose kind has no columnar form: its scheme is evaluated person by person."""

    scheme: str
    rule_id: str
    kind: str
    provider: str

    def __str__(self) -> str:
        return (
            f"scheme {self.scheme!r} is evaluated row by row: rule {self.rule_id!r} is of kind "
            f"{self.kind!r} (from {self.provider}), which has no apply_columns"
        )


@attrs.frozen(eq=False)
class EvaluatedBlock:
    """The output rows of a block, and the malformed rows' errors by position in the block."""

    batch: pa.RecordBatch
    errors: tuple[tuple[int, InputError], ...]


class ColumnarEvaluator:
    """A policy prepared for columnar evaluation; made once, used for every block."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        # The per-person engine of Policy.evaluate: its parser reads the distinct values, its
        # compiled rules evaluate what has no columnar form.
        self.engine = evaluator_for(policy)
        self.parser = TableParser(policy, self.engine.parser)
        self.places = policy.money.places
        self.rounding = policy.money.rounding
        self.row_by_row = tuple(
            RowByRow(name, rule.id, rule.kind, rule.provider)
            for name, scheme in policy.schemes.items()
            for rule in scheme.rules
            if not callable(getattr(rule.effect, "apply_columns", None))
        )
        slow = {item.scheme for item in self.row_by_row}
        self.schemes = tuple(
            (name, scheme.rules, name not in slow) for name, scheme in policy.schemes.items()
        )
        self.schema = schema_of(list(policy.schemes), self.places, self._metadata())

    def _metadata(self) -> dict[str, str]:
        """Provenance of every output table (as an assessment's receipt) and any slow path."""
        policy = self.policy
        return {
            "contribpolicy.policy_id": policy.id,
            "contribpolicy.policy_version": policy.version,
            "contribpolicy.policy_hash": policy.content_hash,
            "contribpolicy.library_version": VERSION,
            "contribpolicy.row_by_row": json.dumps(
                [attrs.asdict(item) for item in self.row_by_row], ensure_ascii=False
            ),
        }

    def evaluate(self, batch: pa.RecordBatch, lines: Sequence[int] | None = None) -> EvaluatedBlock:
        """Every row of ``batch`` assessed, in order. With ``lines`` (each row's line in its
        source file), a malformed row's message starts ``row N:`` as in ``batch``."""
        self.parser.check_columns(batch.schema.names)
        block = self.parser.parse(batch)
        facts, spread = distinct_facts(block.columns, block.bad)
        results = {
            name: spread.apply(
                self._columnar(rules, facts)
                if fast
                else assess_rows(self.engine, name, facts, self.places)
            )
            for name, rules, fast in self.schemes
        }
        rows = evaluate_records(self.policy, batch, np.flatnonzero(block.bad))
        for name, result in list(results.items()):
            assessed = [(row, assessment[name]) for row, assessment in rows.assessed]
            results[name] = overwrite(name, result, assessed, self.places)
        errors = {row: error.at_row(lines[row]) if lines else error for row, error in rows.errors}
        messages = {row: str(error) for row, error in errors.items()}
        output = assemble(self.schema, block.person_id, results, messages, self.places)
        return EvaluatedBlock(output, tuple(errors.items()))

    def _columnar(self, rules: Sequence[Rule], columns: ColumnFacts) -> SchemeColumns:
        state = ColumnState(columns.size, self.places, self.rounding)
        matched: dict[str, BoolArray] = {}  # per first_match group: rows a rule of it applied to
        for rule in rules:
            where = ~state.stopped
            if rule.when is not None:
                where &= columns.holds(rule.when)
            group = rule.first_match
            if group is not None:
                taken = matched.setdefault(group, columns.nobody())
                where &= ~taken
                taken |= where
            if not where.any():
                continue
            try:
                rule.effect.apply_columns(columns, state, where)  # type: ignore[attr-defined]
            except Exception as err:  # even one of ours: it is the kind's, not the record's
                raise PluginError(
                    rule.kind, rule.provider, rule.id, f"{type(err).__name__}: {err}"
                ) from err
        return state.result()
