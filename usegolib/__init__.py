"""usegolib: call Go libraries from Python, in-process.

>>> import usegolib
>>> h = usegolib.import_("example.com/mod", artifact_dir="out/artifact")
>>> h.AddInt(1, 2)
3
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import ContextCanceledError, DeadlineExceededError, GoError, GoPanicError, UsegolibError
from .runtime import GoObject, GoPackage, import_
from .runtime.channels import GoChannel
from .runtime.context import Context
from .runtime.numbers import numeric_results
from .runtime.refs import Ref

if TYPE_CHECKING:
    from .runtime.aio import AsyncView


def __getattr__(name: str) -> Any:
    # asyncio is imported only by those who use .aio.
    if name == "AsyncView":
        from .runtime.aio import AsyncView

        return AsyncView
    raise AttributeError(f"module 'usegolib' has no attribute {name!r}")


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
    "Ref",
    "UsegolibError",
    "__version__",
    "import_",
    "install_hook",
    "numeric_results",
]
