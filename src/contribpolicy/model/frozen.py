"""Read-only data: a loaded policy's values cannot be changed behind its content hash.

``freeze`` copies nested dicts and lists into ``FrozenDict`` and ``FrozenList``, which refuse
every change. They stay ``dict`` and ``list`` for everything that reads them (``isinstance``,
``json.dumps``, equality with plain data), and they pickle and copy as themselves, so a
policy shipped to a worker is read-only there too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn, TypeVar

from contribpolicy.errors import ReadOnlyError

__all__ = ["FrozenDict", "FrozenList", "freeze", "thaw"]

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


def _refuse(self: object, *args: object, **kwargs: object) -> NoReturn:
    raise ReadOnlyError(
        f"this {type(self).__name__} is read-only: a loaded policy cannot change after its "
        "content hash was computed; build a changed copy and load that instead"
    )


class FrozenDict(dict[_Key, _Value]):
    """A ``dict`` that refuses every change after it is made."""

    __slots__ = ()

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse

    def __reduce__(self) -> tuple[type[FrozenDict[_Key, _Value]], tuple[dict[_Key, _Value]]]:
        """Pickled and copied through ``FrozenDict(items)``, never item by item."""
        return type(self), (dict(self),)


class FrozenList(list[_Value]):
    """A ``list`` that refuses every change after it is made."""

    __slots__ = ()

    __setitem__ = _refuse
    __delitem__ = _refuse
    __iadd__ = _refuse
    __imul__ = _refuse
    append = _refuse
    extend = _refuse
    insert = _refuse
    remove = _refuse
    pop = _refuse
    clear = _refuse
    sort = _refuse
    reverse = _refuse

    def __reduce__(self) -> tuple[type[FrozenList[_Value]], tuple[list[_Value]]]:
        """Pickled and copied through ``FrozenList(items)``, never item by item."""
        return type(self), (list(self),)


def freeze(value: Any) -> Any:
    """``value`` with every mapping and list in it, however deep, made read-only (a copy)."""
    if isinstance(value, Mapping):
        return FrozenDict({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return FrozenList(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """A plain, changeable copy of ``value``: every mapping a ``dict``, every list a ``list``.

    For building a changed policy from a loaded one (``thaw(policy.data)``, edit, dump, load):
    ``copy.deepcopy`` of read-only data is read-only too.
    """
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, list):
        return [thaw(item) for item in value]
    return value
