"""The whole plugin contract in one place (issue 10): what a kind declares, checked at registration.

What the static checks need to know about a kind is declared on the kind (``KindTraits``), not
kept in a table of built-in names; a member name close to one of the contract's is refused when
the kind registers, naming the close match, as pluggy refuses an unknown hook.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

from _policy_edit import POLICY_TEXT, edit, issues_of, load_text
from contribpolicy import Registry, RegistryError, check_policy
from contribpolicy.engine._guard import built_in
from contribpolicy.format.registry import default_registry
from contribpolicy.model.protocol import TRAIT_NAMES, BuildContext, KindTraits
from contribpolicy.plugin import Changes, Facts, SchemeState

LAST_MEDICAL_RULE = "        amount_from: medical_sponsor\n"
BONUS = """\
      - id: medical-bonus-{n}
        kind: flat_bonus
        label: 测试用的财政奖励
        cite: 测试
        bonus: 20
"""


@attrs.frozen
class _Effect:
    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        return ()


@attrs.frozen
class _EffectWithTypo:
    """``apply_column`` for ``apply_columns``: the rule would silently run row by row."""

    def apply(self, facts: Facts, state: SchemeState) -> Changes:
        return ()

    def apply_column(self, columns: object, state: object, where: object) -> None:
        raise NotImplementedError


class _Kind:
    parameters: Mapping[str, Any] = {"properties": {}}

    def build(self, params: Mapping[str, Any], context: BuildContext) -> object:
        return _Effect()


class _TraitTypo(_Kind):
    combine = False  # for ``combines``


class _CheckTypo(_Kind):
    def check_schemes(self) -> None:  # for the effect's ``check_scheme``, on the kind
        raise NotImplementedError


class _TypoInAnnotatedEffect(_Kind):
    def build(self, params: Mapping[str, Any], context: BuildContext) -> _EffectWithTypo:
        return _EffectWithTypo()


class _TypoInUnannotatedEffect(_Kind):
    def build(self, params: Mapping[str, Any], context: BuildContext) -> Any:
        return _EffectWithTypo()


class _WrongTraitType(_Kind):
    sets_premium = "yes"


class _Declares(_Kind):
    combines = False
    overlap_group = "premium"
    sets_premium = True
    total_parameter = "total"


def test_a_misspelt_trait_is_refused_naming_the_close_match() -> None:
    """``combine = False`` would be ignored and the kind taken to combine: refused instead."""
    with pytest.raises(RegistryError, match=r"`combine` .* did you mean `combines`\?"):
        Registry().with_kind("typo", _TraitTypo(), "example 0.1")


def test_a_misspelt_member_on_the_kind_is_refused() -> None:
    """A name close to a member of the contract (``check_schemes``) is refused."""
    with pytest.raises(RegistryError, match=r"`check_schemes` .* did you mean `check_scheme`\?"):
        Registry().with_kind("typo", _CheckTypo(), "example 0.1")


def test_a_misspelt_apply_columns_is_refused_at_registration() -> None:
    """The class ``build`` is annotated to return is checked when the kind registers."""
    with pytest.raises(RegistryError, match=r"`apply_column` .* did you mean `apply_columns`\?"):
        Registry().with_kind("typo", _TypoInAnnotatedEffect(), "example 0.1")


def test_a_misspelt_apply_columns_is_a_load_issue_when_unannotated(tmp_path: Path) -> None:
    """Without an annotation to read, the built rule is checked when a policy builds it."""
    registry = default_registry().with_kind("typo", _TypoInUnannotatedEffect(), "example 0.1")
    rule = "      - id: medical-typo\n        kind: typo\n        label: 测试\n        cite: 测试\n"
    text = edit((LAST_MEDICAL_RULE, LAST_MEDICAL_RULE + "\n" + rule))
    issues = issues_of(tmp_path, text, registry=registry)
    assert [issue.code for issue in issues] == ["plugin.build"]
    assert "did you mean `apply_columns`?" in issues[0].message
    assert issues[0].rule_id == "medical-typo"


def test_a_trait_of_the_wrong_type_is_refused() -> None:
    """A trait is checked for its type: ``sets_premium = "yes"`` is not a bool."""
    with pytest.raises(RegistryError, match=r"`sets_premium` is str 'yes', not bool"):
        Registry().with_kind("odd", _WrongTraitType(), "example 0.1")


def test_declared_traits_are_read_at_registration() -> None:
    """What a kind declares is its registered traits; what it does not, the defaults."""
    traits = Registry().with_kind("mine", _Declares(), "example 0.1").kinds["mine"].traits
    assert traits == KindTraits(
        combines=False, overlap_group="premium", sets_premium=True, total_parameter="total"
    )
    assert Registry().with_kind("plain", _Kind(), "example 0.1").kinds["plain"].traits == (
        KindTraits()
    )


def test_built_in_kinds_declare_what_the_checks_read() -> None:
    """The roles the checks once looked up by built-in name are declared on each kind."""
    kinds = default_registry().kinds
    declared = {name: kinds[name].traits for name in kinds}
    assert all(declared[name].built_in for name in kinds if name != "flat_bonus")
    assert not declared["flat_bonus"].built_in
    assert [name for name in sorted(kinds) if not declared[name].combines] == [
        "flat_bonus",
        "premium_split",
        "tier_choice",
        "tier_subsidy",
    ]
    assert declared["tier_choice"].overlap_group == declared["premium_split"].overlap_group
    assert [name for name in sorted(kinds) if declared[name].sets_premium] == [
        "premium_split",
        "tier_choice",
    ]
    assert declared["tier_subsidy"].subsidy_by_tier
    assert declared["relief"].share_parameter == "share"
    assert declared["relief"].combine_parameter == "combine"
    assert declared["proxy_payment"].share_parameter == "share"
    assert declared["premium_split"].total_parameter == "total"


def test_rules_carry_their_kinds_traits_and_the_guard_reads_them(tmp_path: Path) -> None:
    """Whether a rule's results are guarded follows what its kind declares, not its module."""
    text = edit((LAST_MEDICAL_RULE, LAST_MEDICAL_RULE + "\n" + BONUS.format(n=1)))
    policy = load_text(tmp_path, text)
    premium = policy.rule("medical-premium")
    bonus = policy.rule("medical-bonus-1")
    assert premium.traits.sets_premium
    assert built_in(premium)
    assert not built_in(bonus)
    assert not built_in(attrs.evolve(premium, traits=KindTraits()))


