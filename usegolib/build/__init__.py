"""Building Go modules into artifacts (needs Go and Zig: ``usegolib[build]``)."""

from __future__ import annotations

from .builder import BuildResult, build_module

__all__ = ["BuildResult", "build_module"]
