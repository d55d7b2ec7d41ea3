"""usegolib: call Go libraries from Python, in-process.

>>> import usegolib
>>> h = usegolib.import_("example.com/mod", artifact_dir="out/artifact")
>>> h.AddInt(1, 2)
3
"""

from __future__ import annotations

from ._version import __version__
from .errors import GoError, GoPanicError, UsegolibError
from .runtime import GoObject, GoPackage, import_


def install_hook() -> None:
    """Install the ``go.`` import hook (what ``import usegolib.auto`` does)."""
    from ._hook import install

    install()


__all__ = [
    "GoError",
    "GoObject",
    "GoPackage",
    "GoPanicError",
    "UsegolibError",
    "__version__",
    "import_",
    "install_hook",
]
