"""``addin.domain.lean.dataclass`` makes classes whose instances behave exactly as those of
``dataclasses.dataclass``: each class here is declared twice, once by each decorator, and every
behaviour a caller can see (init, repr, equality, hashing, frozenness, fields, replace, asdict,
pickling, pattern matching) is compared between the two twins."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest

from addin.domain import lean

STD = dataclasses.dataclass


def twins(body: str, **options: Any) -> tuple[type, type]:
    """The same class body under the standard decorator and under ``lean``'s."""
    made = []
    for name, decorator in (("Std", STD), ("Lean", lean.dataclass)):
        namespace: dict[str, Any] = {"field": dataclasses.field, "Any": Any}
        exec(f"class {name}:\n" + body, namespace)  # the test's own text
        cls = decorator(**options)(namespace[name])
        cls.__qualname__ = "Twin"  # both print under one name
        made.append(cls)
    return made[0], made[1]


POINT = """
    x: int
    y: int = 0
    label: str = field(default="", compare=False)
    secret: str = field(default="", repr=False)
    tags: list = field(default_factory=list, hash=False)
"""


def same(a: Any, b: Any) -> None:
    assert repr(a) == repr(b)


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"kw_only": True},
                                     {"frozen": True, "kw_only": True},
                                     {"frozen": True, "slots": True}, {"slots": True}])
def test_instances_print_compare_and_hash_as_the_standard_librarys(options: dict) -> None:
    std, mine = twins(POINT, **options)
    kwargs = {"x": 1, "y": 2, "label": "a", "secret": "s", "tags": ["t"]}
    a, b = std(**kwargs), mine(**kwargs)
    same(a, b)
    assert repr(b) == "Twin(x=1, y=2, label='a', tags=['t'])"
    for other in ({"label": "other"}, {"y": 3}, {"secret": "z"}, {"tags": []}):
        assert (a == std(**{**kwargs, **other})) == (b == mine(**{**kwargs, **other}))
    assert (b == a) is False and b.__eq__(a) is NotImplemented and b != (1, 2)
    assert a.__eq__(1) is b.__eq__(1) is NotImplemented
    assert (std.__hash__ is None) == (mine.__hash__ is None)
    if std.__hash__ is not None:
        a2, b2 = std(**{**kwargs, "tags": ()}), mine(**{**kwargs, "tags": ()})
        assert hash(a2) == hash(b2) == hash((1, 2, "s"))
        assert hash(b2) == hash(mine(**{**kwargs, "tags": (), "label": "zz"}))
    assert [f.name for f in dataclasses.fields(b)] == [f.name for f in dataclasses.fields(a)]
    assert dataclasses.asdict(b) == dataclasses.asdict(a)
    assert repr(dataclasses.replace(b, y=9)) == repr(dataclasses.replace(a, y=9))
    assert std.__match_args__ == mine.__match_args__
    assert hasattr(std, "__slots__") == hasattr(mine, "__slots__")
    if options.get("kw_only"):
        with pytest.raises(TypeError):
            mine(1)
    else:
        same(std(1), mine(1))


def test_a_frozen_instance_refuses_assignment_like_the_standard_librarys() -> None:
    std, mine = twins(POINT, frozen=True)
    a, b = std(1), mine(1)
    for obj in (a, b):
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'x'"):
            obj.x = 2
        with pytest.raises(dataclasses.FrozenInstanceError):
            del obj.y
    assert {b: 1}[mine(1)] == 1 and len({b, mine(1), mine(2)}) == 2


def test_a_mutable_instance_is_unhashable_like_the_standard_librarys() -> None:
    std, mine = twins(POINT)
    with pytest.raises(TypeError, match="unhashable"):
        hash(mine(1))
    b = mine(1)
    b.x = 5
    assert b == mine(5) and repr(b) == repr(std(5))


def test_a_class_keeps_its_own_repr_eq_and_hash() -> None:
    body = """
    x: int
    def __repr__(self): return "mine"
    def __eq__(self, other): return True
    def __hash__(self): return 7
"""
    for options in ({}, {"frozen": True}):
        std, mine = twins(body, **options)
        assert repr(mine(1)) == repr(std(1)) == "mine"
        assert (mine(1) == 5) is (std(1) == 5) is True
        assert hash(mine(1)) == hash(std(1)) == 7
    # An __eq__ of its own and no __hash__: a frozen class hashes its fields, a mutable one is
    # unhashable (the standard library's rule, not Python's default for classes).
    body = "    x: int\n    def __eq__(self, other): return True\n"
    std, mine = twins(body, frozen=True)
    assert hash(mine(1)) == hash(std(1)) == hash((1,))
    std, mine = twins(body)
    assert std.__hash__ is None and mine.__hash__ is None


