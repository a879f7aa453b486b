"""The one way results become JSON-ready dicts: amounts as exact text, never floats.

Every ``to_dict`` of the library (assessments, traces, receipts, batch and diff totals, diff
changes) is built here, so an amount is written the same way everywhere: ``Decimal`` as its
exact text (``"400.00"``), a date in ISO form, a status as its word, and a value class as its
fields in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

import attrs

__all__ = ["fields_of", "json_ready"]


def json_ready(value: Any) -> Any:
    """``value`` as plain JSON data, however deep.

    A value class with a ``to_dict`` is asked for it; another attrs class gives its fields
    (``fields_of``); anything else JSON cannot hold becomes its text.
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    if attrs.has(type(value)):
        to_dict = getattr(value, "to_dict", None)
        return to_dict() if callable(to_dict) else fields_of(value)
    return _text(value)


def _text(value: object) -> str:
    """A scalar as text: a status as its word, a date in ISO form, an amount exactly."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)  # str itself, Decimal ("400.00"), and whatever else JSON cannot hold


def fields_of(value: Any, **extra: Any) -> dict[str, Any]:
    """An attrs value's fields in their order, each JSON-ready, then ``extra``."""
    names = [field.name for field in attrs.fields(type(value))]
    fields = {name: json_ready(getattr(value, name)) for name in names}
    return {**fields, **{name: json_ready(item) for name, item in extra.items()}}
