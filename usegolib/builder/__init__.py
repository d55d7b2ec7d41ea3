"""Building Go modules into artifacts (needs Go and Zig: ``usegolib[build]``)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["BuildResult", "build_module"]


def __getattr__(name: str) -> Any:
    # Lazy, so that the runtime's freshness checks (which use
    # builder.fingerprint) do not import the whole builder.
    if name in __all__:
        from . import builder

        return getattr(builder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
