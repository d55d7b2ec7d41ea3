"""Python annotations for Go types, for ``inspect.signature`` and ``help()``."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Optional


class Annotations:
    """Maps manifest type ids to annotations; classes come from the library."""

    def __init__(self, types: list[dict[str, Any]], classes: dict[int, type]) -> None:
        self._types = types
        self._classes = classes

    def of(self, type_id: int) -> Any:
        t = self._types[type_id]
        kind = t["kind"]
        simple = _SIMPLE.get(kind)
        if simple is not None:
            return simple
        if kind == "list":
            return list[self.of(t["elem"])]  # type: ignore[misc]
        if kind == "map":
            return dict[self.of(t["key"]), self.of(t["elem"])]  # type: ignore[misc]
        if kind == "optional":
            return Optional[self.of(t["elem"])]  # noqa: UP045 - the | form needs real classes on both sides
        if kind == "bigint":
            return Optional[int] if t.get("pointer") else int  # noqa: UP045
        if kind == "handle":
            return self._classes.get(t["class"], Any)
        if kind == "interface":
            return self._classes.get(type_id, Any)
        return Any

    def results(self, ids: list[int]) -> Any:
        if not ids:
            return None
        if len(ids) == 1:
            return self.of(ids[0])
        return tuple[tuple(self.of(i) for i in ids)]  # type: ignore[misc]


_SIMPLE: dict[str, Any] = {
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
    "uuid": uuid.UUID,
}
