"""The registry of rule kinds: an immutable value, filled from entry points.

Our own kinds are found exactly as a third party's are, through the ``contribpolicy.rule_kinds``
entry-point group, so the plugin path is the one we use every day. A registry is never a
module-level table that imports fill in: it is a value, passed to ``load_policy`` and extended
with ``with_kind`` into a new registry.
"""

from __future__ import annotations

import difflib
import functools
import typing
from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType
from typing import Any

import attrs
import jsonschema

from contribpolicy.errors import RegistryError, UnknownRuleKindError
from contribpolicy.format._shipped import base_schema, common_rule_keys
from contribpolicy.model.protocol import (
    EFFECT_MEMBERS,
    KIND_MEMBERS,
    TRAIT_NAMES,
    KindTraits,
    RuleKind,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "RegisteredKind",
    "Registry",
    "default_registry",
    "misspelt_member",
]

ENTRY_POINT_GROUP = "contribpolicy.rule_kinds"


@attrs.frozen
class RegisteredKind:
    """A rule kind with its name, the package that provides it and what it declares."""

    name: str
    kind: RuleKind
    provider: str
    traits: KindTraits = attrs.field(factory=KindTraits)


def _check_kind(name: str, kind: object, provider: str) -> tuple[RuleKind, KindTraits]:
    """Reject a plugin object at registration, not when a policy first uses it.

    Whatever the object's own code raises while it is looked at (a ``parameters`` property
    that fails, a schema that refers to itself) is this kind's RegistryError, naming it.
    """
    where = f"rule kind {name!r} from {provider}"
    try:
        checked = _check_protocol(where, kind)
        return checked, _check_members(where, checked)
    except RegistryError:
        raise
    except Exception as err:
        raise RegistryError(
            f"{where} failed while being checked: {type(err).__name__}: {err}"
        ) from err


def _check_protocol(where: str, kind: object) -> RuleKind:
    if not isinstance(kind, RuleKind):
        raise RegistryError(f"{where} lacks `parameters` or `build` (see contribpolicy.plugin)")
    params = kind.parameters
    if not isinstance(params, Mapping) or not isinstance(params.get("properties", {}), Mapping):
        raise RegistryError(f"{where}: `parameters` must be a mapping with `properties`")
    clash = common_rule_keys() & set(params.get("properties", {}))
    if clash:
        every = ", ".join(sorted(common_rule_keys()))
        raise RegistryError(
            f"{where} redefines the common rule keys {sorted(clash)} "
            f"(every rule has {every}): rename its parameters"
        )
    try:
        jsonschema.Draft202012Validator.check_schema(dict(params))
    except jsonschema.SchemaError as err:
        raise RegistryError(f"{where}: parameter schema is invalid: {err.message}") from err
    for ref in _refs(params):
        name = ref.removeprefix("#/$defs/")
        if name == ref or name not in _shared_definitions():
            shared = ", ".join(f"#/$defs/{known}" for known in sorted(_shared_definitions()))
            raise RegistryError(
                f"{where}: $ref {ref!r} is not one of the shared definitions ({shared})"
            )
    return kind


#: How alike a name must be to a member's to be taken for a misspelling of it: ``combine`` for
#: ``combines`` (0.93) and ``apply_column`` (0.96) are; ``changed`` for ``unchanged`` (0.875) and
#: ``rebuild`` for ``build`` (0.83), a plugin's own names, are not.
_CLOSE = 0.88


def misspelt_member(obj: object, known: frozenset[str]) -> str | None:
    """What is wrong when ``obj`` has a public name close to a member of the contract.

    A misspelt optional member (``apply_column``, ``combine``) would be silently ignored: the
    rule would run person by person, or the checks would take the default. A name far from every
    member is the plugin's own business.
    """
    for name in sorted(name for name in dir(obj) if not name.startswith("_")):
        if name in known:
            continue
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=_CLOSE)
        if close:
            return f"`{name}` is not part of the plugin contract: did you mean `{close[0]}`?"
    return None


