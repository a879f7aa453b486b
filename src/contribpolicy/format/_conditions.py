"""Compiling a policy's condition data into condition values, checked against its vocabulary."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from contribpolicy.format._messages import EMPTY_AGES, undeclared
from contribpolicy.i18n import N_, Message
from contribpolicy.model.conditions import (
    AgeBySex,
    AgeRange,
    AllOf,
    AnyOf,
    AnyStatus,
    Condition,
    FlagSet,
    HasAllStatuses,
    InputIn,
    InputRange,
    Named,
    NoStatus,
    Not,
)

__all__ = ["ConditionCompiler"]

_UNKNOWN_CONDITION = N_("unknown condition {name!r}; named conditions: {known}")
_CYCLE = N_("named conditions refer to each other in a cycle: {cycle}")
_TOO_DEEP = N_(
    "conditions nest deeper than max_condition_depth ({limit}) here; raise the limit with "
    "Limits(max_condition_depth=...) if this is meant"
)
_TOO_DEEP_THROUGH = N_(
    "conditions nest deeper than max_condition_depth ({limit}) here, through the named "
    "conditions {chain}; raise the limit with Limits(max_condition_depth=...) if this is meant"
)
_EMPTY_CONDITION = N_("a condition needs at least one test besides its label")
_EMPTY_RANGE = N_("range is empty: min {low} is over max {high}")
_SEX_UNDECLARED = N_(
    "a condition on sex needs inputs.sex declared (labels of male and female), so that every "
    "record gives it"
)
_INPUT_TEST = N_("an input test has either min/max or in/equals")
_NOT_WHOLE_INPUT = N_(
    "min/max compare a whole-number input (choices, numbers); {field!r} is not one"
)
_NOT_RESIDENCE = N_("{value!r} is not a declared residence value (declared: {declared})")
_FLAG_TYPE = N_("flag {field!r} is true or false, not {value!r}")
_AMOUNT_TYPE = N_("amount {field!r} is a number, not {value!r}")
_SEX_TYPE = N_("sex is male or female, not {value!r}")
_CHOICE_TYPE = N_("choice {field!r} is a whole number, not {value!r}")


Report = Callable[[str, str, str], None]
_STATUS_TESTS: dict[str, type[AnyStatus | HasAllStatuses | NoStatus]] = {
    "any_status": AnyStatus,
    "all_statuses": HasAllStatuses,
    "no_status": NoStatus,
}


@attrs.define
class ConditionCompiler:
    """Compiles condition data against the policy's vocabulary and named conditions.

    Problems (an undeclared status, an unknown named condition, a cycle, a condition nested
    deeper than ``max_depth``) are reported through ``report(pointer, message, code)`` with the
    absolute pointer, so they get file:line:col.

    Depth counts condition nodes from a rule's ``when`` down to a test, through named conditions:
    everything that walks a condition (evaluation, explanations, static checks) recurses at most
    that deep, so a bound here is what keeps a chain of 1,000 named conditions from ending in a
    ``RecursionError`` anywhere.
    """

    statuses: Mapping[str, str]
    residence: Mapping[str, str]
    inputs: Mapping[str, str]
    flags: Mapping[str, str]
    sex: Mapping[str, str]
    named_data: Mapping[str, Mapping[str, Any]]
    report: Report
    max_depth: int = 64
    _named: dict[str, Condition] = attrs.field(factory=dict)
    _height: dict[str, int] = attrs.field(factory=dict)
    _compiling: list[str] = attrs.field(factory=list)
    _depth: int = 0  # condition nodes open above the one being compiled
    _deepest: int = 0  # the deepest node reached below the named condition being compiled

    def named(self, name: str, pointer: str) -> Condition:
        if name in self._named:
            return self._reuse(name, pointer)
        if name not in self.named_data:
            known = ", ".join(sorted(self.named_data)) or "none"
            self.report(
                pointer,
                Message(_UNKNOWN_CONDITION, name=name, known=known),
                "semantic.unknown-condition",
            )
            return AllOf(())
        if name in self._compiling:
            cycle = " -> ".join([*self._compiling, name])
            self.report(
                pointer,
                Message(_CYCLE, cycle=cycle),
                "semantic.condition-cycle",
            )
            return AllOf(())
        if self._too_deep(self._depth + 1, pointer, name):
            return AllOf(())
        outer, self._deepest = self._deepest, self._depth
        self._compiling.append(name)
        self._depth += 1
        compiled = self.compile(self.named_data[name], f"/conditions/{name}")
        self._depth -= 1
        self._compiling.pop()
        self._height[name] = max(self._deepest, self._depth + 1) - self._depth
        self._deepest = max(outer, self._deepest)
        label = self.named_data[name].get("label") or name
        result = Named((compiled,), label=str(label))
        self._named[name] = result
        return result

    def _reuse(self, name: str, pointer: str) -> Condition:
        """A named condition already compiled, if it fits below the current depth."""
        reached = self._depth + self._height[name]
        if self._too_deep(reached, pointer, f"{name} ({self._height[name]} deep)"):
            return AllOf(())
        self._deepest = max(self._deepest, reached)
        return self._named[name]

    def _too_deep(self, depth: int, pointer: str, name: str | None = None) -> bool:
        if depth <= self.max_depth:
            return False
        chain = [*self._compiling, *([name] if name is not None else [])]
        if chain:
            message = Message(_TOO_DEEP_THROUGH, limit=self.max_depth, chain=" -> ".join(chain))
        else:
            message = Message(_TOO_DEEP, limit=self.max_depth)
        self.report(
            pointer,
            message,
            "semantic.condition-depth",
        )
        return True

    def compile(self, data: Mapping[str, Any], pointer: str) -> Condition:
        self._depth += 1
        self._deepest = max(self._deepest, self._depth)
        try:
            if self._depth > self.max_depth:
                self._too_deep(self._depth, pointer)
                return AllOf(())
            return self._compile(data, pointer)
        finally:
            self._depth -= 1

    def _compile(self, data: Mapping[str, Any], pointer: str) -> Condition:
        parts = [
            self._part(key, value, f"{pointer}/{key}")
            for key, value in data.items()
            if key != "label"
        ]
        label = data.get("label")
        if not parts:
            self.report(
                pointer,
                Message(_EMPTY_CONDITION),
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
            "sex": self._sex,
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

    def _age(self, value: Mapping[str, Any], pointer: str) -> Condition:
        default = self._age_range(value, pointer)
        by_sex = {
            sex: self._age_range({**value, **value[sex]}, f"{pointer}/{sex}")
            for sex in ("male", "female")
            if sex in value
        }
        if not by_sex:
            return default
        self._needs_sex(pointer)
        return AgeBySex(default, by_sex.get("male"), by_sex.get("female"))

    def _age_range(self, value: Mapping[str, Any], pointer: str) -> AgeRange:
        low, high = value.get("min"), value.get("max")
        if low is not None and high is not None and low > high:
            self.report(pointer, Message(EMPTY_AGES, low=low, high=high), "semantic.empty-range")
        return AgeRange(low, high)

    def _sex(self, value: str, pointer: str) -> Condition:
        self._needs_sex(pointer)
        return InputIn("sex", (value,))

    def _needs_sex(self, pointer: str) -> None:
        if not self.sex:
            self.report(
                pointer,
                Message(_SEX_UNDECLARED),
                "semantic.undeclared",
            )

    def _statuses(self, codes: list[str], pointer: str) -> tuple[str, ...]:
        for i, code in enumerate(codes):
            self._declared(code, self.statuses, "statuses", f"{pointer}/{i}")
        return tuple(codes)

    def _input(self, value: Mapping[str, Any], pointer: str) -> Condition:
        field = value["field"]
        self._declared(field, self.inputs, "inputs", f"{pointer}/field")
        if "min" in value or "max" in value:
            return self._input_range(value, pointer)
        allowed = tuple(value["in"]) if "in" in value else (value.get("equals"),)
        key = "in" if "in" in value else "equals"
        for index, candidate in enumerate(allowed):
            where = f"{pointer}/in/{index}" if key == "in" else f"{pointer}/equals"
            self._check_value(field, candidate, where)
        return InputIn(field, allowed)

    def _input_range(self, value: Mapping[str, Any], pointer: str) -> Condition:
        field, low, high = value["field"], value.get("min"), value.get("max")
        if "in" in value or "equals" in value:
            self.report(pointer, Message(_INPUT_TEST), "semantic.input-test")
        if self.inputs.get(field) not in ("choices", "numbers"):
            self.report(
                f"{pointer}/field",
                Message(_NOT_WHOLE_INPUT, field=field),
                "semantic.input-type",
            )
        if low is not None and high is not None and low > high:
            self.report(pointer, Message(_EMPTY_RANGE, low=low, high=high), "semantic.empty-range")
        return InputRange(field, low, high)

    def _check_value(self, field: str, value: Any, pointer: str) -> None:
        """A compared value must be one the input can take, or the test can never hold."""
        category = self.inputs.get(field)
        if category == "residence" and value not in self.residence:
            self.report(
                pointer,
                Message(_NOT_RESIDENCE, value=value, declared=", ".join(self.residence)),
                "semantic.undeclared",
            )
        elif category == "flags" and not isinstance(value, bool):
            self.report(
                pointer, Message(_FLAG_TYPE, field=field, value=value), "semantic.input-type"
            )
        elif category == "amounts" and (
            isinstance(value, bool) or not isinstance(value, int | Decimal | None)
        ):
            self.report(
                pointer, Message(_AMOUNT_TYPE, field=field, value=value), "semantic.input-type"
            )
        elif category == "sex" and value not in ("male", "female", None):
            self.report(pointer, Message(_SEX_TYPE, value=value), "semantic.input-type")
        elif category in ("choices", "numbers") and (
            isinstance(value, bool) or not isinstance(value, int | None)
        ):
            self.report(
                pointer, Message(_CHOICE_TYPE, field=field, value=value), "semantic.input-type"
            )

    def _declared(self, name: str, known: Mapping[str, str], what: str, pointer: str) -> None:
        if name not in known:
            self.report(
                pointer,
                undeclared(name, what, known),
                "semantic.undeclared",
            )
