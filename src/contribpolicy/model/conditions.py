"""Structured conditions: the only way a policy says who a rule is for.

A condition is data (no expression strings, nothing evaluated as code) compiled once into a tree
of small frozen objects. ``failure(facts)`` returns ``None`` when the condition holds and
otherwise the innermost condition that failed, so the trace can say *why not* without paying
for any text on the fast path: the words are produced by ``explain`` only when someone reads them.

Each node also has a columnar form for whole rosters, kept beside the columnar evaluator in
``contribpolicy.columnar._conditions`` (masks and texts over NumPy arrays), so that this module,
like the rest of ``model``, needs no NumPy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from contribpolicy.model.facts import Facts

__all__ = [
    "AgeBySex",
    "AgeRange",
    "AllOf",
    "AnyOf",
    "AnyStatus",
    "Condition",
    "EarlierMatch",
    "FlagSet",
    "HasAllStatuses",
    "InputIn",
    "InputRange",
    "Named",
    "NoStatus",
    "Not",
    "walk",
]


class Condition:
    """Base of every condition node."""

    __slots__ = ()

    def failure(self, facts: Facts) -> Condition | None:
        """This condition when it fails for ``facts`` (or the part of it that fails), else None."""
        raise NotImplementedError

    def describe(self) -> str:
        """What the condition requires, in words."""
        raise NotImplementedError

    def explain(self, facts: Facts) -> str:
        """Why the condition does not hold for these facts."""
        return f"requires {self.describe()}"


def _plain(value: object) -> str:
    """A value as a policy file spells it: true, none, 350, local."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(codes)


@attrs.frozen
class AgeRange(Condition):
    """The person's age (by the policy's age basis) within ``minimum``..``maximum``."""

    minimum: int | None
    maximum: int | None

    def failure(self, facts: Facts) -> Condition | None:
        """Fails when the age is below ``minimum`` or above ``maximum``."""
        age = facts.age
        if self.minimum is not None and age < self.minimum:
            return self
        if self.maximum is not None and age > self.maximum:
            return self
        return None

    def describe(self) -> str:
        """The range in words: ``age 16 to 59``, ``age 70 or over``."""
        if self.maximum is None:
            return f"age {self.minimum} or over"
        if self.minimum is None:
            return f"age {self.maximum} or under"
        return f"age {self.minimum} to {self.maximum}"

    def explain(self, facts: Facts) -> str:
        """Why the person is outside the range: their age and the range."""
        return f"age {facts.age} is outside {self.describe()}"


_SEX_WORDS = {"male": "men", "female": "women"}


@attrs.frozen
class AgeBySex(Condition):
    """An age range whose bounds differ by sex (pension ages 16-59 for men, 16-54 for women).

    ``default`` is for a sex without bounds of its own; the record parser guarantees every
    person of a policy that declares ``inputs.sex`` has one.
    """

    default: AgeRange
    male: AgeRange | None
    female: AgeRange | None

    def range_for(self, sex: object) -> AgeRange:
        """The age range for a person of this sex."""
        found = self.male if sex == "male" else self.female if sex == "female" else None
        return self.default if found is None else found

    def failure(self, facts: Facts) -> Condition | None:
        """Self when the condition does not hold for these facts, else None."""
        return None if self.range_for(facts.values.get("sex")).failure(facts) is None else self

    def describe(self) -> str:
        """What the condition requires, in words."""
        return "; ".join(f"{self.range_for(s).describe()} for {_SEX_WORDS[s]}" for s in _SEX_WORDS)

    def explain(self, facts: Facts) -> str:
        """Why the condition does not hold for these facts."""
        sex = facts.values.get("sex")
        wanted = self.range_for(sex).describe()
        return f"age {facts.age} is outside {wanted} for {_SEX_WORDS.get(str(sex), sex)}"


