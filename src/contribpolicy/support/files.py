"""Opening a file someone else named, without hanging on it or following it somewhere else.

A path in a policy (``extends:``) or on a command line may name a FIFO (``open`` would wait for
a writer forever), a device (``/dev/zero`` never ends) or a symlink to a file the author could
not read themselves. These helpers open without blocking, then look at what was opened.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "NotARegularFile",
    "UnsafeOutput",
    "check_output",
    "check_outputs",
    "is_below",
    "open_regular",
    "what_it_is",
]


class NotARegularFile(OSError):
    """The path names a FIFO, a device, a directory or a socket, not a file."""


def what_it_is(mode: int) -> str:
    """The kind of a file that is not a regular file, in words for a message."""
    kinds = (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((words for test, words in kinds if test(mode)), "not a regular file")


def open_regular(path: str | Path) -> BinaryIO:
    """``path`` opened for reading in binary, if it is a regular file; ``NotARegularFile``
    otherwise. Opened with O_NONBLOCK first, so a FIFO with no writer does not block."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(0, f"{what_it_is(mode)}, not a file", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def is_below(path: str | Path, folder: str | Path) -> bool:
    """Whether ``path``, links resolved, is inside ``folder`` (links resolved)."""
    resolved = Path(os.path.realpath(path))
    base = Path(os.path.realpath(folder))
    return resolved == base or base in resolved.parents


class UnsafeOutput(OSError):
    """An output path that would replace something that is not a previous output: an input of
    the same run, a device, a FIFO, a directory, or a symbolic link (renaming over a link
    replaces the link, not the file it points to)."""


def check_output(path: str | Path) -> None:
    """Refuse to write ``path`` unless it is absent or a regular file (not a link to one)."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(found.st_mode):
        message = "is a symbolic link; name the file it points to (an output replaces the link)"
        raise UnsafeOutput(0, message, str(path))
    if not stat.S_ISREG(found.st_mode):
        message = f"is {what_it_is(found.st_mode)}, not a file an output may replace"
        raise UnsafeOutput(0, message, str(path))


def check_outputs(outputs: Mapping[str, str | None], inputs: Mapping[str, str | None]) -> None:
    """Refuse outputs (by option) that are the same file as an input (by role), links and hard
    links resolved, or as each other; and any that ``check_output`` refuses."""
    given = {option: path for option, path in outputs.items() if path and path != "-"}
    seen: dict[tuple[int, int] | str, str] = {}
    for role, path in inputs.items():
        if path and path != "-" and os.path.exists(path):
            seen[_identity(path)] = f"the {role}"
    for option, path in given.items():
        check_output(path)
        identity = _identity(path)
        if identity in seen:
            message = f"is the same file as {seen[identity]}: {option} would replace it"
            raise UnsafeOutput(0, message, path)
        seen[identity] = f"the output of {option}"


def _identity(path: str) -> tuple[int, int] | str:
    """The (device, inode) of an existing file, else its absolute path with links resolved."""
    try:
        found = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return found.st_dev, found.st_ino
