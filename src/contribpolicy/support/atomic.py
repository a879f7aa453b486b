"""Writing a file so that it appears complete or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from contribpolicy.support.files import check_output

__all__ = ["atomic_path", "atomic_writer"]


@contextmanager
def atomic_writer(path: str | Path, *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file that appears at ``path`` complete or not at all.

    A roster output is handed on to collectors; a run that fails half-way must not leave a
    truncated file that looks finished, so the text goes to a temporary file beside the target
    and replaces it only once everything is written. Any exception, KeyboardInterrupt included,
    removes the temporary file; a process killed outright (SIGKILL) leaves it, named
    ``.OUT.<random>.tmp``, but never touches ``OUT``. A ``path`` that is a link, a device or a
    FIFO is refused (``files.UnsafeOutput``): the rename would replace it with a plain file.
    """
    target = Path(path)
    check_output(target)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, on every path
        "w",
        encoding=encoding,
        newline="",
        dir=target.parent,
        prefix=f".{target.name}.",
        suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            yield handle
            # On disk before the rename: after a power cut the name shows the old file or the
            # whole new one, not a new name over blocks that were never written.
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file 0600; give it the mode an ordinary open() would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for a library that writes a file by name (a workbook,
    a Parquet file); it replaces ``path`` only when the block ends without an exception."""
    target = Path(path)
    check_output(target)
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(descriptor)
    try:
        yield Path(name)
        with open(name, "rb+") as handle:
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(name, 0o666 & ~umask)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
