"""``class Point(NamedTuple): x: int; y: int = 0`` without importing typing.

``typing`` (and the ``re``, ``contextlib`` and ``enum`` it brings on
Python < 3.13) costs an ``import go.x`` about ten milliseconds, more than
anything else the import does (docs/performance.md, warm import). Modules
on the import path write::

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from ..namedtuples import NamedTuple

so type checkers see typing's NamedTuple, and Python runs this one: the same
class syntax (fields from the annotations, defaults, methods, docstring),
made with ``collections.namedtuple``, which ``functools`` has imported
already. Generic named tuples and ``__init_subclass__`` are not needed here
and not supported.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _NamedTupleMeta(type):
    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
        if not bases:  # NamedTuple itself
            return super().__new__(mcs, name, bases, namespace)
        fields = list(namespace.get("__annotations__", {}))
        defaults = [namespace[field] for field in fields if field in namespace]
        made = namedtuple(name, fields, defaults=defaults, module=namespace.get("__module__"))
        for key, value in namespace.items():
            if key not in fields and key not in ("__module__", "__dict__", "__weakref__"):
                setattr(made, key, value)
        return made


class NamedTuple(metaclass=_NamedTupleMeta):
    """A base to write named tuples with, as ``typing.NamedTuple``."""
