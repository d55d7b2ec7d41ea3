"""``class Point(NamedTuple): x: int; y: int = 0`` without importing typing.

``typing`` (and the ``re``, ``contextlib`` and ``enum`` it brings on
Python < 3.13) costs an ``import go.x`` about ten milliseconds, and
``collections`` (with ``functools``, which imports it) two more
(docs/performance.md, warm import). Modules on the import path write::

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from ..namedtuples import NamedTuple

so type checkers see typing's NamedTuple, and Python runs this one: the same
class syntax (fields from the annotations, defaults, methods, docstring)
making a tuple subclass whose fields are properties, which compares,
hashes, unpacks and pickles as ``collections.namedtuple``'s do. Generic
named tuples, ``_replace``, ``_asdict`` and ``__init_subclass__`` are not
needed here and not supported.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# Class attributes not carried over to the named tuple.
_LEFT_OUT = ("__dict__", "__weakref__", "__annotations__")


class _NamedTupleMeta(type):
    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
        if not bases:  # NamedTuple itself
            return super().__new__(mcs, name, bases, namespace)
        fields = tuple(namespace.get("__annotations__", {}))
        defaults = {field: namespace[field] for field in fields if field in namespace}
        body = {key: value for key, value in namespace.items() if key not in fields and key not in _LEFT_OUT}
        body.update(
            __slots__=(),
            _fields=fields,
            __new__=_constructor(name, fields, defaults),
            __getnewargs__=_newargs,
            __match_args__=fields,
        )
        body.setdefault("__repr__", _repr)
        for index, field in enumerate(fields):
            body[field] = property(_item(index), doc=f"Field {index}: {field}")
        return type(name, (tuple,), body)


def _constructor(name: str, fields: tuple[str, ...], defaults: dict[str, Any]) -> Callable[..., Any]:
    def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
        if len(args) > len(fields):
            raise TypeError(f"{name}() takes {len(fields)} arguments but {len(args)} were given")
        given = [field for field in fields[: len(args)] if field in kwargs]
        if given:
            raise TypeError(f"{name}() got multiple values for argument {given[0]!r}")
        values = list(args)
        for field in fields[len(args) :]:
            if field in kwargs:
                values.append(kwargs.pop(field))
            elif field in defaults:
                values.append(defaults[field])
            else:
                raise TypeError(f"{name}() missing required argument: {field!r}")
        if kwargs:
            raise TypeError(f"{name}() got an unexpected keyword argument {next(iter(kwargs))!r}")
        return tuple.__new__(cls, values)

    return __new__


def _newargs(self: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(self)


def _item(index: int) -> Callable[[tuple[Any, ...]], Any]:
    return lambda self: self[index]


def _repr(self: tuple[Any, ...]) -> str:
    shown = ", ".join(f"{field}={value!r}" for field, value in zip(self._fields, self, strict=True))  # type: ignore[attr-defined]
    return f"{type(self).__name__}({shown})"


class NamedTuple(metaclass=_NamedTupleMeta):
    """A base to write named tuples with, as ``typing.NamedTuple``."""
