"""The ``contribpolicy`` command: a thin shell over the library."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    return 0 if argv is None else 0 if sys.argv else 0
