"""Exception classes for a module's Go errors (docs/type-mapping.md, "Errors").

Each exported error variable (``var ErrX = errors.New(...)``) and each
exported error type (``type ParseError struct``, ``*ParseError`` implementing
``error``) of the module has an exception class of its Go name, a subclass
of GoError, made on first use. A returned error raises the class of every
variable it ``Is`` and of the error type found first in its chain, with the
standard library's (usegolib.errors.STANDARD_ERRORS): one class derived from
all of them when several hold, so that each ``except`` clause catches it.
"""

from __future__ import annotations

from .. import threads
from ..errors import STANDARD_ERRORS, GoError
from ..naming import python_module_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class ErrorClasses:
    """The exception classes of one library, made once and shared by its
    untyped and typed views."""

    def __init__(self, manifest: dict[str, Any]) -> None:
        self._types = manifest["types"]
        # sentinel id -> (package path, Go name, doc)
        self._sentinels = {
            e["id"]: (pkg["path"], e["name"], e.get("doc", ""))
            for pkg in manifest["packages"]
            for e in pkg.get("errors", [])
        }
        self._made: dict[Any, type[GoError]] = {}
        self._lock = threads.Lock()

    def sentinel(self, sentinel_id: int) -> type[GoError]:
        """The class of an exported error variable."""
        path, name, doc = self._sentinels[sentinel_id]
        return self._make(("sentinel", sentinel_id), name, path, doc or f"Go error variable {path}.{name}.")

    def error_type(self, type_id: int) -> type[GoError]:
        """The class of an exported error type; ``e.value`` is the Go value."""
        t = self._types[type_id]
        doc = t.get("doc") or f"Go error type {t['go']}."
        return self._make(("type", type_id), t["name"], t.get("package", ""), doc)

    def for_error(self, standard: list[str], sentinel_ids: list[int], type_id: int | None) -> type[GoError]:
        """The class to raise for an error matching all of these."""
        bases: list[type[GoError]] = []
        if type_id is not None and 0 <= type_id < len(self._types) and self._types[type_id].get("error"):
            bases.append(self.error_type(type_id))
        bases += [self.sentinel(i) for i in sentinel_ids if i in self._sentinels]
        bases += [STANDARD_ERRORS[name] for name in standard if name in STANDARD_ERRORS]
        bases = list(dict.fromkeys(bases))
        if not bases:
            return GoError
        if len(bases) == 1:
            return bases[0]
        first = bases[0]
        namespace = {"__module__": first.__module__, "__doc__": first.__doc__}
        return self._cached(tuple(bases), lambda: type(first.__name__, tuple(bases), namespace))

    def _make(self, key: Any, name: str, path: str, doc: str) -> type[GoError]:
        module = python_module_name(path) if path else "go"
        return self._cached(key, lambda: type(name, (GoError,), {"__module__": module, "__doc__": doc}))

    def _cached(self, key: Any, make: Any) -> type[GoError]:
        with self._lock:
            cls = self._made.get(key)
            if cls is None:
                cls = self._made[key] = make()
            return cls
