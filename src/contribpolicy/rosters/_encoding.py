"""A CSV roster's encoding, held from its first byte to its last.

Chinese Excel saves "CSV (逗号分隔)" in GBK and "CSV UTF-8" in UTF-8; a roster pasted together
from both holds rows of each. Deciding from the first megabyte read the whole file as one
encoding and garbled the rows in the other (城市社区 became 鍩庡競绀惧尯, counted as read). Here
the file's encoding is the one most of its non-ASCII lines are written in (UTF-8 unless most
are not UTF-8 and are GB18030), and every line is decoded on its own: a line that is not text
in the file's encoding, or a GB18030 file's line that is UTF-8 (GBK text is practically never
valid UTF-8), is named with its row, never guessed at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from contribpolicy.errors import InputError

__all__ = ["DecodedLines", "detect_encoding"]

#: A physical line longer than this many characters is no roster line (``reader``).
_MAX_LINE_CHARS = 1 << 20


def _kind(line: bytes) -> str:
    """``ascii``, ``utf-8`` (non-ASCII, valid UTF-8) or ``other``."""
    if line.isascii():
        return "ascii"
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return "other"
    return "utf-8"


def detect_encoding(head: bytes) -> str:
    """UTF-8 (BOM or not) unless most non-ASCII lines of the head are not UTF-8 and decode as
    GB18030, as Chinese Excel saves. A line cut at the head's end does not count."""
    lines = head.split(b"\n")[:-1] if len(head) > 1 and b"\n" in head else [head]
    utf8 = other = 0
    for line in lines:
        kind = _kind(line.removeprefix(b"\xef\xbb\xbf"))
        utf8 += kind == "utf-8"
        other += kind == "other"
    if other > utf8 and all(_gb18030(line) for line in lines if _kind(line) == "other"):
        return "gb18030"
    return "utf-8-sig"


def _gb18030(line: bytes) -> bool:
    try:
        line.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


class DecodedLines:
    """The lines of a binary file as text in ``encoding``; lines that are not are kept in
    ``bad`` (line number: reason) and given with U+FFFD, for the reader to name their row."""

    def __init__(self, raw: BinaryIO, encoding: str, *, checked: bool) -> None:
        self._raw = raw
        self.encoding = encoding
        self._utf8 = encoding.replace("-", "").replace("_", "").lower().startswith("utf8")
        self._checked = checked  # detected, not named by the user: UTF-8 lines in GB18030 too
        self.number = 0
        self.bad: dict[int, str] = {}
        self.line_num = 0

    def __iter__(self) -> Iterator[str]:
        limit = _MAX_LINE_CHARS * 4  # bytes: at most four per character
        while chunk := self._raw.readline(limit + 1):
            if len(chunk) > limit:
                raise InputError(
                    "csv",
                    f"line {self.number + 1} is longer than {_MAX_LINE_CHARS} characters",
                    row=self.number + 1,
                )
            # Lines end in \n, \r\n or a lone \r (old Mac files), as text mode reads them.
            parts = chunk.splitlines(keepends=True) if b"\r" in chunk[:-2] else (chunk,)
            for part in parts:
                self.number += 1
                first = self.number == 1 and self._utf8
                yield self._decode(part.removeprefix(b"\xef\xbb\xbf") if first else part)

    def _decode(self, line: bytes) -> str:
        if line.isascii():
            return line.decode("ascii")
        name = "UTF-8" if self._utf8 else self.encoding.upper()
        try:
            text = line.decode(self.encoding)
        except UnicodeDecodeError as err:
            if not self._checked:  # the user named the encoding, and it is not the file's
                raise InputError(
                    "encoding",
                    f"not {name} text at line {self.number} ({err.reason}); name the file's "
                    "encoding with --encoding (such as gb18030), or save it as 'CSV UTF-8'",
                ) from None
            self.bad[self.number] = (
                f"line {self.number} is not {name} text ({err.reason} at byte {err.start}), "
                f"while the file is {name}; save the roster in one encoding"
            )
            return line.decode(self.encoding, errors="replace")
        if self._checked and not self._utf8 and _kind(line) == "utf-8":
            self.bad[self.number] = (
                f"line {self.number} is UTF-8 text, while the file is {name}: read as {name} "
                f"it would be garbled; save the roster in one encoding"
            )
        return text
