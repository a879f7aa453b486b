"""Each fact written once (issue 10): status words, the common rule keys, shared constants.

The status words are one ``StrEnum`` that the per-person and the columnar paths both use; the keys
every rule has come from the schema's ``$defs/rule_common``; the earliest birth year, the fields
dropped when blank and the library version are one constant each.
"""

# pyarrow ships no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from importlib.metadata import version
from typing import Any

import pyarrow as pa
import pytest

import contribpolicy
from contribpolicy import Policy, Registry, RegistryError, Status
from contribpolicy.columnar import evaluate_table
from contribpolicy.errors import InputError
from contribpolicy.format._shipped import base_schema, common_rule_keys
from contribpolicy.model.person import EARLIEST_BIRTH_YEAR
from contribpolicy.model.protocol import BuildContext
from contribpolicy.model.results import STATUSES
from contribpolicy.support.version import VERSION

ROW = {"person_id": "p1", "residence": "local", "pension_tier": "500"}


def test_status_is_one_str_enum_for_both_paths(policy_2025: Policy) -> None:
    """Policy.evaluate's status is a Status; evaluate_table writes the same Status's text."""
    rows = [
        {**ROW, "birth_date": "1980-05-01"},  # eligible for both schemes
        {**ROW, "birth_date": "1959-06-30"},  # 65: pension ineligible (16 to 59)
        {**ROW, "birth_date": "1980-05-01", "pension_tier": "100"},  # 100 tier: pension error
    ]
    output = evaluate_table(policy_2025, pa.Table.from_pylist(rows)).to_pylist()
    expected = [Status.ELIGIBLE, Status.INELIGIBLE, Status.ERROR]
    for row, columnar, status in zip(rows, output, expected, strict=True):
        person = policy_2025.evaluate(row)["pension"].status
        assert type(person) is Status
        assert person is status
        assert Status(columnar["pension_status"]) is status


def test_status_codes_are_positions_in_statuses() -> None:
    """The columnar int8 code of a status reads back to the same member."""
    assert [status.code for status in Status] == list(range(len(Status)))
    assert all(STATUSES[status.code] is status for status in Status)


def test_status_serialises_as_its_text(policy_2025: Policy) -> None:
    """to_dict carries plain text, and repr shows the text, as before Status existed."""
    result = policy_2025.evaluate({**ROW, "birth_date": "1980-05-01"})["medical"]
    data = result.to_dict(trace=False)
    assert type(data["status"]) is str
    assert json.loads(json.dumps(data))["status"] == "eligible"
    assert "status='eligible'" in repr(result)


def test_common_rule_keys_come_from_the_schema() -> None:
    """The loader's and the registry's common keys are $defs/rule_common's properties."""
    common = base_schema()["$defs"]["rule_common"]["properties"]
    assert common_rule_keys() == frozenset(common)
    assert {"id", "kind", "label", "cite", "when", "silence", "after", "before"} <= set(common)


class _KindWithAfter:
    """A kind whose parameter is called ``after``, as a policy that extends another places rules."""

    parameters: Mapping[str, Any] = {"properties": {"after": {"type": "integer"}}}

    def build(self, params: Mapping[str, Any], context: BuildContext) -> object:
        raise NotImplementedError


def test_a_parameter_named_after_is_refused_at_registration() -> None:
    """A kind with an ``after`` parameter would register, then refuse every rule: refused now."""
    with pytest.raises(RegistryError, match=r"redefines the common rule keys \['after'\]"):
        Registry().with_kind("placed", _KindWithAfter(), "example 0.1")


def test_birth_year_before_the_earliest_is_refused_by_both_paths(policy_2025: Policy) -> None:
    """One earliest birth year: a year before it is an input error per person and columnar."""
    born = date(EARLIEST_BIRTH_YEAR - 1, 12, 31).isoformat()
    with pytest.raises(InputError, match="birth_date"):
        policy_2025.evaluate({**ROW, "birth_date": born})
    row = evaluate_table(policy_2025, pa.Table.from_pylist([{**ROW, "birth_date": born}]))
    assert row.to_pylist()[0]["pension_status"] == "error"
    assert "birth_date" in row.to_pylist()[0]["message"]


def test_one_version_constant() -> None:
    """__version__, receipts and the CLI read the installed distribution's version."""
    assert contribpolicy.__version__ == VERSION == version("contribpolicy")