@attrs.frozen
class InputRange(Condition):
    """A whole-number input (a choice, a number such as years paid) within bounds, inclusive.
    An unknown value fails the test: nothing is guessed."""

    field: str
    minimum: int | None
    maximum: int | None

    def failure(self, facts: Facts) -> Condition | None:
        """Self when the condition does not hold for these facts, else None."""
        value = facts.values.get(self.field)
        if value is None:
            return self
        if self.minimum is not None and value < self.minimum:
            return self
        if self.maximum is not None and value > self.maximum:
            return self
        return None

    def describe(self) -> str:
        """What the condition requires, in words."""
        if self.maximum is None:
            return f"{self.field} {self.minimum} or more"
        if self.minimum is None:
            return f"{self.field} {self.maximum} or less"
        return f"{self.field} {self.minimum} to {self.maximum}"

    def explain(self, facts: Facts) -> str:
        """Why the condition does not hold for these facts."""
        found = _plain(facts.values.get(self.field))
        return f"{self.field} is {found}; the rule requires {self.describe()}"


@attrs.frozen
class AnyStatus(Condition):
    """The person has at least one of the statuses."""

    codes: frozenset[str]
    order: tuple[str, ...]

    def failure(self, facts: Facts) -> Condition | None:
        """Fails when the person has none of the statuses."""
        return None if self.codes & facts.statuses else self

    def describe(self) -> str:
        """The statuses in words, in the order the policy wrote them."""
        return f"any status of {_codes(self.order)}"

    def explain(self, facts: Facts) -> str:
        """Why it failed: the person has none of the statuses."""
        return f"has none of the statuses {_codes(self.order)}"


@attrs.frozen
class HasAllStatuses(Condition):
    """The person has every one of the statuses."""

    codes: frozenset[str]
    order: tuple[str, ...]

    def failure(self, facts: Facts) -> Condition | None:
        """Fails when any of the statuses is missing."""
        return None if self.codes <= facts.statuses else self

    def describe(self) -> str:
        """The statuses in words, in the order the policy wrote them."""
        return f"all statuses {_codes(self.order)}"

    def explain(self, facts: Facts) -> str:
        """Why it failed: the statuses the person lacks."""
        missing = [code for code in self.order if code not in facts.statuses]
        return f"lacks the status {_codes(tuple(missing))}"


@attrs.frozen
class NoStatus(Condition):
    """The person has none of the statuses."""

    codes: frozenset[str]
    order: tuple[str, ...]

    def failure(self, facts: Facts) -> Condition | None:
        """Fails when the person has any of the statuses."""
        return self if self.codes & facts.statuses else None

    def describe(self) -> str:
        """The statuses in words, in the order the policy wrote them."""
        return f"none of the statuses {_codes(self.order)}"

    def explain(self, facts: Facts) -> str:
        """Why it failed: the statuses the person has."""
        found = [code for code in self.order if code in facts.statuses]
        return f"has the status {_codes(tuple(found))}"


@attrs.frozen
class FlagSet(Condition):
    """A declared flag input is set for the person."""

    flag: str

    def failure(self, facts: Facts) -> Condition | None:
        """Fails when the flag is not set."""
        return None if facts.values.get(self.flag) else self

    def describe(self) -> str:
        """The condition in words: ``<flag> is set``."""
        return f"{self.flag} is set"

    def explain(self, facts: Facts) -> str:
        """Why it failed: the flag is not set."""
        return f"{self.flag} is not set"


@attrs.frozen
class InputIn(Condition):
    """A declared input (residence, a choice) has one of the allowed values."""

    field: str
    allowed: tuple[Any, ...]

    def failure(self, facts: Facts) -> Condition | None:
        """Fails when the input's value is not one of the allowed ones."""
        return None if facts.values.get(self.field) in self.allowed else self

    def describe(self) -> str:
        """The condition in words: ``residence is local`` or ``... is one of ...``."""
        if len(self.allowed) == 1:
            return f"{self.field} is {_plain(self.allowed[0])}"
        return f"{self.field} is one of {', '.join(map(_plain, self.allowed))}"

    def explain(self, facts: Facts) -> str:
        """Why it failed: the value found and the values required."""
        found = _plain(facts.values.get(self.field))
        return f"{self.field} is {found}; the rule requires {self.describe()}"


