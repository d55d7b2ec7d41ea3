"""Which Go types the typed view converts (runtime/typed.py), known
without importing it: typed.py brings dataclasses, inspect and typing, which
a module whose functions take and return plain values never needs, even
through the typed view the ``go.`` hook gives."""

from __future__ import annotations

from .classes import wraps_values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Kinds whose values the typed view converts, on the way out of Go and on
# the way in; containers (list, map, optional) convert when what they hold does.
OUT_LEAVES = frozenset({"record", "handle", "interface", "class", "func", "chan", "opaque", "any"})
INTO_LEAVES = frozenset({"record", "any"})
_CONTAINERS = ("list", "map", "optional")


def has_value_class(t: dict[str, Any]) -> bool:
    """A value kind whose named type has a class of methods that its values
    are instances of (not handles, not bools)."""
    return t.get("class") is not None and wraps_values(t["kind"])


def plain_function(types: list[dict[str, Any]], fn: dict[str, Any]) -> bool:
    """Whether the typed view would hand out fn's untyped function as it is:
    none of its parameters and results is of a type it converts. Containers
    count as converted (so this may say no where the view would not wrap)."""
    ids = [p["type"] for p in fn["params"]] + list(fn["results"])
    return not any(_maybe_converted(types[i]) for i in ids)


def _maybe_converted(t: dict[str, Any]) -> bool:
    kind = t["kind"]
    return kind in OUT_LEAVES or kind in INTO_LEAVES or kind in _CONTAINERS or has_value_class(t)
