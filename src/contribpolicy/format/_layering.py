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
import re
from collections.abc import Callable, Sequence

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
from contribpolicy.format._yaml import read_document
from contribpolicy.support.files import NotARegularFile, is_below, open_regular

__all__ = ["LayeredDocument", "SourceMap", "issue_order", "read_layered"]


def _read_file(path: str, limits: Limits) -> bytes:
    """A base's bytes, at most one past ``max_bytes``; a FIFO or device is refused unopened."""
    with open_regular(path) as handle:
        return handle.read(limits.max_bytes + 1)


#: A policy file says so at its top: ``format:`` (or ``extends:`` for a layer). A file without
#: either is not shown in messages at all: it may be anything the process can read.
_POLICY_KEY = re.compile(rb"^(?:\xef\xbb\xbf)?[\"']?(?:format|extends)[\"']?[ \t]*:", re.MULTILINE)


def read_layered(
    text: str | bytes,
    file: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    *,
    read: Callable[[str, Limits], bytes] = _read_file,
    base_folders: Sequence[str | os.PathLike[str]] = (),
) -> tuple[LayeredDocument | None, list[PolicyIssue]]:
    """Read a policy and every base it extends, and merge them; None if any layer is unusable.

    ``read`` reads a base file by path (relative to the working directory), raising OSError.
    A base must be a regular file below the policy's own folder (the working directory when
    ``file`` is None) or below one of ``base_folders``, links resolved: a policy from elsewhere
    cannot make the library read, or quote, any other file the process may read.
    """
    document, issues = read_document(text, file, limits)
    if document is None or issues:
        return None, issues
    own = os.path.dirname(os.path.abspath(file)) if file is not None else os.getcwd()
    folders = (own, *(os.fspath(folder) for folder in base_folders))
    resolver = _Resolver(limits, read, folders)
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

    def __init__(
        self, limits: Limits, read: Callable[[str, Limits], bytes], folders: tuple[str, ...]
    ) -> None:
        self.limits = limits
        self.read = read
        self.folders = folders
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
        refused = self._refusal(base_file, chain)
        if refused is not None:
            self.issues.append(issue(document, "/extends", *refused))
            return None
        raw = self._read(document, base_file)
        if raw is None:
            return None
        base_document, issues = read_document(raw, base_file, self.limits)
        if not _POLICY_KEY.search(raw) or (
            base_document is not None and not _looks_like_policy(base_document.data)
        ):
            message = f"{base_file} is not a policy file: it has no format: or extends: at its top"
            self.issues.append(issue(document, "/extends", message, "semantic.extends-base"))
            return None
        if base_document is None or issues:
            self.issues += issues
            return None
        return self.resolve(base_document, (*chain, (identity, base_file)))

    def _refusal(self, base_file: str, chain: _Chain) -> tuple[str, str] | None:
        """Why ``base_file`` may not be read as a base (message, code), or None."""
        if len(chain) >= self.limits.max_extends_depth:
            files = " -> ".join([*(shown for _, shown in chain), base_file])
            return (
                f"extends chains more than max_extends_depth ({self.limits.max_extends_depth}) "
                f"files: {files}; raise the limit with Limits(max_extends_depth=...) if meant",
                "semantic.extends-depth",
            )
        if not any(is_below(base_file, folder) for folder in self.folders):
            allowed = ", ".join(self.folders)
            return (
                f"the base policy {base_file} is outside the folders a base may be in "
                f"({allowed}); a base must be below the policy's own folder, or below a folder "
                f"the caller allows (base_folders=..., contribpolicy --base-folder DIR)",
                "semantic.extends-outside",
            )
        return None

    def _read(self, document: Document, base_file: str) -> bytes | None:
        try:
            return self.read(base_file, self.limits)
        except FileNotFoundError:
            message = (
                f"the base policy {base_file} does not exist (extends is relative to this file)"
            )
            self.issues.append(issue(document, "/extends", message, "semantic.extends-not-found"))
        except NotARegularFile as err:
            message = f"cannot read the base policy {base_file}: it is {err.strerror}"
            self.issues.append(issue(document, "/extends", message, "io.read"))
        except OSError as err:
            message = f"cannot read the base policy {base_file}: {err.strerror or err}"
            self.issues.append(issue(document, "/extends", message, "io.read"))
        return None


def _looks_like_policy(data: object) -> bool:
    return isinstance(data, dict) and ("format" in data or "extends" in data)


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
