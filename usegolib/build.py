"""The name earlier releases gave the builder: ``usegolib.build.build_module``
and ``usegolib.build.BuildResult`` keep working. The builder lives in
usegolib/builder/ (a folder named ``build`` reads as build output)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .builder import BuildResult, build_module

__all__ = ["BuildResult", "build_module"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import builder

        return getattr(builder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