@attrs.frozen
class AllOf(Condition):
    """Every part holds (``all_of``, or a named condition with its label)."""

    parts: tuple[Condition, ...]
    label: str | None = None

    def failure(self, facts: Facts) -> Condition | None:
        """The first part that fails, else None."""
        for part in self.parts:
            failed = part.failure(facts)
            if failed is not None:
                return failed
        return None

    def describe(self) -> str:
        """The label, or the parts in words joined by ``and``."""
        return self.label or " and ".join(part.describe() for part in self.parts)


@attrs.frozen
class AnyOf(Condition):
    """At least one part holds (``any_of``)."""

    parts: tuple[Condition, ...]
    label: str | None = None

    def failure(self, facts: Facts) -> Condition | None:
        """Fails (as a whole) when no part holds."""
        for part in self.parts:
            if part.failure(facts) is None:
                return None
        return self

    def describe(self) -> str:
        """The label, or the parts in words joined by ``or``."""
        return self.label or "(" + " or ".join(part.describe() for part in self.parts) + ")"

    def explain(self, facts: Facts) -> str:
        """Why it failed: why each part failed."""
        return f"none of: {'; '.join(part.explain(facts) for part in self.parts)}"


@attrs.frozen(eq=False)
class Named(AllOf):
    """A named condition (``conditions:`` in a policy), shared by every condition that names it.

    Named conditions form a DAG, not a tree: ``d2: {all: [{condition: d1}, {condition: d1}]}``
    names ``d1`` twice, and walking such a policy as a tree doubles the cost per level. So a named
    condition is tested once per person (the answer is kept in ``Facts.memo``) and compares by
    identity (the compiler makes one object per name; hashing by value would walk the tree).
    """

    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def failure(self, facts: Facts) -> Condition | None:
        """The parts' failure, computed once per person and kept in ``facts.memo``."""
        memo = facts.memo
        if memo is None:
            memo = facts.memo = {}
        elif self in memo:
            known: Condition | None = memo[self]
            return known
        failed = AllOf.failure(self, facts)
        memo[self] = failed
        return failed


def walk(condition: Condition) -> Iterator[Condition]:
    """Every node of a condition once, parents before their parts: a named condition met again
    (through another path of the DAG) is not walked again."""
    seen: set[int] = set()
    stack = [condition]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, AllOf | AnyOf):
            stack.extend(reversed(node.parts))
        elif isinstance(node, Not):
            stack.append(node.part)


@attrs.frozen
class Not(Condition):
    """The part does not hold (``not``)."""

    part: Condition
    label: str | None = None

    def failure(self, facts: Facts) -> Condition | None:
        """Fails when the part holds."""
        return self if self.part.failure(facts) is None else None

    def describe(self) -> str:
        """The label, or ``not (...)`` around the part in words."""
        return self.label or f"not ({self.part.describe()})"

    def explain(self, facts: Facts) -> str:
        """Why it failed: the person is what the part describes."""
        return f"excluded: {self.part.describe()}"


@attrs.frozen
class EarlierMatch(Condition):
    """Not a test a policy writes: why a rule of a ``first_match`` group did not apply (an
    earlier rule of the group applied to the person), for the trace."""

    group: str

    def failure(self, facts: Facts) -> Condition | None:
        """Self when the condition does not hold for these facts, else None."""
        return self

    def describe(self) -> str:
        """What the condition requires, in words."""
        return f"no earlier rule of first_match group {self.group} applies"

    def explain(self, facts: Facts) -> str:
        """Why the condition does not hold for these facts."""
        return f"an earlier rule of first_match group {self.group} applied"
