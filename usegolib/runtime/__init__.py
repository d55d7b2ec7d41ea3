"""Loading artifacts and calling into them; needs neither Go nor Zig."""

from __future__ import annotations

from .handles import GoObject
from .loader import import_
from .package import GoPackage

__all__ = ["GoObject", "GoPackage", "import_"]
