"""Running policy test cases, and the rule coverage they reach.

A case passes when every expected key matches the engine's result exactly (amounts compared as
decimals, components as a whole) and the rules it names did or did not apply. A rule is covered
by a case when it applied to the case's person (its trace entry says ``applied``), so 100%
coverage means every rule of the policy changed or confirmed something for some tested person.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from contribpolicy.engine.coverage import COVER_FIELDS
from contribpolicy.errors import InputError, Location, PluginError, PolicyIssue
from contribpolicy.format._yaml import pointer_join
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import Assessment, SchemeAssessment
from contribpolicy.policytests._cases import CaseFile, Expectation, PolicyCase

__all__ = [
    "CaseFailure",
    "CaseResult",
    "Coverage",
    "RuleCoverage",
    "case_issues",
    "coverage",
    "run_case",
]

_AMOUNTS = ("individual", "government", "sponsor", "total")


@attrs.frozen
class CaseFailure:
    """One way a case failed, located at the expectation it broke (shaped like a finding)."""

    location: Location
    message: str
    code: str = "test.failed"
    severity: str = "error"
    rule_id: str | None = None


@attrs.frozen
class CaseResult:
    """A case run: its failures (none when it passed) and the rules that applied."""

    file: CaseFile
    case: PolicyCase
    failures: tuple[CaseFailure, ...]
    applied: frozenset[str]

    @property
    def passed(self) -> bool:
        return not self.failures


def case_issues(case_file: CaseFile, policy: Policy) -> list[PolicyIssue]:
    """Names in the cases that the policy does not have: schemes and rule ids."""
    rules = {rule.id for scheme in policy.schemes.values() for rule in scheme.rules}
    issues = []
    for case in case_file.cases:
        for expectation in case.expect:
            if expectation.scheme not in policy.schemes:
                message = _unknown(
                    f"scheme {expectation.scheme!r}", expectation.scheme, policy.schemes
                )
                issues.append(PolicyIssue(expectation.location, message, "case.unknown-scheme"))
        for key in ("applies", "not_applies"):
            for index, rule_id in enumerate(getattr(case, key)):
                if rule_id not in rules:
                    where = case_file.locate(f"{case.pointer}/{key}/{index}")
                    message = _unknown(f"rule {rule_id!r}", rule_id, sorted(rules), policy.id)
                    issues.append(PolicyIssue(where, message, "case.unknown-rule"))
    return issues


def _unknown(what: str, name: str, known: Iterable[str], policy_id: str | None = None) -> str:
    """A name the policy does not have, with the closest one it has (a misspelt scheme or
    rule id) or, for schemes, the list of them."""
    hint = difflib.get_close_matches(name, list(known), n=1)
    where = "the policy" if policy_id is None else f"the policy {policy_id}"
    if hint:
        return f"{what} is not in {where}; did you mean {hint[0]!r}?"
    if policy_id is None:
        return f"{what} is not in {where} (schemes: {', '.join(known)})"
    return f"{what} is not in {where}"


def run_case(policy: Policy, case_file: CaseFile, case: PolicyCase) -> CaseResult:
    """Evaluate the case's person and compare every expectation."""
    if case.refused is not None:
        return _run_refused(policy, case_file, case, case.refused)
    person = {name: value for name, value in case.person.items() if name not in COVER_FIELDS}
    try:
        assessment = policy.evaluate(person)
    except (InputError, PluginError) as err:
        field = getattr(err, "field", None)
        pointer = f"{case.pointer}/person" + (f"/{field}" if field in case.person else "")
        failure = CaseFailure(case_file.locate(pointer), _named(case, f"the person: {err}"))
        return CaseResult(case_file, case, (failure,), frozenset())
    applied = _applied(assessment)
    found = [*_compare(case, assessment, applied), *_cover_mismatches(policy, case)]
    failures = [
        CaseFailure(case_file.locate(pointer), _named(case, message)) for pointer, message in found
    ]
    return CaseResult(case_file, case, tuple(failures), applied)


def _run_refused(
    policy: Policy, case_file: CaseFile, case: PolicyCase, refused: Mapping[str, str]
) -> CaseResult:
    """A case asserting the record is refused: an InputError naming ``refused["field"]``."""
    where = case_file.locate(f"{case.pointer}/refused")
    field = refused["field"]
    try:
        assessment = policy.evaluate(case.person)
    except InputError as err:
        problems = []
        if err.field != field:
            problems.append(f"the record is refused on {err.field!r}, expected {field!r}: {err}")
        wanted = refused.get("message_contains")
        if wanted is not None and wanted not in str(err):
            problems.append(f"the refusal says {str(err)!r}, which lacks {wanted!r}")
        failures = tuple(CaseFailure(where, _named(case, problem)) for problem in problems)
        return CaseResult(case_file, case, failures, frozenset())
    message = f"the record was accepted, expected it refused on {field!r}"
    return CaseResult(
        case_file, case, (CaseFailure(where, _named(case, message)),), _applied(assessment)
    )


