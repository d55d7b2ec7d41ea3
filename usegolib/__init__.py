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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from .runtime.aio import AsyncView
    from .runtime.channels import GoChannel
    from .runtime.context import Context
    from .runtime.numbers import numeric_results
    from .runtime.refs import Ref
    from .shipping import Artifact

# Names whose modules are imported when first asked for, by module: an
# import of a Go package needs none of them (asyncio comes with .aio,
# typing's Generic with channels, msgpack with Ref and numeric_results).
_ON_FIRST_USE = {
    "AsyncView": "aio",
    "GoChannel": "channels",
    "Context": "context",
    "numeric_results": "numbers",
    "Ref": "refs",
}


def __getattr__(name: str) -> Any:
    module = _ON_FIRST_USE.get(name)
    if module is None:
        raise AttributeError(f"module 'usegolib' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".runtime.{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_ON_FIRST_USE})


def install_hook() -> None:
    """Install the ``go.`` import hook (what ``import usegolib.auto`` does)."""
    from ._hook import install

    install()


def artifacts_for(obj: Any) -> Artifact:
    """The artifact files to ship so that another machine (a cluster's
    worker, without Go) can load what ``obj`` comes from: a Go package,
    function, class or method, or a loaded module's path. Checked against
    the library this process runs (docs/cluster.md)."""
    from .shipping import artifacts_for as find

    return find(obj)


def inline(source: str, *, requires: Mapping[str, str] | None = None, name: str | None = None) -> GoPackage:
    """Build Go source written inline and import it (docs/inline.md).

    ``source`` is the body of a Go package: imports and declarations, the
    ``package`` line optional (``name`` names the package, else ``inline``).
    It becomes a module of its own in the artifact root (usegolib's cache
    by default), named by a hash of its content: the same source is built
    once, also across processes; a changed source is a new module (Go
    cannot unload the old one). ``requires`` maps module paths to exact
    versions the source imports from, e.g.
    ``{"github.com/google/uuid": "v1.6.0"}``. Returns what
    :func:`import_` returns. A compile error raises
    :class:`~usegolib.errors.BuildError` naming ``<inline>:LINE:COL``.
    """
    from ._inline import inline as build

    return build(source, requires=requires, name=name)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext usegolib``: the ``%%go`` cell magic (usegolib/magic.py).
    IPython is imported here, never by ``import usegolib``."""
    from .magic import load_ipython_extension as load

    load(ipython)


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
    "artifacts_for",
    "import_",
    "inline",
    "install_hook",
    "load_ipython_extension",
    "numeric_results",
]
