"""The runtime of projects made by `usegolib package` (docs/packaging.md).

Each module of a generated Python package binds one Go package of the
prebuilt library shipped inside it, through the package's own copy of
this runtime (NAME/_usegolib, distribute/runtime.py):

    from NAME._usegolib.packaged import bind
    bind(globals(), "example.com/mod/sub", Path(__file__).resolve().parents[1])

The module gets the Go package's typed view (records as dataclasses,
handles, errors, like the import hook's), its subpackages as attributes, and
the reasons of what was not bridged. Nothing is built: a platform the
project carries no library for is an error that says which it has.
"""

from __future__ import annotations

import importlib
import threading

from .artifact import host_platform
from .errors import ArtifactNotFoundError
from .runtime.loader import load_directory
from .runtime.view import package

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from .runtime.library import Library
    from .runtime.package import GoPackage

# Where a project keeps its libraries: inside the package once installed
# from a wheel, beside it (one per platform) in the project directory.
INSTALLED = "_go"
PROJECT = "_platforms"

_lock = threading.Lock()
_libraries: dict[Path, Library] = {}


def bind(namespace: dict[str, Any], go_path: str, top: Path) -> None:
    """Make the module whose globals are namespace the Go package go_path of
    the library the package at top carries."""
    go_package = package(library(top), go_path, typed=True)
    namespace["__all__"] = go_package.__all__
    namespace["__go_package__"] = go_package
    namespace["__getattr__"] = _getattr(namespace, go_package)
    namespace["__dir__"] = lambda: sorted(set(namespace) | set(dir(go_package)))


def library(top: Path) -> Library:
    """The library of the package at top, loaded once."""
    with _lock:
        lib = _libraries.get(top)
        if lib is None:
            lib = _libraries[top] = load_directory(artifact_directory(top))
        return lib


def artifact_directory(top: Path) -> Path:
    tag = host_platform().tag
    # Installed, the directory is goos_goarch (an identifier: hatch_build.py).
    for candidate in (top / INSTALLED / tag.replace("-", "_"), top.parent / PROJECT / tag):
        if (candidate / "manifest.json").is_file():
            return candidate
    bases = [base for base in (top / INSTALLED, top.parent / PROJECT) if base.is_dir()]
    carried = sorted(p.name for base in bases for p in base.iterdir())
    raise ArtifactNotFoundError(
        f"{top.name} carries no Go library for this platform ({tag}); it has "
        f"{', '.join(carried) or 'none'}. Install the wheel built for your platform, or build the project "
        f"again with `usegolib package ... --platform` for it."
    )


def _getattr(namespace: dict[str, Any], go_package: GoPackage) -> Any:
    """PEP 562 __getattr__: subpackages import as the project's own modules;
    the rest (the Go package's members, made on first access and then kept
    in the module; vars, typed, generic, new; reasons of what is missing)
    is the Go package's."""

    def __getattr__(name: str) -> Any:
        if name in go_package.__dict__.get("_subpackages", {}):
            return importlib.import_module(f"{namespace['__name__']}.{name}")
        value = getattr(go_package, name)
        if name in go_package.__all__:
            namespace[name] = value
        return value

    return __getattr__
