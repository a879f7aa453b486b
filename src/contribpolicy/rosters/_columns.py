"""``--columns map.yaml``: a source's own headers (身份证号, 出生日期, 村居) read as roster fields.

An official's spreadsheet is read as it was sent, not retyped: the map names, for each source
header, the roster field it holds, and the columns to ignore (序号, 联系电话). The map is plain
YAML read with the safe loader: it holds names, never code.

    columns:
      身份证号: id_number
      出生日期: birth_date
      户籍: residence
      身份类别: statuses
    optional: [出生日期]            # may be missing from a sheet
    ignore: [序号]
    values:                         # the sheet's own words for coded values, per field
      residence: {本地: local}
      statuses: {低保: dibao}

A cell may hold the policy's codes or its labels without any map (``engine._words``); the
map's ``values`` are for the office's own words. A statuses cell is translated word by word.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import attrs
import yaml

from contribpolicy.engine._words import split_statuses
from contribpolicy.errors import InputError

__all__ = ["ColumnMap", "load_column_map", "map_header"]


@attrs.frozen
class ColumnMap:
    """Source header -> roster field, and the source headers that hold nothing to assess."""

    columns: Mapping[str, str] = attrs.field(factory=dict)
    ignore: frozenset[str] = frozenset()
    source: str = "<columns>"
    #: Source headers that may be missing from a sheet.
    optional: frozenset[str] = frozenset()
    #: Field -> the sheet's word -> the value the policy reads (a code or a label).
    values: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    def translate(self, record: dict[str, str]) -> None:
        """Replace, in place, each cell's word by the value ``values`` maps it to."""
        for field, words in self.values.items():
            cell = record.get(field)
            if not cell:
                continue
            if field == "statuses":
                record[field] = ";".join(words.get(part, part) for part in split_statuses(cell))
            else:
                record[field] = words.get(cell.strip(), cell)


_KEYS = {"columns", "ignore", "optional", "values"}


def load_column_map(path: str | Path, known: Collection[str]) -> ColumnMap:
    """The map in ``path``; a field that is no roster field is refused, with a "did you mean"."""
    name = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as err:
        raise InputError("columns", f"{name}: not YAML: {err}") from None
    if not isinstance(data, dict) or not set(data) <= _KEYS:
        raise InputError("columns", f"{name}: expected a mapping with {', '.join(sorted(_KEYS))}")
    columns = data.get("columns") or {}
    ignore = data.get("ignore") or []
    optional = data.get("optional") or []
    if not isinstance(columns, dict) or not isinstance(ignore, list):
        raise InputError("columns", f"{name}: 'columns' maps headers to fields, 'ignore' lists")
    if not isinstance(optional, list):
        raise InputError("columns", f"{name}: 'optional' lists headers that may be missing")
    mapped = {str(header).strip(): str(field).strip() for header, field in columns.items()}
    for header, field in mapped.items():
        _check_field(name, f"{header!r} maps to {field!r}", field, known)
    values = _values(name, data.get("values") or {}, known)
    return ColumnMap(
        mapped,
        frozenset(str(item).strip() for item in ignore),
        name,
        frozenset(str(item).strip() for item in optional),
        values,
    )


def _check_field(name: str, what: str, field: str, known: Collection[str]) -> None:
    if field not in known:
        raise InputError(
            "columns",
            f"{name}: {what}, no roster field; "
            f"{_did_you_mean(field, known)}expected one of: {', '.join(known)}",
        )


def _values(name: str, data: object, known: Collection[str]) -> dict[str, dict[str, str]]:
    """``values``: for each roster field, the sheet's words and what each stands for."""
    if not isinstance(data, dict) or not all(isinstance(words, dict) for words in data.values()):
        raise InputError("columns", f"{name}: 'values' maps fields to {{word: value}} maps")
    found = {}
    for field, words in data.items():
        _check_field(name, f"'values' names {field!r}", str(field).strip(), known)
        found[str(field).strip()] = {
            str(word).strip(): str(value).strip() for word, value in words.items()
        }
    return found


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
    unnamed = [
        column
        for column in header
        if column not in column_map.columns
        and column not in column_map.ignore
        and column not in known
    ]
    for source in column_map.columns:
        # An optional column may be missing, but not misspelt (身份证 for 身份证号).
        missing = source not in present and (
            source not in column_map.optional or difflib.get_close_matches(source, unnamed, n=1)
        )
        if missing:
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
