"""What the static checks need to know about each rule kind, keyed by the kind's name.

This belongs on the kinds themselves (an optional attribute of the plugin protocol, like
``offered_tiers``); until the protocol has it, the table lives here. A kind that is not in the
table (a third-party kind) gets ``DEFAULT``: it combines with rules of its kind (so no overlap
is reported for it) and plays none of the roles below.
"""

from __future__ import annotations

import attrs

__all__ = ["DEFAULT", "TRAITS", "KindTraits", "traits_of"]


@attrs.frozen
class KindTraits:
    """How rules of a kind behave when several apply to one person.

    ``combines``: several rules of the kind applying to one person is intended (eligibility
    requirements all hold, reliefs declare how they combine). When it is false, two of them
    applying to one person is an overlap: the later one overrides or doubles the earlier.
    ``overlap_group``: kinds that overlap each other (a tier choice and a fixed premium both set
    the individual part). ``sets_premium``: sets what the person owes (a scheme whose eligible
    people meet none of these pays nothing: a gap). ``tier_subsidy``: pays a subsidy by tier.
    ``share``/``combine``: the parameters holding a relief's share and how it combines.
    ``total``: the parameter that declares the scheme's total for the people it applies to.
    """

    combines: bool = True
    overlap_group: str | None = None
    sets_premium: bool = False
    tier_subsidy: bool = False
    share: str | None = None
    combine: str | None = None
    total: str | None = None


DEFAULT = KindTraits()

TRAITS: dict[str, KindTraits] = {
    "eligibility": KindTraits(),
    "tier_choice": KindTraits(combines=False, overlap_group="premium", sets_premium=True),
    "premium_split": KindTraits(
        combines=False, overlap_group="premium", sets_premium=True, total="total"
    ),
    "tier_subsidy": KindTraits(combines=False, overlap_group="tier_subsidy", tier_subsidy=True),
    # Several proxy payments add up, each covering what is still owed (代缴 of two groups).
    "proxy_payment": KindTraits(share="share"),
    "relief": KindTraits(share="share", combine="combine"),
    "sponsorship": KindTraits(),
}


def traits_of(kind: str) -> KindTraits:
    return TRAITS.get(kind, DEFAULT)
