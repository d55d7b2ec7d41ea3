"""Python annotations for Go types, for ``inspect.signature`` and ``help()``."""

from __future__ import annotations

from .package import once

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Annotations:
    """Maps manifest type ids to annotations. Classes (by class id) come from
    the library or its typed view; records are dicts, or the typed view's
    dataclasses (by record id)."""

    def __init__(
        self,
        types: list[dict[str, Any]],
        classes: dict[int, type],
        records: dict[int, type] | None = None,
        *,
        value_classes: bool = False,
    ) -> None:
        self._types = types
        self._classes = classes
        self._records = records if records is not None else {}
        # The typed view returns values of named non-struct types as
        # instances of their class; the plain view as the underlying value.
        self._value_classes = value_classes
        self._visiting: set[int] = set()

    def of(self, type_id: int) -> Any:
        from typing import Any  # annotations are made when asked for: typing stays off `import go.x`

        if type_id in self._visiting:
            return Any  # a type that contains itself, e.g. type T []T
        self._visiting.add(type_id)
        try:
            return self._of(type_id)
        finally:
            self._visiting.discard(type_id)

    def _of(self, type_id: int) -> Any:
        from typing import Any, Optional

        from .values import python_type  # and msgpack: only where an annotation is asked for

        t = self._types[type_id]
        kind = t["kind"]
        if type_id in self._records:
            return self._records[type_id]
        if self._value_classes and t.get("class") is not None and kind != "handle":
            return self._classes.get(t["class"], Any)
        simple = _simple().get(kind)
        if simple is not None:
            return simple
        if kind == "list":
            return list[self.of(t["elem"])]  # type: ignore[misc]
        if kind == "map":
            return dict[self.of(t["key"]), self.of(t["elem"])]  # type: ignore[misc]
        if kind == "optional":
            return Optional[self.of(t["elem"])]  # noqa: UP045 - the | form needs real classes on both sides
        if kind == "uuid":
            return python_type("uuid", "UUID")
        if kind in _POINTERS:
            where = _POINTERS[kind]
            annotation = python_type(*where) if where else int
            return Optional[annotation] if t.get("pointer") else annotation  # noqa: UP045
        if kind == "ip":
            address = python_type("ipaddress", "IPv4Address") | python_type("ipaddress", "IPv6Address")
            return Optional[address]  # noqa: UP045 - nil IPs are None
        if kind == "handle":
            return self._classes.get(t["class"], Any)
        if kind in ("interface", "func", "chan", "opaque"):
            return self._classes.get(type_id, Any)
        return Any

    def results(self, ids: list[int]) -> Any:
        if not ids:
            return None
        if len(ids) == 1:
            return self.of(ids[0])
        return tuple[tuple(self.of(i) for i in ids)]  # type: ignore[misc]


def _simple_annotations() -> dict[str, Any]:
    import datetime
    from typing import Any

    return {
        "bool": bool,
        "int": int,
        "uint": int,
        "float": float,
        "complex": complex,
        "string": str,
        "bytes": bytes,
        "record": dict[str, Any],
        "any": Any,
        "time": datetime.datetime,
        "duration": datetime.timedelta,
    }


_simple = once(_simple_annotations)


# Adapted kinds whose Go pointer form is usual (nil is None), and the
# module and name of their Python class (decimal's only when a module uses
# it; None: int).
_POINTERS: dict[str, tuple[str, str] | None] = {"bigint": None, "bigfloat": ("decimal", "Decimal")}
