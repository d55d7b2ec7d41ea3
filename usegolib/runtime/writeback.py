"""Go's writes into a slice or map argument, shown in the Python object
that was passed (go_shim/rt/writeback.go, docs/type-mapping.md).

A Go caller sees what a callee writes into the items of a slice or into a
map it passed, since both share memory with the callee's copy. A Python
list or dict crosses as a new Go value, so Go compares each such argument
after the call and sends the new value of those it changed; here they are
stored into the objects the caller passed, in place. An object that cannot
change (a tuple, bytes, a str) raises a TypeError that names the fix:
losing Go's writes silently is never an option.
"""

from __future__ import annotations

import array
from collections.abc import MutableMapping, MutableSequence

from ..errors import ArgumentTypeError
from .refs import Ref

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

ORIGIN = "__usegolib_origin__"
"""An argument that stands for the caller's object in a call (lent memory,
a typed view's converted list) names it and how Go's values become its
items: (original, convert or None)."""


def apply(function: str, name_of: Callable[[int], str], args: Sequence[Any], writes: dict[int, Any]) -> None:
    """Store each written argument's new value into the object passed at
    its position; name_of names the parameter of a position."""
    for position, written in writes.items():
        target = args[position] if position < len(args) else None
        if isinstance(target, Ref):
            continue  # Go wrote into the Ref's own value, which Ref.value reads
        new = written
        origin = getattr(target, ORIGIN, None)
        if origin is not None:
            target, convert = origin
            new = convert(written) if convert is not None else written
        if not _store(target, new):
            raise ArgumentTypeError(
                function,
                name_of(position),
                f"Go wrote into this argument, and a {type(target).__name__} cannot change: pass a list, dict or "
                "bytearray to see Go's writes, or a usegolib.Ref",
            )


def stand_in(container: Any, original: Any, convert: Callable[[Any], Any] | None) -> Any:
    """container (a list or dict made from original for the call) marked
    as standing for original, whose items Go's writes are then stored into
    after convert."""
    cls = _STAND_INS.get(type(container))
    if cls is None:
        return container
    marked = cls(container)
    setattr(marked, ORIGIN, (original, convert))
    return marked


class _StandInList(list):  # type: ignore[type-arg]
    pass


class _StandInDict(dict):  # type: ignore[type-arg]
    pass


_STAND_INS: dict[type, type] = {list: _StandInList, dict: _StandInDict}


def _store(target: Any, new: Any) -> bool:
    """Update target in place to new; False when it cannot change."""
    if isinstance(target, MutableMapping) and isinstance(new, dict):
        _update_mapping(target, new)
        return True
    if isinstance(target, MutableSequence) and isinstance(new, list) and len(target) == len(new):
        _update_items(target, new)
        return True
    if isinstance(target, (list, dict, tuple, str, bytes)) or target is None:
        return False
    try:  # a writable buffer of the same length: bytearray, array.array, numpy arrays
        target[:] = new
    except (TypeError, ValueError, AttributeError, BufferError):
        return _store_items(target, new)
    return True


def _store_items(target: Any, new: Any) -> bool:
    """Store numbers into a buffer that takes only its own kind of memory
    (a memoryview): through an array of its item format."""
    try:
        view = memoryview(target)
        view[:] = memoryview(array.array(view.format, new))
    except (TypeError, ValueError, BufferError):
        return False
    return True


def _update_items(target: MutableSequence[Any], new: list[Any]) -> None:
    """Assign the items that changed. Lists and dicts inside are updated in
    place, so that objects the caller holds stay the ones it holds."""
    for index, (old, value) in enumerate(zip(target, new, strict=True)):
        if not _same(old, value) and not _nested(old, value):
            target[index] = value


def _update_mapping(target: MutableMapping[Any, Any], new: dict[Any, Any]) -> None:
    for key in [key for key in target if key not in new]:
        del target[key]
    for key, value in new.items():
        old = target.get(key, _MISSING)
        if old is _MISSING or (not _same(old, value) and not _nested(old, value)):
            target[key] = value


_MISSING = object()


def _nested(old: Any, value: Any) -> bool:
    """Update a plain list or dict item in place; False if it is not one."""
    if type(old) is dict and type(value) is dict:
        _update_mapping(old, value)
        return True
    if type(old) is list and type(value) is list and len(old) == len(value):
        _update_items(old, value)
        return True
    return False


def _same(old: Any, value: Any) -> bool:
    if old is value:
        return True
    if type(old) is not type(value):
        return False
    try:
        return bool(old == value)
    except Exception:  # noqa: BLE001 - objects whose == fails or is ambiguous are replaced
        return False
