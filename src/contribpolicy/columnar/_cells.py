"""Text cells for a whole column at once: person ids and names, as the per-person parser reads them.

The per-person parser strips text (``str.strip``) and refuses a cell holding a control,
format, private-use or unassigned character (``engine.values.read_text``). Here a cell made only of
characters that can never be refused (``SAFE_TEXT``) is accepted by Arrow's kernels, stripped
of exactly the characters ``str.strip`` removes (``PY_WHITESPACE``); every other cell goes to
the per-person function itself. Tests check both character lists against ``unicodedata``.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from contribpolicy.columnar._arrow import is_text, string_buffers, to_numpy
from contribpolicy.engine.values import read_text
from contribpolicy.errors import InputError

__all__ = ["PY_WHITESPACE", "SAFE_TEXT", "person_ids", "text_refused"]

BoolArray = npt.NDArray[np.bool_]
#: Every character ``str.strip()`` removes (``str.isspace``).
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: Text of characters no text field refuses: printable ASCII, CJK ideographs and punctuation,
#: full-width forms (a regular expression for Arrow's RE2).
SAFE_TEXT = r"^[\x20-\x7E\x{3000}-\x{303F}\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{FF01}-\x{FF5E}]*$"


_FORMULA_STARTS = ("=", "+", "@")  # as person.py refuses them


def person_ids(array: pa.Array | None, size: int) -> tuple[pa.Array, BoolArray]:
    """The person_id of each row as the output shows it (stripped text), and where it is
    missing or refused by the per-person parser."""
    if array is None:
        return pa.array([""] * size, pa.string()), np.ones(size, dtype=np.bool_)
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if pa.types.is_integer(array.type):
        text = array.cast(pa.string())
        refused = np.zeros(size, dtype=np.bool_)
    elif is_text(array):
        text = pc.utf8_trim(array, characters=PY_WHITESPACE).cast(pa.string())
        refused = _unsafe(array)
    else:
        text = pa.nulls(size, pa.string())
        refused = to_numpy(array.is_valid(), np.bool_)
    text = text.fill_null("")
    if refused.any():  # the per-person parser decides, and shows what it can
        rows = np.flatnonzero(refused)
        values = array.take(pa.array(rows)).to_pylist()
        shown = pa.array([_lenient_text(value) for value in values], pa.string())
        text = pc.replace_with_mask(text, pa.array(refused), shown)
        refused[rows] = [_checked(read_text, "person_id", value) is None for value in values]
    # An id a spreadsheet would run as a formula is refused per person: send it there.
    formula = np.zeros(size, dtype=np.bool_)
    for start in _FORMULA_STARTS:
        formula |= to_numpy(pc.starts_with(text, start), np.bool_)
    return text, refused | formula | (to_numpy(pc.binary_length(text), np.int64) == 0)


def text_refused(field: str, array: pa.Array | None, size: int) -> BoolArray:
    """Where a text column (``name``) holds what the per-person parser refuses."""
    if array is None or pa.types.is_null(array.type) or pa.types.is_integer(array.type):
        return np.zeros(size, dtype=np.bool_)
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    suspect = _unsafe(array) if is_text(array) else to_numpy(array.is_valid(), np.bool_)
    rows = np.flatnonzero(suspect)
    refused = np.zeros(size, dtype=np.bool_)
    if rows.size:
        values = array.take(pa.array(rows)).to_pylist()
        refused[rows] = [_checked(read_text, field, value) is None for value in values]
    return refused


def _unsafe(array: pa.Array) -> BoolArray:
    """Rows of a text column with characters outside ``SAFE_TEXT`` (null is safe), judged on
    the UTF-8 bytes (Arrow's strings are valid UTF-8): each character by its lead byte and, for
    the ranges that split inside one, its next one or two. The same sets as ``SAFE_TEXT``."""
    offsets, data = string_buffers(array)
    found = np.zeros(len(array), dtype=np.bool_)
    part = data[offsets[0] : offsets[-1]]
    if not part.size:
        return found
    second = np.zeros_like(part)
    second[:-1] = part[1:]
    third = np.zeros_like(part)
    third[:-2] = part[2:]
    safe = (part >= 0x20) & (part <= 0x7E)  # printable ASCII
    safe |= (part & 0xC0) == 0x80  # a continuation: judged with its lead
    safe |= (part >= 0xE5) & (part <= 0xE9)  # U+5000-9FFF
    safe |= (part == 0xE3) & ((second == 0x80) | (second >= 0x90))  # U+3000-303F, U+3400-3FFF
    safe |= (part == 0xE4) & ((second <= 0xB6) | (second >= 0xB8))  # U+4000-4DBF, U+4E00-4FFF
    safe |= (part == 0xEF) & (  # U+FF01-FF3F, U+FF40-FF5E
        ((second == 0xBC) & (third >= 0x81)) | ((second == 0xBD) & (third <= 0x9E))
    )
    hits = np.flatnonzero(~safe) + offsets[0]
    found[np.searchsorted(offsets, hits, side="right") - 1] = True
    return found


def _lenient_text(value: object) -> str:
    """What a malformed row's person_id column shows: the text, or nothing."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def _checked(parse: Callable[[str, object], str], field: str, value: object) -> str | None:
    """The parsed text, or None if the per-person parser refuses it."""
    try:
        return parse(field, value)
    except InputError:
        return None