def test_inherited_fields_take_part_and_a_subclass_prints_its_own_name() -> None:
    std_base, lean_base = twins("    x: int\n", frozen=True)

    @STD(frozen=True)
    class StdChild(std_base):  # type: ignore[valid-type, misc]
        y: int = 0

    @lean.dataclass(frozen=True)
    class LeanChild(lean_base):  # type: ignore[valid-type, misc]
        y: int = 0

    assert repr(LeanChild(1, 2)) == repr(StdChild(1, 2)).replace("Std", "Lean")
    assert hash(LeanChild(1, 2)) == hash(StdChild(1, 2)) == hash((1, 2))
    assert LeanChild(1, 2) != lean_base(1)  # another class: NotImplemented both ways


def test_a_recursive_instance_prints_dots_like_the_standard_librarys() -> None:
    std, mine = twins("    items: list\n")
    a, b = std([]), mine([])
    a.items.append(a)
    b.items.append(b)
    assert repr(a) == repr(b) == "Twin(items=[...])"


def test_instances_pickle_and_come_back_equal() -> None:
    """As the cache of validated programme definitions keeps them (``addin.domain.programme``)."""
    kept = pickle.loads(pickle.dumps(Pickled(n=1, names=("a",)), pickle.HIGHEST_PROTOCOL))
    assert kept == Pickled(n=1, names=("a",)) and hash(kept) == hash(Pickled(n=1, names=("a",)))
    assert pickle.loads(pickle.dumps(PickledSlots(1))) == PickledSlots(1)


@lean.dataclass(frozen=True, kw_only=True)
class Pickled:
    n: int
    names: tuple[str, ...] = ()


@lean.dataclass(frozen=True, slots=True)
class PickledSlots:
    n: int


FULL = """
    x: int
    y: 'list[int]' = field(default_factory=list)
    z: str = "z"
    def __post_init__(self):
        if self.x < 0:
            raise ValueError("negative")
"""


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"frozen": True, "kw_only": True},
                                     {"frozen": True, "slots": True}])
def test_init_signature_defaults_and_post_init_are_the_standard_librarys(options: dict) -> None:
    import inspect

    std, mine = twins(FULL, **options)
    assert str(inspect.signature(mine)) == str(inspect.signature(std))
    assert mine.__init__.__annotations__ == std.__init__.__annotations__
    assert mine.__doc__.replace("Lean", "Std") == std.__doc__ == "Std" + str(
        inspect.signature(std)).replace(" -> None", "")  # no docstring: one from the signature
    assert mine.__dataclass_params__.__repr__() == std.__dataclass_params__.__repr__()
    a, b = std(x=1), mine(x=1)
    assert repr(a) == repr(b) and b.y == [] and b.y is not mine(x=1).y
    with pytest.raises(ValueError, match="negative"):
        mine(x=-1)
    for bad in ({}, {"x": 1, "w": 2}):
        with pytest.raises(TypeError) as std_error:
            std(**bad)
        with pytest.raises(TypeError) as lean_error:
            mine(**bad)
        assert str(lean_error.value).replace("Lean", "Std") == str(std_error.value)


def test_a_frozen_class_refuses_any_new_attribute_but_a_subclass_may_add_its_own() -> None:
    std, mine = twins("    x: int\n", frozen=True)
    for cls in (std, mine):
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'w'"):
            cls(1).w = 2
        sub = type("Sub", (cls,), {})
        obj = sub(1)
        obj.w = 2  # not a field, not the class itself: allowed, as the standard library does
        assert obj.w == 2
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'x'"):
            del obj.x


def test_a_field_named_self_is_a_parameter_like_any_other() -> None:
    std, mine = twins("    self: int\n    other: int = 0\n", frozen=True)
    assert repr(mine(1, 2)) == repr(std(1, 2)) == "Twin(self=1, other=2)"
