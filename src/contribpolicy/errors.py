"""Every exception contribpolicy raises, and the locations they carry.

The tree is shallow on purpose: callers catch `ContribPolicyError` for anything of ours, or one
leaf for one kind of failure. Leaves also derive from the builtin they are (`ValueError`,
`LookupError`) so code that knows nothing of us still handles them sensibly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

__all__ = [
    "ContribPolicyError",
    "InputError",
    "Location",
    "PluginError",
    "PolicyError",
    "PolicyIssue",
    "ReadOnlyError",
    "RegistryError",
    "UnknownRuleKindError",
]


@attrs.frozen
class Location:
    """Where something is in a policy file: file, 1-based line and column, and JSON pointer.

    Both coordinates are kept because people read files by line and tools address documents by
    pointer; a location knows whichever of them it could find.
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    pointer: str = ""

    def __str__(self) -> str:
        parts = [self.file or "<policy>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@attrs.frozen
class PolicyIssue:
    """One problem found in a policy file, with a stable machine-readable code."""

    location: Location
    message: str
    code: str
    severity: str = "error"
    rule_id: str | None = None
    #: Other places the problem involves, e.g. the first definition of a duplicate.
    related: tuple[Location, ...] = ()

    def __str__(self) -> str:
        suffix = f" [{self.rule_id}]" if self.rule_id else ""
        return f"{self.location}: {self.severity}: {self.message}{suffix}"


class ContribPolicyError(Exception):
    """Base class of every error contribpolicy raises on purpose."""


class PolicyError(ContribPolicyError, ValueError):
    """A policy file could not be loaded; `issues` holds every problem found, not only the first."""

    def __init__(self, issues: Iterable[PolicyIssue], path: str | None = None) -> None:
        self.issues: tuple[PolicyIssue, ...] = tuple(issues)
        self.path = path
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} in policy"
        if self.path:
            head += f" {self.path}"
        return head + ":\n" + "\n".join(f"  {issue}" for issue in self.issues)


class InputError(ContribPolicyError, ValueError):
    """A person record is malformed; `field` names the field and `row` the roster row, if any.

    An error made with ``InputError.of(field, N_("... {name} ..."), name=...)`` keeps its
    catalog message and values, so ``translated(gettext)`` can say it in the reader's language;
    ``reason`` is always the English text.
    """

    def __init__(
        self,
        field: str,
        message: str,
        *,
        value: object = None,
        row: int | None = None,
        template: str | None = None,
        values: Mapping[str, object] | None = None,
    ) -> None:
        self.field = field
        self.reason = message
        self.value = value
        self.row = row
        self.template = template
        self.values: Mapping[str, object] = values or {}
        super().__init__(str(self))

    @classmethod
    def of(
        cls,
        field: str,
        template: str,
        *,
        value: object = None,
        row: int | None = None,
        **values: object,
    ) -> InputError:
        """An error from a catalog message (marked ``N_``) and its ``{fields}``."""
        message = template.format_map(values)
        return cls(field, message, value=value, row=row, template=template, values=values)

    def __str__(self) -> str:
        where = f"row {self.row}: " if self.row is not None else ""
        return f"{where}{self.field}: {self.reason}"

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The reason in the language of ``gettext`` (the English one when it has no message
        in the catalog)."""
        if self.template is None:
            return gettext(self.reason)
        return gettext(self.template).format_map(self.values)

    def at_row(self, row: int) -> InputError:
        """The same error, placed at a roster row."""
        return InputError(
            self.field,
            self.reason,
            value=self.value,
            row=row,
            template=self.template,
            values=self.values,
        )


class RegistryError(ContribPolicyError, ValueError):
    """A rule kind could not be registered (bad plugin object, duplicate name)."""


class ReadOnlyError(ContribPolicyError, TypeError):
    """A change to a loaded policy's values (``Policy.data``, the vocabulary, rule parameters).

    A policy is read-only once loaded: its ``content_hash``, copied into every receipt, must
    stay the hash of what it evaluates.
    """


class UnknownRuleKindError(RegistryError, LookupError):
    """A policy names a rule kind that no installed plugin provides."""

    def __init__(self, kind: str, known: Sequence[str]) -> None:
        self.kind = kind
        self.known = tuple(known)
        super().__init__(f"unknown rule kind {kind!r}; known kinds: {', '.join(self.known)}")


class PluginError(ContribPolicyError, RuntimeError):
    """A rule kind's own code failed; names the plugin and the rule rather than crashing."""

    def __init__(self, kind: str, provider: str, rule_id: str, detail: str) -> None:
        self.kind = kind
        self.provider = provider
        self.rule_id = rule_id
        super().__init__(
            f"rule kind {kind!r} (from {provider}) failed on rule {rule_id!r}: {detail}"
        )