def _named(case: PolicyCase, message: str) -> str:
    cite = f" ({case.cite})" if case.cite else ""
    return f"case {case.name!r}{cite}: {message}"


def _applied(assessment: Assessment) -> frozenset[str]:
    return frozenset(
        entry.rule_id for result in assessment.values() for entry in result.trace if entry.applied
    )


def _compare(
    case: PolicyCase, assessment: Assessment, applied: frozenset[str]
) -> Iterator[tuple[str, str]]:
    for expectation in case.expect:
        if expectation.scheme in assessment:
            base = pointer_join(f"{case.pointer}/expect", expectation.scheme)
            result = assessment[expectation.scheme]
            for key, message in _scheme_mismatches(expectation, result):
                yield pointer_join(base, key), message
    for index, rule_id in enumerate(case.applies):
        if rule_id not in applied:
            yield f"{case.pointer}/applies/{index}", f"rule {rule_id} did not apply"
    for index, rule_id in enumerate(case.not_applies):
        if rule_id in applied:
            yield f"{case.pointer}/not_applies/{index}", f"rule {rule_id} applied"


def _scheme_mismatches(
    expectation: Expectation, result: SchemeAssessment
) -> Iterator[tuple[str, str]]:
    scheme, values = expectation.scheme, expectation.values
    if "status" in values and values["status"] != result.status:
        why = f" ({result.message})" if result.message else ""
        yield "status", f"{scheme} status is {result.status}{why}, expected {values['status']}"
    for key in _AMOUNTS:
        if key in values and Decimal(values[key]) != getattr(result, key):
            actual = getattr(result, key)
            yield key, f"{scheme} {key} is {actual}, expected {values[key]}"
    if "components" in values:
        expected = _nonzero({k: Decimal(v) for k, v in values["components"].items()})
        actual = _nonzero(result.components)
        if expected != actual:
            found, wanted_parts = _text(actual), _text(expected)
            yield "components", f"{scheme} components are {found}, expected {wanted_parts}"
    wanted = values.get("message_contains")
    if wanted is not None and wanted not in (result.message or ""):
        yield "message_contains", f"{scheme} message {result.message!r} does not contain {wanted!r}"


def _cover_mismatches(policy: Policy, case: PolicyCase) -> Iterator[tuple[str, str]]:
    """``cover`` expectations: the dates and months ``Policy.coverage`` gives the person."""
    for expectation in case.expect:
        wanted = expectation.values.get("cover")
        if wanted is None or expectation.scheme not in policy.coverage_rules.schemes:
            continue
        pointer = pointer_join(f"{case.pointer}/expect", expectation.scheme) + "/cover"
        result = policy.coverage(case.person, case.payments, expectation.scheme).to_dict()
        for key, value in wanted.items():
            if str(result[key]) != str(value):
                why = "; ".join(reason["text"] for reason in result["reasons"])
                yield (
                    pointer_join(pointer, key),
                    f"{expectation.scheme} cover {key} is {result[key]}, expected {value} ({why})",
                )


def _nonzero(parts: Mapping[str, Decimal]) -> dict[str, Decimal]:
    return {name: amount for name, amount in parts.items() if amount}


def _text(parts: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{name}: {amount}" for name, amount in parts.items()) + "}"


@attrs.frozen
class RuleCoverage:
    """How many cases one rule applied in."""

    rule_id: str
    scheme: str
    location: Location
    cases: int


@attrs.frozen
class Coverage:
    """Rule coverage of one policy by its cases."""

    policy: str
    rules: tuple[RuleCoverage, ...]

    @property
    def covered(self) -> int:
        return sum(1 for rule in self.rules if rule.cases)

    @property
    def percent(self) -> Decimal:
        if not self.rules:
            return Decimal(100)
        return (Decimal(100) * self.covered / len(self.rules)).quantize(Decimal("0.1"))


def coverage(policy: Policy, name: str, results: Iterable[CaseResult]) -> Coverage:
    """For each rule of the policy, the number of cases in which it applied."""
    counts: dict[str, int] = {}
    for result in results:
        for rule_id in result.applied:
            counts[rule_id] = counts.get(rule_id, 0) + 1
    rules: Sequence[RuleCoverage] = [
        RuleCoverage(rule.id, scheme.name, rule.location, counts.get(rule.id, 0))
        for scheme in policy.schemes.values()
        for rule in scheme.rules
    ]
    return Coverage(name, tuple(rules))