def _check_members(where: str, kind: RuleKind) -> KindTraits:
    """The kind's declared traits, once no member name is close to one of the contract's.

    The class ``build`` is annotated to return is checked too; the loader checks every effect
    built, for a kind whose annotation names no class.
    """
    # One object may be both the kind and its compiled rule: the effect's members count too.
    problem = misspelt_member(kind, KIND_MEMBERS | EFFECT_MEMBERS)
    effect_type = _effect_type(kind)
    if problem is None and effect_type is not None:
        problem = misspelt_member(effect_type, EFFECT_MEMBERS)
    if problem is not None:
        raise RegistryError(f"{where}: {problem}")
    declared = {name: getattr(kind, name) for name in TRAIT_NAMES if hasattr(kind, name)}
    try:
        return KindTraits(**declared)
    except TypeError as err:
        raise RegistryError(f"{where}: {err}") from err


def _effect_type(kind: RuleKind) -> type | None:
    """The class ``build`` is annotated to return, when the annotation names one."""
    try:
        returned = typing.get_type_hints(kind.build).get("return")
    except Exception:  # an annotation naming what only a type checker sees: checked when built
        return None
    return returned if isinstance(returned, type) else None


def _refs(schema: object) -> list[str]:
    """Every $ref in a schema fragment, however deep."""
    if isinstance(schema, Mapping):
        own = [schema["$ref"]] if isinstance(schema.get("$ref"), str) else []
        return own + [ref for value in schema.values() for ref in _refs(value)]
    if isinstance(schema, list):
        return [ref for item in schema for ref in _refs(item)]
    return []


@functools.cache
def _shared_definitions() -> frozenset[str]:
    return frozenset(base_schema()["$defs"]) - {"rule"}


def _read_only(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only view of a copy: a registry is a value, extended only by ``with_kind``."""
    return MappingProxyType(dict(mapping))


@attrs.frozen(eq=False)
class Registry:
    """Rule kinds by name, and entry points that failed to load (reported when used)."""

    kinds: Mapping[str, RegisteredKind] = attrs.field(factory=dict, converter=_read_only)
    broken: Mapping[str, str] = attrs.field(factory=dict, converter=_read_only)

    def with_kind(self, name: str, kind: object, provider: str = "<local>") -> Registry:
        """A new registry that also holds ``kind`` under ``name``."""
        if name in self.kinds:
            existing = self.kinds[name].provider
            raise RegistryError(f"rule kind {name!r} is already registered by {existing}")
        checked, traits = _check_kind(name, kind, provider)
        kinds = {**self.kinds, name: RegisteredKind(name, checked, provider, traits)}
        return attrs.evolve(self, kinds=kinds)

    def get(self, name: str) -> RegisteredKind:
        """The kind registered under ``name``; ``UnknownRuleKindError`` lists the known ones."""
        try:
            return self.kinds[name]
        except KeyError:
            known = [f"{k} ({v.provider})" for k, v in sorted(self.kinds.items())]
            raise UnknownRuleKindError(name, known) from None

    def parameter_schemas(self) -> dict[str, Mapping[str, Any]]:
        """Each kind's parameter schema by name, for assembling the policy schema."""
        return {name: registered.kind.parameters for name, registered in self.kinds.items()}

    @classmethod
    def from_entry_points(cls, group: str = ENTRY_POINT_GROUP) -> Registry:
        """A registry of every kind in the entry-point ``group``; broken ones kept apart."""
        registry = cls()
        broken: dict[str, str] = {}
        for entry in sorted(entry_points(group=group), key=lambda e: e.name):
            provider = _provider(entry)
            try:
                registry = registry.with_kind(entry.name, entry.load(), provider)
            except Exception as err:  # a broken plugin must not break every policy
                broken[entry.name] = f"{provider}: {type(err).__name__}: {err}"
        return attrs.evolve(registry, broken=broken)


def _provider(entry: EntryPoint) -> str:
    dist = entry.dist
    return f"{dist.name} {dist.version}" if dist is not None else entry.value


@functools.cache
def default_registry() -> Registry:
    """The kinds installed in this environment (read once per process)."""
    return Registry.from_entry_points()
