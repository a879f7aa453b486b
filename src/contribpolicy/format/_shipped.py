"""The JSON Schema the package ships: read once, below both the registry and the schema checks.

The registry needs the schema's shared definitions (to check a kind's ``$ref``), and the schema
checks need the registry (to add each kind's parameters): reading the file sits below both.
"""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from typing import Any

__all__ = ["base_schema", "common_rule_keys"]


@functools.cache
def _base_text() -> str:
    return files("contribpolicy").joinpath("schema/policy.schema.json").read_text("utf-8")


def base_schema() -> dict[str, Any]:
    """The shipped schema, without rule kinds' parameters (a fresh copy each call)."""
    result: dict[str, Any] = json.loads(_base_text())
    return result


@functools.cache
def common_rule_keys() -> frozenset[str]:
    """The keys every rule has whatever its kind (``id``, ``kind``, ``when``, ``after``...).

    Defined once, in the schema's ``$defs/rule_common``: the loader leaves them out of a
    rule's parameters, and the registry refuses a kind whose parameters reuse one.
    """
    return frozenset(base_schema()["$defs"]["rule_common"]["properties"])
