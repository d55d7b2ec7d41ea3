"""usegolib: call Go libraries from Python, in-process.

>>> import usegolib
>>> h = usegolib.import_("example.com/mod", artifact_dir="out/artifact")
>>> h.AddInt(1, 2)
3
"""

from __future__ import annotations

from ._version import __version__
from .errors import ContextCanceledError, DeadlineExceededError, GoError, GoPanicError, UsegolibError
from .runtime import GoObject, GoPackage, import_
from .runtime.aio import AsyncView
from .runtime.channels import GoChannel
from .runtime.context import Context


def install_hook() -> None:
    """Install the ``go.`` import hook (what ``import usegolib.auto`` does)."""
    from ._hook import install

    install()


__all__ = [
    "AsyncView",
    "Context",
    "ContextCanceledError",
    "DeadlineExceededError",
    "GoChannel",
    "GoError",
    "GoObject",
    "GoPackage",
    "GoPanicError",
    "UsegolibError",
    "__version__",
    "import_",
    "install_hook",
]
