"""Structured conditions: the only way a policy says who a rule is for.

A condition is data (no expression strings, nothing evaluated as code) compiled once into a tree
of small frozen objects. ``failure(facts)`` returns ``None`` when the condition holds and
otherwise the innermost condition that failed, so the trace can say *why not* without paying
for any text on the fast path: the words are produced by ``explain`` only when someone reads them.

Each node also has a columnar form for whole rosters (``columnar``): ``mask(columns)`` is where
it holds, and ``failure_texts``/``explain_texts`` give the same words as ``failure``/``explain``,
made once per distinct value they depend on (``explain_key``). NumPy is used only through the
``ColumnFacts`` passed in, so this module imports without it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from ._columnar_facts import ColumnFacts
    from ._columnar_texts import Texts
    from .plugin import Facts

    BoolArray = npt.NDArray[np.bool_]
    IntArray = npt.NDArray[np.int64]
    Rows = npt.NDArray[np.intp]

__all__ = [
    "AgeRange",
    "AllOf",
    "AnyOf",
    "AnyStatus",
    "Condition",
    "ConditionCompiler",
    "FlagSet",
    "HasAllStatuses",
    "InputIn",
    "NoStatus",
    "Not",
]


class Condition:
    """Base of every condition node."""

    __slots__ = ()

    def failure(self, facts: Facts) -> Condition | None:
        raise NotImplementedError

    def describe(self) -> str:
        """What the condition requires, in words."""
        raise NotImplementedError

    def explain(self, facts: Facts) -> str:
        """Why the condition does not hold for these facts."""
        return f"requires {self.describe()}"

    def mask(self, columns: ColumnFacts) -> BoolArray:
        """Where the condition holds, for a block of people. This default tests person by
        person, for a node without a columnar form; every node of this module has one."""
        return columns.each(lambda facts: self.failure(facts) is None)

    def explain_key(self, columns: ColumnFacts) -> IntArray | None:
        """An integer per row that is equal wherever ``explain`` gives the same words; None when
        the words are the same for everyone. By default each row is its own key."""
        return columns.row_numbers()

    def explain_texts(self, columns: ColumnFacts, rows: Rows) -> Texts:
        """``explain(facts)`` for each of ``rows``."""
        return columns.texts(self.explain_key(columns), rows, self.explain)

    def failure_texts(self, columns: ColumnFacts, rows: Rows) -> Texts:
        """``failure(facts).explain(facts)`` for each of ``rows``, where the condition fails."""
        return self.explain_texts(columns, rows)


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
    minimum: int | None
    maximum: int | None

    def failure(self, facts: Facts) -> Condition | None:
        age = facts.age
        if self.minimum is not None and age < self.minimum:
            return self
        if self.maximum is not None and age > self.maximum:
            return self
        return None

    def describe(self) -> str:
        if self.maximum is None:
            return f"age {self.minimum} or over"
        if self.minimum is None:
            return f"age {self.maximum} or under"
        return f"age {self.minimum} to {self.maximum}"

    def explain(self, facts: Facts) -> str:
        return f"age {facts.age} is outside {self.describe()}"

    def mask(self, columns: ColumnFacts) -> BoolArray:
        age = columns.age
        inside = columns.everyone()
        if self.minimum is not None:
            inside &= age >= self.minimum
        if self.maximum is not None:
            inside &= age <= self.maximum
        return inside

    def explain_key(self, columns: ColumnFacts) -> IntArray | None:
        return columns.age


@attrs.frozen
class AnyStatus(Condition):
    codes: frozenset[str]
    order: tuple[str, ...]

    def failure(self, facts: Facts) -> Condition | None:
        return None if self.codes & facts.statuses else self

    def describe(self) -> str:
        return f"any status of {_codes(self.order)}"

    def explain(self, facts: Facts) -> str:
        return f"has none of the statuses {_codes(self.order)}"

    def mask(self, columns: ColumnFacts) -> BoolArray:
        return columns.any_status(self.codes)

    def explain_key(self, columns: ColumnFacts) -> IntArray | None:
        return None


@attrs.frozen
class HasAllStatuses(Condition):
    codes: frozenset[str]
    order: tuple[str, ...]

    def failure(self, facts: Facts) -> Condition | None:
        return None if self.codes <= facts.statuses else self

    def describe(self) -> str:
        return f"all statuses {_codes(self.order)}"

    def explain(self, facts: Facts) -> str:
        missing = [code for code in self.order if code not in facts.statuses]
        return f"lacks the status {_codes(tuple(missing))}"

    def mask(self, columns: ColumnFacts) -> BoolArray:
        return columns.all_statuses(self.codes)

    def explain_key(self, columns: ColumnFacts) -> IntArray | None:
        return columns.statuses & columns.status_mask(self.codes)


@attrs.frozen
class NoStatus(Condition):
    codes: frozenset[str]
    order: tuple[str, ...]

    def failure(self, facts: Facts) -> Condition | None:
        return self if self.codes & facts.statuses else None

    def describe(self) -> str:
        return f"none of the statuses {_codes(self.order)}"

    def explain(self, facts: Facts) -> str:
        found = [code for code in self.order if code in facts.statuses]
        return f"has the status {_codes(tuple(found))}"

    def mask(self, columns: ColumnFacts) -> BoolArray:
        return ~columns.any_status(self.codes)

    def explain_key(self, columns: ColumnFacts) -> IntArray | None:
        return columns.statuses & columns.status_mask(self.codes)


@attrs.frozen
class FlagSet(Condition):
    flag: str

    def failure(self, facts: Facts) -> Condition | None:
        return None if facts.values.get(self.flag) else self

    def describe(self) -> str:
        return f"{self.flag} is set"

    def explain(self, facts: Facts) -> str:
        return f"{self.flag} is not set"

    def mask(self, columns: ColumnFacts) -> BoolArray:
        return columns.flag(self.flag)

    def explain_key(self, columns: ColumnFacts) -> IntArray | None:
        return None


@attrs.frozen
class InputIn(Condition):
    field: str
    allowed: tuple[Any, ...]

    def failure(self, facts: Facts) -> Condition | None:
        return None if facts.values.get(self.field) in self.allowed else self

    def describe(self) -> str:
        if len(self.allowed) == 1:
            return f"{self.field} is {_plain(self.allowed[0])}"
        return f"{self.field} is one of {', '.join(map(_plain, self.allowed))}"

    def explain(self, facts: Facts) -> str:
        found = _plain(facts.values.get(self.field))
        return f"{self.field} is {found}; the rule requires {self.describe()}"

    def mask(self, columns: ColumnFacts) -> BoolArray:
        return columns.value_in(self.field, self.allowed)

    def explain_key(self, columns: ColumnFacts) -> IntArray | None:
        return columns.value_key(self.field)


@attrs.frozen
class AllOf(Condition):
    parts: tuple[Condition, ...]
    label: str | None = None

    def failure(self, facts: Facts) -> Condition | None:
        for part in self.parts:
            failed = part.failure(facts)
            if failed is not None:
                return failed
        return None

    def describe(self) -> str:
        return self.label or " and ".join(part.describe() for part in self.parts)

    def mask(self, columns: ColumnFacts) -> BoolArray:
        inside = columns.everyone()
        for part in self.parts:
            inside &= columns.holds(part)
        return inside

    def explain_key(self, columns: ColumnFacts) -> IntArray | None:
        return None

    def failure_texts(self, columns: ColumnFacts, rows: Rows) -> Texts:
        return columns.first_failure_texts(self.parts, rows)


@attrs.frozen
class AnyOf(Condition):
    parts: tuple[Condition, ...]
    label: str | None = None

    def failure(self, facts: Facts) -> Condition | None:
        for part in self.parts:
            if part.failure(facts) is None:
                return None
        return self

    def describe(self) -> str:
        return self.label or "(" + " or ".join(part.describe() for part in self.parts) + ")"

    def explain(self, facts: Facts) -> str:
        return f"none of: {'; '.join(part.explain(facts) for part in self.parts)}"

    def mask(self, columns: ColumnFacts) -> BoolArray:
        inside = columns.nobody()
        for part in self.parts:
            inside |= columns.holds(part)
        return inside

    def explain_texts(self, columns: ColumnFacts, rows: Rows) -> Texts:
        parts = [part.explain_texts(columns, rows) for part in self.parts]
        return columns.joined_texts(rows.size, parts, lambda words: f"none of: {'; '.join(words)}")


@attrs.frozen
class Not(Condition):
    part: Condition
    label: str | None = None

    def failure(self, facts: Facts) -> Condition | None:
        return self if self.part.failure(facts) is None else None

    def describe(self) -> str:
        return self.label or f"not ({self.part.describe()})"

    def explain(self, facts: Facts) -> str:
        return f"excluded: {self.part.describe()}"

    def mask(self, columns: ColumnFacts) -> BoolArray:
        return ~columns.holds(self.part)

    def explain_key(self, columns: ColumnFacts) -> IntArray | None:
        return None


Report = Callable[[str, str, str], None]
_STATUS_TESTS: dict[str, type[AnyStatus | HasAllStatuses | NoStatus]] = {
    "any_status": AnyStatus,
    "all_statuses": HasAllStatuses,
    "no_status": NoStatus,
}


@attrs.define
class ConditionCompiler:
    """Compiles condition data against the policy's vocabulary and named conditions.

    Problems (an undeclared status, an unknown named condition, a cycle) are reported through
    ``report(pointer, message, code)`` with the absolute pointer, so they get file:line:col.
    """

    statuses: Mapping[str, str]
    residence: Mapping[str, str]
    inputs: Mapping[str, str]
    flags: Mapping[str, str]
    named_data: Mapping[str, Mapping[str, Any]]
    report: Report
    _named: dict[str, Condition] = attrs.field(factory=dict)
    _compiling: list[str] = attrs.field(factory=list)

    def named(self, name: str, pointer: str) -> Condition:
        if name in self._named:
            return self._named[name]
        if name not in self.named_data:
            known = ", ".join(sorted(self.named_data)) or "none"
            self.report(
                pointer,
                f"unknown condition {name!r}; named conditions: {known}",
                "semantic.unknown-condition",
            )
            return AllOf(())
        if name in self._compiling:
            cycle = " -> ".join([*self._compiling, name])
            self.report(
                pointer,
                f"named conditions refer to each other in a cycle: {cycle}",
                "semantic.condition-cycle",
            )
            return AllOf(())
        self._compiling.append(name)
        compiled = self.compile(self.named_data[name], f"/conditions/{name}")
        self._compiling.pop()
        label = self.named_data[name].get("label") or name
        result = AllOf((compiled,), label=str(label))
        self._named[name] = result
        return result

    def compile(self, data: Mapping[str, Any], pointer: str) -> Condition:
        parts = [
            self._part(key, value, f"{pointer}/{key}")
            for key, value in data.items()
            if key != "label"
        ]
        label = data.get("label")
        if not parts:
            self.report(
                pointer,
                "a condition needs at least one test besides its label",
                "semantic.empty-condition",
            )
        if len(parts) == 1 and label is None:
            return parts[0]
        return AllOf(tuple(parts), label=label)

    def _part(self, key: str, value: Any, pointer: str) -> Condition:
        if key in _STATUS_TESTS:
            codes = self._statuses(value, pointer)
            return _STATUS_TESTS[key](frozenset(codes), codes)
        builders: dict[str, Callable[[Any, str], Condition]] = {
            "age": self._age,
            "flag": self._flag,
            "input": self._input,
            "all": self._all,
            "any": self._any,
            "not": self._not,
        }
        return builders.get(key, self.named)(value, pointer)

    def _flag(self, value: str, pointer: str) -> Condition:
        self._declared(value, self.flags, "flags", pointer)
        return FlagSet(value)

    def _all(self, value: list[Mapping[str, Any]], pointer: str) -> Condition:
        return AllOf(tuple(self.compile(item, f"{pointer}/{i}") for i, item in enumerate(value)))

    def _any(self, value: list[Mapping[str, Any]], pointer: str) -> Condition:
        return AnyOf(tuple(self.compile(item, f"{pointer}/{i}") for i, item in enumerate(value)))

    def _not(self, value: Mapping[str, Any], pointer: str) -> Condition:
        return Not(self.compile(value, pointer))

    def _age(self, value: Mapping[str, int], pointer: str) -> Condition:
        low, high = value.get("min"), value.get("max")
        if low is not None and high is not None and low > high:
            self.report(
                pointer, f"age range is empty: min {low} is over max {high}", "semantic.empty-range"
            )
        return AgeRange(low, high)

    def _statuses(self, codes: list[str], pointer: str) -> tuple[str, ...]:
        for i, code in enumerate(codes):
            self._declared(code, self.statuses, "statuses", f"{pointer}/{i}")
        return tuple(codes)

    def _input(self, value: Mapping[str, Any], pointer: str) -> Condition:
        field = value["field"]
        self._declared(field, self.inputs, "inputs", f"{pointer}/field")
        allowed = tuple(value["in"]) if "in" in value else (value.get("equals"),)
        key = "in" if "in" in value else "equals"
        for index, candidate in enumerate(allowed):
            where = f"{pointer}/in/{index}" if key == "in" else f"{pointer}/equals"
            self._check_value(field, candidate, where)
        return InputIn(field, allowed)

    def _check_value(self, field: str, value: Any, pointer: str) -> None:
        """A compared value must be one the input can take, or the test can never hold."""
        category = self.inputs.get(field)
        if category == "residence" and value not in self.residence:
            self.report(
                pointer,
                f"{value!r} is not a declared residence value "
                f"(declared: {', '.join(self.residence)})",
                "semantic.undeclared",
            )
        elif category == "flags" and not isinstance(value, bool):
            self.report(
                pointer, f"flag {field!r} is true or false, not {value!r}", "semantic.input-type"
            )
        elif category == "amounts" and (
            isinstance(value, bool) or not isinstance(value, int | Decimal | None)
        ):
            self.report(
                pointer, f"amount {field!r} is a number, not {value!r}", "semantic.input-type"
            )
        elif category == "choices" and (
            isinstance(value, bool) or not isinstance(value, int | None)
        ):
            self.report(
                pointer, f"choice {field!r} is a whole number, not {value!r}", "semantic.input-type"
            )

    def _declared(self, name: str, known: Mapping[str, str], what: str, pointer: str) -> None:
        if name not in known:
            self.report(
                pointer,
                f"{name!r} is not declared in {what} (declared: {', '.join(known) or 'none'})",
                "semantic.undeclared",
            )
