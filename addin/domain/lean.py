"""``dataclass`` as the standard library makes it, for a fraction of the cost of creating it.

Creating a dataclass is dominated by writing the source of each generated method and compiling
it (``exec``): six methods for a frozen class, a third of a millisecond each.  A «Validar» press
creates some forty classes, a fifth of its time.  Here the standard library still writes what
only it can write — ``__init__`` and, for a frozen class, ``__setattr__``/``__delattr__`` — and
``__repr__``, ``__eq__`` and ``__hash__`` are one shared function each, bound to the class's
fields by a closure (no compilation): instances compare, hash and print exactly as those of
``dataclasses.dataclass`` do (same rules for fields with ``compare``/``hash``/``repr`` off, same
``NotImplemented`` for another class, same text; a recursive ``repr`` prints ``...``).

Only the options minga uses are offered: ``frozen``, ``kw_only`` and ``slots``; everything else
is the standard library's default (``init``, ``repr``, ``eq`` on; no ordering; no
``unsafe_hash``).  ``dataclasses.fields``, ``replace``, ``asdict``, pickling and pydantic see an
ordinary dataclass.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T", bound=type)


@overload
def dataclass(cls: T, /) -> T: ...


@overload
def dataclass(*, frozen: bool = False, kw_only: bool = False,
              slots: bool = False) -> Callable[[T], T]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def dataclass(cls: Any = None, /, *, frozen: bool = False, kw_only: bool = False,
              slots: bool = False) -> Any:
    """``dataclasses.dataclass(cls, frozen=…, kw_only=…, slots=…)``, cheaper to create."""

    def wrap(cls: type) -> type:
        own = cls.__dict__
        class_hash = own.get("__hash__", dataclasses.MISSING)
        explicit_hash = not (class_hash is dataclasses.MISSING
                             or (class_hash is None and "__eq__" in own))
        own_repr, own_eq = "__repr__" in own, "__eq__" in own
        made = dataclasses.dataclass(cls, repr=False, eq=False, frozen=frozen, kw_only=kw_only,
                                     slots=slots)
        fields = dataclasses.fields(made)
        if not own_repr:
            made.__repr__ = _repr([f.name for f in fields if f.repr])  # type: ignore[assignment]
            made.__repr__.__qualname__ = f"{made.__qualname__}.__repr__"
        if not own_eq:
            made.__eq__ = _eq(_getter([f.name for f in fields if f.compare]))  # type: ignore
            made.__eq__.__qualname__ = f"{made.__qualname__}.__eq__"
        # The standard library's table for eq=True, unsafe_hash=False: a class's own
        # __hash__ is kept; else a frozen class hashes its fields, a mutable one is unhashable.
        if not explicit_hash:
            if frozen:
                hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
                made.__hash__ = _hash(_getter(hashed))  # type: ignore[assignment]
                made.__hash__.__qualname__ = f"{made.__qualname__}.__hash__"
            else:
                made.__hash__ = None  # type: ignore[assignment]
        return made

    return wrap if cls is None else wrap(cls)


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of these attributes, as the generated methods build it."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _repr(names: list[str]) -> Callable[[Any], str]:
    @recursive_repr()
    def __repr__(self: Any) -> str:
        return (f"{self.__class__.__qualname__}("
                + ", ".join([f"{name}={getattr(self, name)!r}" for name in names]) + ")")

    return __repr__


def _eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(values(self))

    return __hash__
