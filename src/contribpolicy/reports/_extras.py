"""Importing a report's optional library, or saying which extra installs it."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["needs"]

_EXTRAS = {"jinja2": "reports", "matplotlib": "charts", "openpyxl": "excel"}


def needs(module: str, what: str) -> Any:
    """``module`` imported, or an ImportError naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        package = module.partition(".")[0]
        raise ImportError(
            f"{what} needs {package}: pip install 'contribpolicy[{_EXTRAS[package]}]'"
        ) from err
