"""`usegolib package`: a pip-installable project around prebuilt Go
libraries (docs/packaging.md).

    OUT/NAME/pyproject.toml      hatchling, with hatch_build.py tagging wheels
    OUT/NAME/hatch_build.py
    OUT/NAME/README.md
    OUT/NAME/_platforms/<goos>-<goarch>/   an artifact per platform, and in
                                 native/ the native crossing built for it
    OUT/NAME/NAME/__init__.py    one module per Go package (usegolib.packaged)
    OUT/NAME/NAME/__init__.pyi   stubs, and py.typed
    OUT/NAME/NAME/_usegolib/     the project's own copy of usegolib's runtime
    OUT/NAME/LICENSES/           the notices of what the libraries hold (wheel metadata)
    OUT/NAME/usegolib-source.json  what to build from where no library fits
    OUT/NAME/go/                 a local module's source (remote ones are pinned)

The project is written beside its destination and renamed into place.
"""

from __future__ import annotations

import json
import keyword
import os
import shutil
import uuid
from dataclasses import dataclass, field
from importlib import resources
from string import Template

from .._version import __version__
from ..artifact import write_manifest
from ..builder.licenses import LICENSES
from ..naming import python_element
from ..packaged import PROJECT
from ..runtime.verify import read_manifest
from ..stubs import docstring_body, write_tree
from .platforms import TARGETS
from .runtime import VENDORED, runtime_requirements, ship_native, vendor_runtime
from .source import write_source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path
    from typing import Any

    from .platforms import Target
    from .runtime import NativeBuilds

# Where a project keeps the license notices of its libraries.
NOTICES = "LICENSES"
# Where a platform's directory keeps the native crossing (hatch_build.py).
NATIVE = "native"


@dataclass(frozen=True)
class Project:
    package: str  # the import name, also the distribution name
    version: str  # PEP 440
    source: str  # what the Go module was built from, for the README
    manifest: dict[str, Any]  # of one artifact: the API is the same on every platform
    artifacts: dict[Target, Path]  # the built artifact of each platform
    # The native crossing built for each platform (none: ctypes there).
    natives: dict[Target, NativeBuilds] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return str(self.manifest["module"])

    def module_name(self, go_path: str) -> str:
        """The Python module of a Go package of the module."""
        rest = go_path[len(self.module) :].strip("/")
        return ".".join([self.package, *(python_element(e) for e in rest.split("/") if e)])


def check_package_name(name: str) -> str:
    if not name.isidentifier() or keyword.iskeyword(name) or not name.isascii():
        raise ValueError(f"--python-package-name {name!r} is not a Python identifier (e.g. my_go_lib)")
    return name


def write_project(project: Project, out: Path) -> Path:
    """Write the project as OUT/NAME, replacing an earlier one."""
    out.mkdir(parents=True, exist_ok=True)
    final = out / project.package
    # mkdir, not mkdtemp: the project gets the umask's permissions, not 0700.
    staging = out / f".{project.package}-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        _fill(project, staging)
        if final.exists():
            old = staging.with_name(staging.name + "-old")
            os.replace(final, old)
            os.replace(staging, final)
            shutil.rmtree(old)
        else:
            os.replace(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _fill(project: Project, root: Path) -> None:
    recorded = write_source(root, project.source, project.manifest)
    # What the README says to regenerate from: the project's own copy of a
    # local module (where the packager keeps it is not the project's
    # business, and would make the wheels differ by machine).
    for target, artifact in project.artifacts.items():
        _copy_artifact(artifact, root / PROJECT / target.platform.tag, recorded)
        if project.natives.get(target):
            ship_native(project.natives[target], root / PROJECT / target.platform.tag / NATIVE)
        _merge_notices(artifact, root / NOTICES)
    values = {
        **_values(project),
        "source": recorded.get("dir") or recorded["query"],
        "license_files": json.dumps(_notice_files(root)),
    }
    for template in ("pyproject.toml", "hatch_build.py", "README.md"):
        (root / template).write_text(_render(template, values), encoding="utf-8")
    _write_modules(project, root, values)
    write_tree(project.manifest, root, project.module_name, runtime=values["runtime"])
    (root / project.package / "py.typed").write_text("", encoding="utf-8")
    vendor_runtime(root / project.package / VENDORED)


def _copy_artifact(artifact: Path, destination: Path, source: dict[str, str]) -> None:
    """The library and its manifest: what loading needs (the cache's stubs
    and bookkeeping stay behind). The manifest says where the project
    builds from rather than where this machine keeps the module."""
    manifest = read_manifest(artifact)
    destination.mkdir(parents=True)
    shutil.copy2(artifact / manifest["library"]["file"], destination)
    write_manifest(destination, {**manifest, "source": source})


def _merge_notices(artifact: Path, destination: Path) -> None:
    """The license notices the artifact carries (builder/licenses.py), merged
    into the project's: every platform's library links the same modules,
    give or take a platform's own."""
    if (artifact / LICENSES).is_dir():
        shutil.copytree(artifact / LICENSES, destination, dirs_exist_ok=True)


def _notice_files(root: Path) -> list[str]:
    """The project's notice files, each named: hatchling reads `**` in
    license-files as one directory level, and a module path has several
    (LICENSES/github.com/dustin/go-humanize/LICENSE)."""
    return sorted(p.relative_to(root).as_posix() for p in (root / NOTICES).rglob("*") if p.is_file())


def unlicensed(manifest: dict[str, Any]) -> list[str]:
    """The modules linked into the library that carry no license file."""
    return sorted(name for name, files in (manifest.get("licenses") or {}).items() if not files)


def _values(project: Project) -> dict[str, str]:
    tags = {t.platform.tag: t.wheel_tag for t in TARGETS.values()}
    return {
        "name": project.package,
        "package": project.package,
        "version": project.version,
        "module": project.module,
        "go_version": str(project.manifest["version"]),
        "usegolib_version": __version__,
        "runtime": f"{project.package}.{VENDORED}",
        # A JSON list of strings is a TOML array too.
        "dependencies": json.dumps(runtime_requirements()),
        "description": f"Python bindings of the Go module {project.module}, made with usegolib.",
        "tags": repr(tags),
        "platforms": ", ".join(sorted(t.platform.tag for t in project.artifacts)),
    }


def _write_modules(project: Project, root: Path, values: dict[str, str]) -> None:
    """A module per Go package, and a plain package for each directory
    between them that holds no Go package."""
    packages = {p["path"]: p for p in project.manifest["packages"]}
    for path in sorted(_with_parents(packages, project.module)):
        parts = project.module_name(path).split(".")
        target = root.joinpath(*parts, "__init__.py")
        target.parent.mkdir(parents=True, exist_ok=True)
        fields = {**values, "go_path": path, "depth": str(len(parts) - 1)}
        if path in packages:
            doc = packages[path].get("doc") or f"The Go package {path}."
            text = _render("module.py", {**fields, "doc": docstring_body(doc)})
        else:
            text = _render("namespace.py", fields)
        target.write_text(text, encoding="utf-8")


def _with_parents(paths: Iterable[str], module: str) -> set[str]:
    """The paths, their parent directories up to the module, and the module."""
    out = {module}
    for path in paths:
        parent = path
        while parent not in out:
            out.add(parent)
            parent = parent.rsplit("/", 1)[0]
    return out


def _render(name: str, values: dict[str, str]) -> str:
    text = resources.files(__package__).joinpath("templates", f"{name}.tmpl").read_text(encoding="utf-8")
    return Template(text).substitute(values)
