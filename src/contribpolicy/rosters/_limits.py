"""What a roster file may cost before it is read: a workbook's unpacked size and its packing.

An ``.xlsx`` is a zip of XML. openpyxl keeps a workbook's shared strings in memory and builds
each cell's text whole, so a 1 MB file holding one 1 GiB cell reached 2.86 GB, and a 3 MB zip
of whitespace 3.17 GB. The sizes an entry declares are the most ``zipfile`` will unpack (it
stops there), so they are checked before anything is unpacked.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from contribpolicy.errors import InputError

__all__ = ["MAX_PACKING_RATIO", "MAX_UNPACKED_BYTES", "check_parquet", "check_workbook"]

#: The most a roster workbook may unpack to: about 400,000 rows of the 2025 roster's columns.
#: Larger rosters are read as CSV or Parquet, which stream in bounded memory.
MAX_UNPACKED_BYTES = 256 << 20
#: XML a spreadsheet program writes packs about 10:1; an entry over 1 MiB packed much tighter
#: is filler (whitespace, one repeated character), a zip bomb rather than a roster.
MAX_PACKING_RATIO = 200
_SMALL = 1 << 20


def check_workbook(path: str | Path) -> None:
    """Refuse a workbook that would unpack past the limits, naming the entry and its sizes."""
    try:
        with zipfile.ZipFile(path) as book:
            entries = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: openpyxl says what is wrong with it
    total = 0
    for entry in entries:
        total += entry.file_size
        packed = max(entry.compress_size, 1)
        if entry.file_size > _SMALL and entry.file_size / packed > MAX_PACKING_RATIO:
            raise InputError(
                "xlsx",
                f"{entry.filename} unpacks {entry.file_size // packed}:1 ({_mb(entry.file_size)} "
                f"from {_mb(entry.compress_size)}): filler, not a roster (a zip bomb); save "
                "the roster again from the spreadsheet program",
            )
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            "xlsx",
            f"the workbook unpacks to {_mb(total)}, over the limit of "
            f"{_mb(MAX_UNPACKED_BYTES)} for a workbook roster; save it as CSV (read in bounded "
            "memory) or split it",
        )


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB"


def check_parquet(metadata: Any) -> None:
    """Refuse a Parquet file with a row group that unpacks past ``MAX_UNPACKED_BYTES``: rows
    are read a row group at a time, so that is what one read may hold."""
    for index in range(metadata.num_row_groups):
        size = metadata.row_group(index).total_byte_size
        if size > MAX_UNPACKED_BYTES:
            raise InputError(
                "parquet",
                f"row group {index} unpacks to {_mb(size)}, over the limit of "
                f"{_mb(MAX_UNPACKED_BYTES)}; write the file with smaller row groups",
            )
