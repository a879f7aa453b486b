"""Frozen means frozen (issue 10): a loaded policy's values and a registry are read-only views.

A caller who could change ``Policy.data``, the vocabulary or a rule's parameters would leave the
``content_hash`` in every receipt the hash of something else; a registry is a value, extended
only by ``with_kind``.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from _policy_edit import POLICY_TEXT
from contribpolicy import Policy, ReadOnlyError, loads_policy
from contribpolicy.format.loader import content_hash
from contribpolicy.format.registry import default_registry
from contribpolicy.model.frozen import FrozenDict, FrozenList, freeze, thaw

#: The policy is Any here: its types already say read-only (Mapping); these try it at run time.
Change = Callable[[Any], Any]

CHANGES: dict[str, Change] = {
    "data-set-top": lambda p: p.data.__setitem__("version", "hacked"),
    "data-del-top": lambda p: p.data.__delitem__("silence"),
    "data-update": lambda p: p.data.update(version="hacked"),
    "data-nested-set": lambda p: p.data["money"].__setitem__("places", 0),
    "data-nested-setdefault": lambda p: p.data["money"].setdefault("extra", 1),
    "data-rule-set": lambda p: p.data["schemes"]["medical"]["rules"][2].__setitem__("total", 0),
    "data-rules-append": lambda p: p.data["schemes"]["medical"]["rules"].append({}),
    "data-rules-pop": lambda p: p.data["schemes"]["medical"]["rules"].pop(),
    "data-rules-item": lambda p: p.data["schemes"]["medical"]["rules"].__setitem__(0, {}),
    "data-rules-iadd": lambda p: p.data["schemes"]["medical"]["rules"].__iadd__([{}]),
    "data-rules-sort": lambda p: p.data["schemes"]["medical"]["rules"].sort(key=str),
    "data-ior": lambda p: p.data.__ior__({"version": "hacked"}),
    "vocabulary-statuses": lambda p: p.vocabulary.statuses.__setitem__("rich", "富人"),
    "vocabulary-residence": lambda p: p.vocabulary.residence.clear(),
    "vocabulary-amounts": lambda p: p.vocabulary.amounts.popitem(),
    "schemes": lambda p: p.schemes.pop("medical"),
    "rule-params": lambda p: p.rule("medical-premium").params.__setitem__("total", 0),
    "rule-params-nested": lambda p: p.rule("medical-premium").params["government"].clear(),
}


@pytest.fixture
def policy() -> Policy:
    """A policy of its own, so that a change that got through could not spoil another test."""
    return loads_policy(POLICY_TEXT, file="2025.yaml")


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_loaded_policy_refuses_every_change(policy: Policy, change: Change) -> None:
    """Every way of changing the loaded values raises ReadOnlyError (a TypeError)."""
    before = json.dumps(policy.data, sort_keys=True, default=str)
    with pytest.raises(ReadOnlyError, match="read-only"):
        change(policy)
    assert json.dumps(policy.data, sort_keys=True, default=str) == before


def test_the_content_hash_cannot_go_stale(policy: Policy) -> None:
    """The hash in every receipt is still the hash of the data, after every attempt to change it."""
    for change in CHANGES.values():
        with pytest.raises(TypeError):
            change(policy)
    assert content_hash(policy.data) == policy.content_hash
    person = {"person_id": "p1", "birth_date": "1980-05-01", "residence": "local"}
    receipt = policy.evaluate(person).receipt
    assert receipt.policy_hash == content_hash(policy.data)


def test_registry_kinds_are_read_only() -> None:
    """A registry is a value: its kinds and broken entries cannot be changed in place."""
    registry = default_registry()
    relief = registry.kinds["relief"]
    with pytest.raises(TypeError):
        registry.kinds["relief"] = relief  # type: ignore[index]
    with pytest.raises(TypeError):
        registry.broken["relief"] = "broken"  # type: ignore[index]
    assert default_registry().kinds["relief"] is relief


def test_with_kind_leaves_the_registry_it_extends_unchanged() -> None:
    """with_kind returns a new registry; the old one keeps exactly its kinds."""
    registry = default_registry()
    before = dict(registry.kinds)
    extended = registry.with_kind("another_relief", registry.kinds["relief"].kind, "example 0.1")
    assert dict(registry.kinds) == before
    assert set(extended.kinds) == set(before) | {"another_relief"}


def test_frozen_data_reads_as_plain_data(policy: Policy) -> None:
    """Read-only views are still dict and list: json, isinstance and equality work as before."""
    plain = json.loads(json.dumps(policy.data, default=str))
    assert isinstance(policy.data, dict)
    assert isinstance(policy.data["schemes"]["medical"]["rules"], list)
    assert json.loads(json.dumps(policy.data, default=str)) == plain


def test_frozen_data_pickles_and_copies_read_only() -> None:
    """A policy shipped to a worker (pickle) or copied stays read-only and equal."""
    data = freeze({"rules": [{"id": "a", "tiers": [1, 2]}]})
    for copied in (pickle.loads(pickle.dumps(data)), copy.deepcopy(data), copy.copy(data)):
        assert copied == data
        assert type(copied) is FrozenDict
        assert type(copied["rules"]) is FrozenList
        with pytest.raises(ReadOnlyError):
            copied["rules"][0]["tiers"].append(3)


def test_a_loaded_policy_pickles_read_only(policy: Policy) -> None:
    """The whole policy pickles (evaluate_table ships it to workers) with its data read-only."""
    copied: Policy = pickle.loads(pickle.dumps(policy))
    assert copied.content_hash == policy.content_hash
    with pytest.raises(ReadOnlyError):
        copied.data["money"]["places"] = 0


def test_thaw_gives_a_changeable_copy(policy: Policy) -> None:
    """thaw(policy.data) is plain data to edit; the policy itself is untouched."""
    data = thaw(policy.data)
    assert type(data) is dict
    assert type(data["schemes"]["medical"]["rules"]) is list
    data["schemes"]["medical"]["rules"][2]["total"] = 0
    assert data != policy.data
    assert content_hash(policy.data) == policy.content_hash
