"""A generated project's own copy of usegolib's runtime (issue 17): its
wheels install from any index without a usegolib release, and a project
runs with the runtime its library was built and tested with, whatever
usegolib (if any) the user has installed."""

from __future__ import annotations

import os
import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

from ..errors import BuildError, UsegolibError
from ..runtime import native

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..artifact import Platform

# Where the copy goes inside the generated package: NAME/_usegolib.
VENDORED = "_usegolib"
# What the copy leaves out at its top: building and packaging (they need
# Go), the `go.` import hook and the command line (a project is imported
# by its own name), and the Go shim's sources of an installed usegolib.
LEFT_OUT = {"build.py", "builder", "distribute", "_hook", "auto.py", "cli.py", "__main__.py", "coverage.py", "_go_shim"}
_NOT_SOURCE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")


def vendor_runtime(destination: Path) -> None:
    """Copy the runtime parts of this usegolib into destination."""
    source = Path(__file__).resolve().parents[1]

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = set(_NOT_SOURCE(directory, names))
        if Path(directory).resolve() == source:
            skipped |= LEFT_OUT & set(names)
        return skipped

    shutil.copytree(source, destination, ignore=ignore)


def runtime_requirements() -> list[str]:
    """The requirements of usegolib's runtime (its dependencies without
    extras), which the copy needs too."""
    try:
        requirements = metadata.requires("usegolib") or []
    except metadata.PackageNotFoundError:
        raise BuildError(
            "usegolib's own metadata is missing, so the generated project cannot list its dependencies: "
            "install usegolib (python -m pip install -e . in a checkout)"
        ) from None
    return sorted(r for r in requirements if not re.search(r"\bextra\s*==", r))


NativeBuilds = dict[tuple[int, int], Path]  # limited API -> the extension built for it


def native_builds(plat: Platform) -> tuple[NativeBuilds, str | None]:
    """The native crossing's extension for plat, on each limited API a wheel
    carries that this Python has the headers of (runtime/native.py), and
    why there is none when there is none: that platform's wheel then calls
    Go through ctypes."""
    builds: NativeBuilds = {}
    why = None
    for api in native.SHIPPED_APIS:
        if sys.version_info < api:
            continue
        try:
            builds[api] = native_for(plat, api)
        except (UsegolibError, OSError) as exc:
            why = str(exc).splitlines()[0]
    return builds, why if not builds else None


def native_for(plat: Platform, limited_api: tuple[int, int]) -> Path:
    """The extension for plat and the limited API of limited_api, built once
    into the tools directory."""
    from ..builder.native import build_native

    path = Path(native.cached_path(plat, limited_api))
    if not path.is_file():
        build_native(native.SOURCE, path, limited_api, plat)
    return path


def ship_native(builds: NativeBuilds, destination: Path) -> None:
    """Put builds where the wheel hook takes them from, under the names the
    runtime looks for (native.shipped_path)."""
    destination.mkdir(parents=True, exist_ok=True)
    for api, build in builds.items():
        shutil.copyfile(build, destination / os.path.basename(native.shipped_path(api)))
