"""Layered policies: a file that ``extends:`` a base takes it, then overrides, adds or removes.

A district layers its own rules on a city's, and a year's update is best written as the few
things that changed since last year, so a reviewer reads only those. The merged document is
what the schema and the semantic checks see; each of its values keeps the file and place it was
written in, so a mistake is reported in the file a person has to edit, whichever layer it is in.

How layers combine (docs/policy-format.md, "Layered policies"):

- mappings merge key by key, and a ``null`` value removes the key (JSON Merge Patch, RFC 7386);
- lists, ``source`` and each named condition are replaced whole;
- a scheme's rules merge by ``id``: a rule with a known id replaces that rule in place, a new id
  is appended; ``after: id`` or ``before: id`` on a rule places it; ``remove_rules: [id...]``
  on a scheme removes rules. These directives are consumed here, and refused where they mean
  nothing. Directives of the wrong shape are left in place for the schema to report.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from contribpolicy.errors import PolicyIssue
from contribpolicy.format._document import DEFAULT_LIMITS, Document, Limits, pointer_join
from contribpolicy.format._layered import (
    PLACEMENT,
    REMOVE,
    LayeredDocument,
    Source,
    SourceMap,
    issue,
    issue_order,
    removals,
    well_formed,
)
from contribpolicy.format._merge import Merge
from contribpolicy.format._yaml import read_document, read_limited

__all__ = ["LayeredDocument", "SourceMap", "issue_order", "read_layered"]


def _read_file(path: str, limits: Limits) -> bytes:
    return read_limited(path, limits)


def read_layered(
    text: str | bytes,
    file: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    *,
    read: Callable[[str, Limits], bytes] = _read_file,
) -> tuple[LayeredDocument | None, list[PolicyIssue]]:
    """Read a policy and every base it extends, and merge them; None if any layer is unusable.

    ``read`` reads a base file by path (relative to the working directory), raising OSError.
    """
    document, issues = read_document(text, file, limits)
    if document is None or issues:
        return None, issues
    resolver = _Resolver(limits, read)
    layered = resolver.resolve(document, ((_identity(file), file or "<policy>"),))
    if resolver.issues:
        return None, sorted(resolver.issues, key=issue_order)
    return layered, []


def _identity(file: str | None) -> str:
    return os.path.realpath(file) if file is not None else "<policy>"


#: The files being resolved, outermost first: (identity, name as shown).
_Chain = tuple[tuple[str, str], ...]


class _Resolver:
    """Follows ``extends`` from a file to its base, and merges on the way back."""

    def __init__(self, limits: Limits, read: Callable[[str, Limits], bytes]) -> None:
        self.limits = limits
        self.read = read
        self.issues: list[PolicyIssue] = []

    def resolve(self, document: Document, chain: _Chain) -> LayeredDocument | None:
        data = document.data
        extends = data.get("extends") if isinstance(data, dict) else None
        if not isinstance(extends, str):
            self.issues += _stray_directives(document)
            return LayeredDocument(
                data, document.file, (document.file,), {"": Source(document, "")}
            )
        base_file = os.path.normpath(os.path.join(os.path.dirname(document.file or ""), extends))
        base = self._base(document, base_file, chain)
        if base is None:
            return None
        if not isinstance(base.data, dict):
            self.issues.append(
                issue(
                    document,
                    "/extends",
                    f"{base_file} holds no policy mapping to extend",
                    "semantic.extends-base",
                )
            )
            return None
        merge = Merge(base, document)
        merged = merge.run()
        self.issues += merge.issues
        return merged

    def _base(self, document: Document, base_file: str, chain: _Chain) -> LayeredDocument | None:
        identity = _identity(base_file)
        if identity in (link for link, _ in chain):
            files = " -> ".join([*(shown for _, shown in chain), base_file])
            message = f"extends comes back to {base_file}, a cycle: {files}"
            self.issues.append(issue(document, "/extends", message, "semantic.extends-cycle"))
            return None
        try:
            raw = self.read(base_file, self.limits)
        except FileNotFoundError:
            message = (
                f"the base policy {base_file} does not exist (extends is relative to this file)"
            )
            self.issues.append(issue(document, "/extends", message, "semantic.extends-not-found"))
            return None
        except OSError as err:
            message = f"cannot read the base policy {base_file}: {err.strerror or err}"
            self.issues.append(issue(document, "/extends", message, "io.read"))
            return None
        base_document, issues = read_document(raw, base_file, self.limits)
        if base_document is None or issues:
            self.issues += issues
            return None
        return self.resolve(base_document, (*chain, (identity, base_file)))


def _stray_directives(document: Document) -> list[PolicyIssue]:
    """Layering directives in a policy that extends nothing: they would silently do nothing."""
    found: list[PolicyIssue] = []
    schemes = document.data.get("schemes") if isinstance(document.data, dict) else None
    if not isinstance(schemes, dict):
        return found
    for name, scheme in schemes.items():
        if not isinstance(scheme, dict):
            continue
        pointer = pointer_join("/schemes", name)
        if removals(scheme) is not None:
            found.append(_without_base(document, pointer_join(pointer, REMOVE), REMOVE))
        rules = scheme.get("rules")
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            if not isinstance(rule, dict):
                continue
            for word in PLACEMENT:
                if well_formed(rule.get(word)):
                    where = pointer_join(pointer_join(pointer, "rules"), index)
                    rule_id = rule.get("id") if isinstance(rule.get("id"), str) else None
                    found.append(_without_base(document, pointer_join(where, word), word, rule_id))
    return found


def _without_base(
    document: Document, pointer: str, word: str, rule_id: str | None = None
) -> PolicyIssue:
    message = f"{word!r} only has a meaning in a policy that extends another (extends: FILE)"
    return issue(document, pointer, message, "semantic.extends-directive", rule_id, key=True)
