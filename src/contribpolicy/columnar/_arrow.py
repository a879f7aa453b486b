"""Small bridges between Arrow arrays and NumPy, shared by the columnar modules."""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["dictionary", "is_text", "rows_with_bytes", "string_buffers", "to_numpy"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
Bytes = npt.NDArray[np.uint8]
_Item = TypeVar("_Item", bound=np.generic)
_NO_BYTES = np.zeros(0, dtype=np.uint8)


def to_numpy(array: pa.Array, dtype: type[_Item]) -> npt.NDArray[_Item]:
    """An Arrow array without nulls as a NumPy array of ``dtype``."""
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=dtype)


def is_text(array: pa.Array) -> bool:
    kind = array.type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def string_buffers(array: pa.Array) -> tuple[IntArray, Bytes]:
    """A string column's row offsets (one more than rows) and its bytes, without copying."""
    offsets_type = np.int64 if pa.types.is_large_string(array.type) else np.int32
    _validity, offsets_buffer, data_buffer = array.buffers()[:3]
    every = np.frombuffer(offsets_buffer, dtype=offsets_type)
    offsets = every[array.offset : array.offset + len(array) + 1].astype(np.int64)
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else _NO_BYTES
    return offsets, data


def rows_with_bytes(array: pa.Array, test: Callable[[Bytes], BoolArray]) -> BoolArray:
    """Rows of a string column holding a byte for which ``test`` holds (for rare bytes: the
    rows are found from the bytes' positions)."""
    offsets, data = string_buffers(array)
    found = np.zeros(len(array), dtype=np.bool_)
    hits = np.flatnonzero(test(data[offsets[0] : offsets[-1]])) + offsets[0]
    found[np.searchsorted(offsets, hits, side="right") - 1] = True
    return found


def dictionary(array: pa.Array | None, size: int) -> tuple[IntArray, list[Any]]:
    """Each row's code among the column's distinct values, and the values (-1 for null)."""
    if array is None:
        return np.full(size, -1, dtype=np.int64), []
    if not pa.types.is_dictionary(array.type):
        try:
            array = pc.dictionary_encode(array)
        except pa.ArrowNotImplementedError:  # lists and other unhashable types: row by row
            values = array.to_pylist()
            codes = np.array([-1 if v is None else i for i, v in enumerate(values)], np.int64)
            return codes, values
    codes = to_numpy(pc.fill_null(array.indices, -1), np.int64)
    return codes, array.dictionary.to_pylist()