def test_a_third_party_kind_that_does_not_combine_is_checked_for_overlaps(
    tmp_path: Path,
) -> None:
    """flat_bonus declares ``combines = False``: two bonuses for one person are check.overlap."""
    rules = BONUS.format(n=1) + "\n" + BONUS.format(n=2)
    policy = load_text(tmp_path, edit((LAST_MEDICAL_RULE, LAST_MEDICAL_RULE + "\n" + rules)))
    overlaps = [f for f in check_policy(policy) if f.code == "check.overlap"]
    assert [finding.rule_id for finding in overlaps] == ["medical-bonus-2"]


def test_every_trait_is_documented_in_the_plugins_page() -> None:
    """docs/plugins.md lists every trait a kind may declare."""
    page = (Path(__file__).parent.parent / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert [name for name in TRAIT_NAMES if f"| `{name}` |" not in page] == []


def test_the_2025_policy_text_still_loads_with_declared_traits(tmp_path: Path) -> None:
    """The shipped policy loads unchanged: every built-in kind registers with its traits."""
    assert load_text(tmp_path, POLICY_TEXT).rule("medical-premium").traits.built_in


class _OwnNames(_Kind):
    """Names of the plugin's own that only resemble the contract's are its business."""

    changed = "a word of its own"

    def rebuild(self) -> None:
        raise NotImplementedError


def test_names_only_resembling_the_contract_are_allowed() -> None:
    """``changed`` (like ``unchanged``) and ``rebuild`` (like ``build``) are not misspellings."""
    registered = Registry().with_kind("own", _OwnNames(), "example 0.1").kinds["own"]
    assert registered.traits == KindTraits()
