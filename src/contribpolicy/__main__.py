"""``python -m contribpolicy``: the same as the ``contribpolicy`` command."""

from .cli import main

raise SystemExit(main())
