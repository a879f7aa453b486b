"""``python -m contribpolicy``: the same as the ``contribpolicy`` command."""

from contribpolicy.cli import main

raise SystemExit(main())
