"""Whole rosters at once: ``evaluate_table`` on Arrow tables, and the functions Spark and Dask run.

``evaluate_table(policy, table)`` takes a ``pyarrow.Table`` or ``RecordBatch`` whose columns are
roster fields (text as in a CSV, or typed: dates, booleans, integers, decimals) and returns one
output row per input row, in order, with the columns ``contribpolicy batch`` writes. Every row
gets exactly what ``Policy.evaluate`` gives the record made of that row (a null cell is an
absent field; a blank ``id_number`` or ``birth_date`` too, as in a CSV roster): the same
amounts, to the fen, and the same message, or for a malformed row the same ``InputError`` text.

The work is done on NumPy arrays of integer minor units, block by block (on a thread per
processor), with each rule kind's ``apply_columns`` (``plugin.ColumnarRuleEffect``), once per
distinct set of facts in a block. Kinds without it are evaluated person by
person; ``compile_policy(policy).row_by_row`` lists them, and so does the output schema's
metadata (``contribpolicy.row_by_row``).

``ArrowMapper(policy)`` is the function for Spark's ``DataFrame.mapInArrow`` (record batches in,
record batches out) and ``PandasMapper(policy)`` the one for Dask's ``map_partitions`` (a pandas
DataFrame in and out); both pickle, policy included, so they can be shipped to workers
(``docs/distributed.md``). NumPy and PyArrow are the ``columnar`` extra: this module imports
without them and says which extra to install when they are needed.
"""

# pyarrow and pandas ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import os
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

import attrs

from contribpolicy.model.policy import Policy

if TYPE_CHECKING:
    from concurrent.futures import Future

    import pandas as pd
    import pyarrow as pa

    from contribpolicy.columnar._evaluator import ColumnarEvaluator

__all__ = [
    "ArrowMapper",
    "PandasMapper",
    "compile_policy",
    "evaluate_table",
    "output_schema",
    "pandas_meta",
    "spark_schema",
]

#: Rows evaluated at a time: large enough that per-block costs vanish, small enough that a
#: block's arrays stay in the processor's cache and memory stays bounded.
BLOCK_ROWS = 1 << 17

_In = TypeVar("_In")
_Out = TypeVar("_Out")
_COMPILED: weakref.WeakKeyDictionary[Policy, ColumnarEvaluator] = weakref.WeakKeyDictionary()


def compile_policy(policy: Policy) -> ColumnarEvaluator:
    """The columnar form of ``policy``, made once per policy object."""
    evaluator = _COMPILED.get(policy)
    if evaluator is None:
        try:
            from contribpolicy.columnar._evaluator import ColumnarEvaluator
        except ImportError as err:
            raise ImportError(
                f"columnar evaluation needs NumPy and PyArrow ({err.name} cannot be imported): "
                "install the extra, pip install 'contribpolicy[columnar]'"
            ) from err
        evaluator = _COMPILED[policy] = ColumnarEvaluator(policy)
    return evaluator


def evaluate_table(
    policy: Policy, table: pa.Table | pa.RecordBatch, *, threads: int | None = None
) -> pa.Table:
    """Assess every row of a roster table; see the module's description for the columns.

    Blocks are evaluated on ``threads`` threads (default: one per processor this process may
    use; 1 for none): NumPy and Arrow release the GIL for nearly all of the work. The result
    is the same, in the same order, whatever the number.
    """
    evaluator = compile_policy(policy)
    import pyarrow as pa

    workers = threads if threads is not None else _processors()
    blocks = _in_order(evaluator.evaluate, _blocks(table), workers)
    return pa.Table.from_batches([block.batch for block in blocks], schema=evaluator.schema)


def output_schema(policy: Policy) -> pa.Schema:
    """The columns ``evaluate_table`` returns for this policy."""
    return compile_policy(policy).schema


def spark_schema(policy: Policy) -> str:
    """The output columns as a Spark DDL string, for ``mapInArrow``'s ``schema``."""
    places = policy.money.places
    columns = ["person_id STRING"]
    for scheme in policy.schemes:
        columns.append(f"{scheme}_status STRING")
        columns += [
            f"{scheme}_{part} DECIMAL(18,{places})"
            for part in ("individual", "government", "sponsor", "total")
        ]
    columns.append("message STRING")
    return ", ".join(columns)


def pandas_meta(policy: Policy) -> pd.DataFrame:
    """An empty frame with the output columns and dtypes, for Dask's ``meta``."""
    import pandas as pd

    return output_schema(policy).empty_table().to_pandas(types_mapper=pd.ArrowDtype)


@attrs.frozen
class ArrowMapper:
    """Spark's ``mapInArrow`` function:
    ``df.mapInArrow(ArrowMapper(policy), spark_schema(policy))``."""

    policy: Policy

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """Evaluate each record batch of a roster, yielding the output blocks in order."""
        evaluator = compile_policy(self.policy)
        for batch in batches:
            for block in _blocks(batch):
                yield evaluator.evaluate(block).batch


@attrs.frozen
class PandasMapper:
    """Dask's ``map_partitions`` function: ``ddf.map_partitions(PandasMapper(policy),
    meta=pandas_meta(policy))``; amounts stay exact (Arrow-backed decimal dtypes)."""

    policy: Policy

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Evaluate one pandas DataFrame of a roster into the output columns."""
        import pandas as pd
        import pyarrow as pa

        table = pa.Table.from_pandas(frame, preserve_index=False)
        # One thread: Dask already runs a partition per core.
        assessed = evaluate_table(self.policy, table, threads=1)
        result = assessed.to_pandas(types_mapper=pd.ArrowDtype)
        result.index = frame.index
        return result


def _blocks(table: pa.Table | pa.RecordBatch) -> Iterator[pa.RecordBatch]:
    """Contiguous record batches of at most ``BLOCK_ROWS`` rows (at least one, maybe empty)."""
    import pyarrow as pa

    rows = table.num_rows
    for offset in range(0, max(rows, 1), BLOCK_ROWS):
        part = table.slice(offset, BLOCK_ROWS)
        if isinstance(part, pa.RecordBatch):
            yield part
        else:
            arrays = [_contiguous(column) for column in part.columns]
            yield pa.RecordBatch.from_arrays(arrays, schema=part.schema)


def _contiguous(column: pa.ChunkedArray) -> pa.Array:
    """One array for a column: its only chunk as it is (no copy), or the chunks joined."""
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def _in_order(work: Callable[[_In], _Out], items: Iterable[_In], workers: int) -> Iterator[_Out]:
    """``map(work, items)`` on ``workers`` threads, in order, with at most twice as many items
    in flight as threads (so memory stays bounded whatever the number of items)."""
    if workers <= 1:
        yield from map(work, items)
        return
    from concurrent.futures import ThreadPoolExecutor  # here: it costs `import contribpolicy`

    with ThreadPoolExecutor(workers) as pool:
        pending: deque[Future[_Out]] = deque()
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _processors() -> int:
    """The processors this process may run on (all of them where that cannot be asked)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1
