"""Writing batch output by the output file's suffix: CSV, ``.xlsx`` or Parquet, and the errors file.

Every writer takes the rows ``run_batch`` makes (text cells, amounts as exact decimal text) and
appears complete or not at all (``_atomic``). In a workbook amounts are numbers, so a collector
can sum them, and text cells stay text. CSV and workbook text cells, headers included, pass
through ``support.cells.spreadsheet_text`` (no formula, no invisible character); Parquet
cells are the data as assessed.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import IO, Any

from contribpolicy.i18n import N_, SOURCE_LANGUAGE, translator
from contribpolicy.model.policy import Policy
from contribpolicy.rosters._formats import format_of, needs
from contribpolicy.rosters._wording import field_words
from contribpolicy.rosters._workbook import xlsx_output
from contribpolicy.support.atomic import atomic_path, atomic_writer
from contribpolicy.support.cells import spreadsheet_text

__all__ = ["ERRORS_COLUMNS", "header_labels", "open_output", "write_csv_rows"]

_PARTS = ("status", "individual", "government", "sponsor", "total")
#: The Chinese header's words (``--lang zh``), after the policy's scheme label.
_PART_WORDS = {
    "status": N_("{scheme} status"),
    "individual": N_("{scheme} individual contribution"),
    "government": N_("{scheme} government share"),
    "sponsor": N_("{scheme} sponsored"),
    "total": N_("{scheme} total"),
}
_FIXED_WORDS = {"person_id": N_("person ID"), "message": N_("explanation")}
ERRORS_COLUMNS = ("line", "field", "reason")
_PARQUET_ROWS = 1 << 16

Write = Callable[[list[str]], object]


def header_labels(policy: Policy, columns: Sequence[str], lang: str) -> list[str]:
    """The header row: the column names (English, as programs read them), or in another
    language the policy's scheme labels with the catalog's words."""
    if lang == SOURCE_LANGUAGE:
        return list(columns)
    t = translator(lang)
    names = field_words(policy, lang)
    names.update({column: t.gettext(word) for column, word in _FIXED_WORDS.items()})
    for scheme in policy.schemes.values():
        for part in _PARTS:
            names[f"{scheme.name}_{part}"] = t.gettext(_PART_WORDS[part], scheme=scheme.label)
    return [names.get(column, column) for column in columns]


@contextmanager
def open_output(
    path: str,
    policy: Policy,
    columns: Sequence[str],
    *,
    labels: str = "en",
    bom: bool = False,
) -> Iterator[Write]:
    """A ``write(row)`` for the batch rows, the header already written; complete on exit."""
    header = header_labels(policy, columns, labels)
    kind = format_of(path)
    if kind == "xlsx":
        amounts = [column in _amount_columns(policy) for column in columns]
        widths = [_WIDTHS.get(column, 0) for column in columns]
        with xlsx_output(path, header, amounts, labels, widths) as workbook:
            yield workbook
    elif kind == "parquet":
        with _parquet_writer(path, policy, columns) as write:
            yield write
    else:
        with atomic_writer(path) as out:
            yield write_csv_rows(out, header, bom=bom)


#: Least widths of the columns whose cells are wider than their header.
_WIDTHS = {"person_id": 12, "id_number": 21, "name": 10, "village": 12, "birth_date": 12}


def _amount_columns(policy: Policy) -> frozenset[str]:
    """The output columns holding amounts (a kept roster column never does)."""
    return frozenset(f"{scheme}_{part}" for scheme in policy.schemes for part in _PARTS[1:])


def write_csv_rows(out: IO[str], header: Sequence[str], *, bom: bool = False) -> Write:
    """The CSV writer's ``writerow`` with the header written (after a BOM if asked); every
    cell is written as a spreadsheet must see it (``spreadsheet_text``)."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writerow = writer.writerow
    writerow([spreadsheet_text(cell) for cell in header])

    def write(row: list[str]) -> object:
        return writerow([spreadsheet_text(cell) for cell in row])

    return write


@contextmanager
def _parquet_writer(path: str, policy: Policy, columns: Sequence[str]) -> Iterator[Write]:
    pa = needs("pyarrow", "writing a Parquet output")
    parquet = needs("pyarrow.parquet", "writing a Parquet output")
    decimal = pa.decimal128(18, policy.money.places)
    money = _amount_columns(policy)
    schema = pa.schema([(c, decimal if c in money else pa.string()) for c in columns])
    pending: list[list[str]] = []

    def flush(writer: Any) -> None:
        cells = list(zip(*pending, strict=True)) if pending else [()] * len(columns)
        arrays = [
            pa.array(
                [Decimal(v) if v else None for v in values] if field.type == decimal else values,
                field.type,
            )
            for values, field in zip(cells, schema, strict=True)
        ]
        writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
        pending.clear()

    with atomic_path(path) as temporary, parquet.ParquetWriter(temporary, schema) as writer:

        def write(row: list[str]) -> None:
            pending.append(row)
            if len(pending) >= _PARQUET_ROWS:
                flush(writer)

        yield write
        if pending:
            flush(writer)
