"""One way results become JSON-ready dicts (issue 10): exact amounts, in field order."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import attrs

from contribpolicy import Status
from contribpolicy.model.results import Amounts
from contribpolicy.support.jsonable import fields_of, json_ready


@attrs.frozen
class _Row:
    name: str
    amount: Decimal
    due: date
    status: Status
    parts: tuple[Amounts, ...]


def test_amounts_are_exact_text_and_totals_follow_the_parts() -> None:
    """400.00 stays "400.00" (never 400.0); the total is the parts' sum, last."""
    amounts = Amounts(Decimal("400.00"), Decimal("670.00"), Decimal("0.00"))
    assert amounts.to_dict() == {
        "individual": "400.00",
        "government": "670.00",
        "sponsor": "0.00",
        "total": "1070.00",
    }
    assert list(amounts.to_dict()) == ["individual", "government", "sponsor", "total"]


def test_value_classes_give_their_fields_in_order() -> None:
    """Dates in ISO form, statuses as their words, nested values through their to_dict."""
    row = _Row("甲", Decimal("0.50"), date(2025, 1, 1), Status.ERROR, (Amounts(*[Decimal(1)] * 3),))
    data = fields_of(row, extra=Decimal("1.10"))
    assert data == {
        "name": "甲",
        "amount": "0.50",
        "due": "2025-01-01",
        "status": "error",
        "parts": [{"individual": "1", "government": "1", "sponsor": "1", "total": "3"}],
        "extra": "1.10",
    }
    assert type(data["status"]) is str
    assert json.loads(json.dumps(json_ready(row))) == fields_of(row)
