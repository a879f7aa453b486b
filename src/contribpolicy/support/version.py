"""The library's version, read once from the installed distribution's metadata.

``contribpolicy.__version__``, every receipt's ``library_version``, the columnar output's
``contribpolicy.library_version`` and the SARIF log's tool version all read this one constant.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["VERSION"]

try:
    VERSION: str = version("contribpolicy")
except PackageNotFoundError:  # a source tree that was never installed
    VERSION = "0+unknown"
