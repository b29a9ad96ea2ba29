"""``dataclass`` as the standard library makes it, for a fraction of the cost of creating it.

Creating a dataclass is dominated by writing the source of each generated method and compiling
it (``exec``): six methods for a frozen class, a fifth of a millisecond each.  A «Validar» press
creates some forty classes, once a fifth of its time.  Here only ``__init__`` is compiled — the
same text the standard library writes — and ``__repr__``, ``__eq__``, ``__hash__`` and a frozen
class's ``__setattr__``/``__delattr__`` are one shared function each, bound to the class's
fields by a closure (no compilation): instances are made, compare, hash, print and refuse
assignment exactly as those of ``dataclasses.dataclass`` do (same rules for fields with
``compare``/``hash``/``repr`` off, same ``NotImplemented`` for another class, same text, same
``FrozenInstanceError``; a recursive ``repr`` prints ``...``), and ``__dataclass_params__``
says what the standard library's would.

Only the options minga uses are offered: ``frozen``, ``kw_only`` and ``slots``; everything else
is the standard library's default (``init``, ``repr``, ``eq`` on; no ordering; no
``unsafe_hash``).  ``dataclasses.fields``, ``replace``, ``asdict``, pickling and pydantic see an
ordinary dataclass.  A frozen class with ``slots``, an ``InitVar``, a field out of ``__init__``
or a dataclass base is left to the standard library for its ``__init__`` and frozenness.
"""

from __future__ import annotations

import copy
import dataclasses
import sys
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
        own_doc = bool(own.get("__doc__"))
        # A frozen class gets the standard library's __init__ text, compiled here, and
        # closures for __setattr__/__delattr__, unless it is one of the rare shapes left to it.
        ours = frozen and not slots and "__init__" not in own and not any(
            dataclasses.is_dataclass(base) for base in cls.__mro__[1:]) and not any(
            isinstance(v, dataclasses.Field) and not v.init for v in own.values()) and not any(
            "InitVar" in str(a) for a in own.get("__annotations__", {}).values())
        made = dataclasses.dataclass(cls, init=not ours, repr=False, eq=False,
                                     frozen=frozen and not ours, kw_only=kw_only, slots=slots)
        fields = dataclasses.fields(made)
        if ours:
            made.__init__ = _init(made, fields)  # type: ignore[misc]
            made.__setattr__, made.__delattr__ = _frozen(made, fields)  # type: ignore[assignment]
            if not own_doc:  # the standard library's, from the signature of its __init__
                made.__doc__ = _signature_doc(made)
        params = copy.copy(made.__dataclass_params__)  # type: ignore[attr-defined]
        params.repr = params.eq = params.init = True
        params.frozen = frozen
        made.__dataclass_params__ = params  # type: ignore[attr-defined]
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


class _Factory:
    """Where a field's ``default_factory`` stands in a signature, as in the standard library."""

    def __repr__(self) -> str:
        return "<factory>"


_HAS_DEFAULT_FACTORY = getattr(dataclasses, "_HAS_DEFAULT_FACTORY", _Factory())


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """A frozen class's ``__init__``: the text ``dataclasses`` writes for it, compiled once."""
    self_name = "__dataclass_self__" if "self" in {f.name for f in fields} else "self"
    names: dict[str, Any] = {f"_type_{f.name}": f.type for f in fields}
    names.update({"MISSING": dataclasses.MISSING, "_HAS_DEFAULT_FACTORY": _HAS_DEFAULT_FACTORY,
                  "__dataclass_builtins_object__": object, "_return_type": None})
    params, keyword_only, body = [self_name], [], []
    for f in fields:
        default = ""
        value = f.name
        if f.default is not dataclasses.MISSING:
            names[f"_dflt_{f.name}"] = f.default
            default = f"=_dflt_{f.name}"
        elif f.default_factory is not dataclasses.MISSING:
            names[f"_dflt_{f.name}"] = f.default_factory
            default = "=_HAS_DEFAULT_FACTORY"
            value = f"_dflt_{f.name}() if {f.name} is _HAS_DEFAULT_FACTORY else {f.name}"
        (keyword_only if f.kw_only else params).append(f"{f.name}:_type_{f.name}{default}")
        body.append(f"__dataclass_builtins_object__.__setattr__({self_name},{f.name!r},{value})")
    if keyword_only:
        params += ["*", *keyword_only]
    if hasattr(cls, "__post_init__"):
        body.append(f"{self_name}.__post_init__()")
    lines = "\n".join(f"  {line}" for line in body or ["pass"])
    text = (f"def __create_fn__({', '.join(names)}):\n"
            f" def __init__({','.join(params)})->_return_type:\n{lines}\n return __init__")
    module = sys.modules.get(cls.__module__)
    namespace: dict[str, Any] = {}
    # dont_inherit: this module's ``from __future__ import annotations`` would turn the
    # parameters' annotations into their names' text.
    code = compile(text, "<string>", "exec", dont_inherit=True)
    exec(code, module.__dict__ if module is not None else {}, namespace)
    init: Callable[..., None] = namespace["__create_fn__"](**names)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _frozen(cls: type, fields: tuple[dataclasses.Field[Any], ...]
            ) -> tuple[Callable[[Any, str, Any], None], Callable[[Any, str], None]]:
    """A frozen class's ``__setattr__`` and ``__delattr__``, as ``dataclasses`` writes them."""
    names = tuple(f.name for f in fields)
    error = dataclasses.FrozenInstanceError

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise error(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise error(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    __setattr__.__qualname__ = f"{cls.__qualname__}.__setattr__"
    __delattr__.__qualname__ = f"{cls.__qualname__}.__delattr__"
    return __setattr__, __delattr__


def _signature_doc(cls: type) -> str:
    import inspect

    try:
        text = str(inspect.signature(cls)).replace(" -> None", "")
    except (TypeError, ValueError):
        text = ""
    return cls.__name__ + text
