"""A progress bar on stderr while a long roster is assessed (rows/s and time left).

Shown only when stderr is a terminal and ``--quiet`` is not given: a log file or a pipeline
gets no control characters. The bar is tqdm's (the ``progress`` extra); without it there is
simply none. The row total is the source's count where it keeps one (a sheet, a Parquet file)
and an estimate from the CSV's size and its first lines otherwise, so the time left is a guide.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

__all__ = ["with_progress"]

_Row = TypeVar("_Row")
#: Rows between updates: the bar costs nothing measurable per row.
_EVERY = 1 << 12


def with_progress(
    rows: Iterable[_Row], stream: IO[str], total: int | None, *, enabled: bool
) -> Iterator[_Row]:
    """``rows`` as they are, counted on a bar on ``stream`` when enabled and it is a terminal."""
    isatty = getattr(stream, "isatty", None)
    if not enabled or isatty is None or not isatty():
        yield from rows
        return
    try:
        from tqdm import tqdm  # type: ignore[import-untyped]
    except ImportError:
        yield from rows
        return
    with tqdm(total=total or None, file=stream, unit=" rows", unit_scale=True) as bar:
        count = 0
        for row in rows:
            yield row
            count += 1
            if count == _EVERY:
                bar.update(count)
                count = 0
        bar.update(count)
