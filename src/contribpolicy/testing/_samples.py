"""The values generated policies and rosters draw from, read once from ``samples.yaml`` (the
numbers live in YAML, as every plan-like number of the project does, never in Python)."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import yaml

__all__ = ["SAMPLES"]


def _read() -> dict[str, tuple[Any, ...]]:
    text = files("contribpolicy.testing").joinpath("samples.yaml").read_text(encoding="utf-8")
    return {name: tuple(values) for name, values in yaml.safe_load(text).items()}


#: Each list of ``samples.yaml`` as a tuple, by its key.
SAMPLES = _read()
