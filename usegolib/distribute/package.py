"""`usegolib package`: build a Go module for each platform, write the
project around the artifacts, and optionally its wheels."""

from __future__ import annotations

from dataclasses import dataclass

from ..artifact import LOCAL_VERSION
from ..builder import build_module
from ..builder.builder import stderr_log
from .platforms import host_target, target
from .project import Project, check_package_name, unlicensed, write_project
from .runtime import native_builds
from .versions import python_version
from .wheels import build_wheels

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from ..builder.builder import Log
    from .platforms import Target
    from .runtime import NativeBuilds


@dataclass(frozen=True)
class Packaged:
    project: Path
    wheels: list[Path]


def make_package(
    source: str,
    name: str,
    out: Path,
    artifact_root: Path,
    *,
    version: str | None = None,
    platforms: list[str] | None = None,
    wheels: bool = False,
    generics: list[dict[str, Any]] | None = None,
    packages: list[str] | None = None,
    force: bool = False,
    log: Log = stderr_log,
) -> Packaged:
    """Build source for each platform (default: this machine's) into
    artifact_root and write the project OUT/name (and OUT/dist/ wheels).
    packages limits the libraries to those packages and the ones below
    them, as for build_module (an artifact already in artifact_root that
    holds more is shipped as it is, unless force)."""
    check_package_name(name)
    targets = [target(p) for p in dict.fromkeys(platforms)] if platforms else [host_target()]
    artifacts: dict[Target, Path] = {}
    natives: dict[Target, NativeBuilds] = {}
    manifest: dict[str, Any] = {}
    for each in targets:
        built = build_module(
            source, artifact_root, platform=each.platform, generics=generics, packages=packages, force=force, log=log
        )
        artifacts[each] = built.path
        manifest = manifest or built.manifest
        natives[each], why = native_builds(each.platform)
        if why:
            log(f"note: the {each.platform.tag} wheel calls Go through ctypes, without the native crossing: {why}")
    project = Project(
        package=name,
        version=version or _default_version(str(manifest["version"])),
        source=source,
        manifest=manifest,
        artifacts=artifacts,
        natives=natives,
    )
    directory = write_project(project, out)
    log(f"wrote the project {directory}")
    for module in unlicensed(manifest):
        log(f"warning: {module} has no license file: check its terms before publishing {name}")
    built_wheels = build_wheels(directory, targets, out / "dist") if wheels else []
    for wheel in built_wheels:
        log(f"built {wheel}")
    return Packaged(directory, built_wheels)


def _default_version(go_version: str) -> str:
    """The Go module's version; a local module has none, so 0.0.0."""
    return "0.0.0" if go_version == LOCAL_VERSION else python_version(go_version)
