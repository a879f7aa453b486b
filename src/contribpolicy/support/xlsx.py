"""Workbook files written the same way every time, and cleaned up when writing fails.

openpyxl stamps ``docProps/core.xml`` with the time of saving and each zip entry with the
time it was written, so two runs on the same inputs gave different bytes (CSV and Parquet
outputs are byte-identical run to run). ``fix_dates`` rewrites both to one fixed time. And a
write-only workbook keeps a generator writing each sheet to a temporary file: when a write
fails (a full disk) that generator, left open, printed an "Exception ignored" traceback when
collected and left its file behind; ``discard`` closes it quietly and removes the file.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["FIXED_TIME", "discard", "fix_dates"]

#: The time every workbook says it was made: the earliest a zip entry can carry.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def fix_dates(path: str | Path) -> None:
    """Rewrite the workbook at ``path`` with fixed dates, entry by entry (bounded memory)."""
    fixed = Path(f"{path}.fixed")
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(fixed, "w") as target:
            for info in source.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o600 << 16
                if info.filename == "docProps/core.xml":
                    stamp = b"\\g<1>1980-01-01T00:00:00Z\\g<2>"
                    target.writestr(entry, _STAMP.sub(stamp, source.read(info)))
                    continue
                with source.open(info) as read, target.open(entry, "w") as write:
                    shutil.copyfileobj(read, write, 1 << 20)
        os.replace(fixed, path)
    finally:
        fixed.unlink(missing_ok=True)


def discard(sheet: Any) -> None:
    """Close a write-only sheet's writer after a failure, without raising, and remove the
    temporary file it was writing."""
    writer = getattr(sheet, "_writer", None)
    stream = getattr(writer, "xf", None)
    if stream is not None:
        with contextlib.suppress(Exception):
            stream.close()
    out = getattr(writer, "out", None)
    if isinstance(out, str):
        Path(out).unlink(missing_ok=True)
