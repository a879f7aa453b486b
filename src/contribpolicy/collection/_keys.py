"""How reconciliation finds people: payment group keys, ID numbers, death dates, payers.

A roster row is found in the payments by its ``person_id``, and by ``id:`` and its ID number
(a tax export may carry only that), each joined to the scheme and year paid for.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pyarrow as pa

from contribpolicy.collection._ledger import group_key
from contribpolicy.engine.idnumber import IdNumberProblem, normalize_id_number
from contribpolicy.engine.values import ascii_form
from contribpolicy.errors import InputError

__all__ = ["RECIPIENT_OF", "death_date_of", "group_keys", "id_key"]

#: Who gets back money paid through each channel.
RECIPIENT_OF = {
    "agent": "person",
    "self": "person",
    "government": "government",
    "sponsor": "sponsor",
}


def group_keys(keys: pa.Array, scheme: str, year: int) -> pa.Array:
    """Each key as the text its payment group is found by (null where there is no key)."""
    import pyarrow.compute as pc

    suffix = group_key("", scheme, year)
    return pc.binary_join_element_wise(keys, pa.scalar(suffix), "")


def id_key(raw: str | None) -> str | None:
    text = ascii_form(raw or "")
    if not text:
        return None
    try:
        return "id:" + normalize_id_number(text)
    except IdNumberProblem:
        return None  # the roster's own check reports it


def death_date_of(record: Mapping[str, str]) -> date | None:
    text = ascii_form(record.get("death_date") or "")
    if not text:
        return None
    try:
        if len(text) == 10 and text[4] == "-" == text[7]:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise InputError("death_date", f"expected a date YYYY-MM-DD, found {text!r}", value=text)
