"""``--columns map.yaml``: a source's own headers (身份证号, 出生日期, 村居) read as roster fields.

An official's spreadsheet is read as it was sent, not retyped: the map names, for each source
header, the roster field it holds, and the columns to ignore (序号, 联系电话). The map is plain
YAML read with the safe loader: it holds names, never code.

    columns:
      身份证号: id_number
      出生日期: birth_date
    ignore: [序号]
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import attrs
import yaml

from contribpolicy.errors import InputError

__all__ = ["ColumnMap", "load_column_map", "map_header"]


@attrs.frozen
class ColumnMap:
    """Source header -> roster field, and the source headers that hold nothing to assess."""

    columns: Mapping[str, str] = attrs.field(factory=dict)
    ignore: frozenset[str] = frozenset()
    source: str = "<columns>"


def load_column_map(path: str | Path, known: Collection[str]) -> ColumnMap:
    """The map in ``path``; a field that is no roster field is refused, with a "did you mean"."""
    name = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as err:
        raise InputError("columns", f"{name}: not YAML: {err}") from None
    if not isinstance(data, dict) or not set(data) <= {"columns", "ignore"}:
        raise InputError("columns", f"{name}: expected a mapping with 'columns' and 'ignore'")
    columns = data.get("columns") or {}
    ignore = data.get("ignore") or []
    if not isinstance(columns, dict) or not isinstance(ignore, list):
        raise InputError("columns", f"{name}: 'columns' maps headers to fields, 'ignore' lists")
    mapped = {str(header).strip(): str(field).strip() for header, field in columns.items()}
    for header, field in mapped.items():
        if field not in known:
            raise InputError(
                "columns",
                f"{name}: {header!r} maps to {field!r}, no roster field; "
                f"{_did_you_mean(field, known)}expected one of: {', '.join(known)}",
            )
    return ColumnMap(mapped, frozenset(str(item).strip() for item in ignore), name)


def map_header(
    header: Sequence[str], column_map: ColumnMap | None, known: Collection[str], line: int
) -> tuple[str, ...]:
    """The roster field of each source column ("" for an ignored one).

    Without a map the header names the fields itself. With one, every column the map names
    must be in the header (a renamed or misspelt column is the file's problem, found at once),
    and a column it does not name is read as a field of that name, if it is one.
    """
    if column_map is None:
        return tuple(header)
    present = set(header)
    for source in column_map.columns:
        if source not in present:
            raise InputError(
                source,
                f"the column named in {column_map.source} is not in the header; "
                f"{_did_you_mean(source, header)}the header has: {', '.join(header)}",
                row=line,
            )
    return tuple(
        "" if column in column_map.ignore else column_map.columns.get(column, column)
        for column in header
    )


def _did_you_mean(word: str, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean {close[0]!r}? " if close else ""
