"""What a build depends on, and whether an artifact is still up to date.

Every check returns a reason, so that a user asking "why did it rebuild?"
finds the answer in the build log rather than in the code.
"""

from __future__ import annotations

import os
import stat

from .. import digests
from .. import generics as generic_list
from .._version import __version__
from ..errors import BuildError
from ..witness import UNNOTED
from . import macos

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import Any

    from ..artifact import Platform, StrPath
    from ..witness import Witness
    from .toolchain import Toolchain

# Flags of the final link: no build id and no symbol table make the library
# smaller and reproducible; Go's own tables (function names, file:line for
# panic stacks) are kept.
LDFLAGS = "-s -w -buildid="
# An ELF library is linked by Zig, which keeps the C objects' symbol table
# and DWARF (with the Zig install's paths) unless told to strip them too.
ELF_LDFLAGS = f"{LDFLAGS} -extldflags=-s"


def link_flags(plat: Platform) -> str:
    """The -ldflags of a library for plat."""
    return ELF_LDFLAGS if plat.goos not in ("darwin", "windows") else LDFLAGS


# Environment variables that change what go build produces; each one that
# is set is a build input.
BUILD_ENVIRONMENT = (
    "GOFLAGS",
    "GOEXPERIMENT",
    "GOAMD64",
    "GOARM",
    "GOARM64",
    "GO386",
    "CGO_CFLAGS",
    "CGO_CPPFLAGS",
    "CGO_CXXFLAGS",
    "CGO_LDFLAGS",
)


def current_inputs(
    toolchain: Toolchain,
    shim: str,
    plat: Platform,
    generics: list[dict[str, Any]] | None = None,
    witness: Witness = UNNOTED,
) -> dict[str, str]:
    """The build inputs with this toolchain: what a build would record, and
    what an up-to-date check compares (without importing the builder)."""
    cc = toolchain.cc if toolchain.zig_version is None else f"zig {toolchain.zig_version}"
    if toolchain.cgo_ldflags:
        cc += f" macos-stubs-{macos.STUBS_VERSION}"
    digest = generic_list.digest(generics or [])
    return build_inputs(go_version=toolchain.go_version, cc=cc, shim=shim, plat=plat, generics=digest, witness=witness)


def build_inputs(
    *, go_version: str, cc: str, shim: str, plat: Platform, generics: str, witness: Witness = UNNOTED
) -> dict[str, str]:
    """Everything but the module's own files that shapes a build; generics
    is the digest of the instantiations asked for, recorded for an empty
    list too, so that removing a list makes the artifact stale. witness
    (usegolib/witness.py) notes what an up-to-date check read, here and
    below."""
    inputs = {
        "usegolib": __version__,
        "go": go_version,
        "cc": cc,
        "shim": shim,
        "platform": plat.tag,
        "ldflags": link_flags(plat),
        "generics": generics,
    }
    for name in BUILD_ENVIRONMENT:
        value = witness.env(name)
        if value:
            inputs[f"env {name}"] = value
    return inputs


def module_files(root: StrPath, witness: Witness = UNNOTED) -> Iterator[str]:
    """Every file Go could read when building the module: its whole tree but
    version-control and hidden directories, nested modules (separate
    modules), and artifact roots (which would otherwise change with every
    build). Sorted, so the fingerprint is stable. Paths as strings, not
    pathlib (nor re or json below): every import of a local module runs
    this, and pathlib would make the walk several times slower."""
    witness.identity(root)  # before os.walk lists it
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if _walks_into(dirpath, d, witness))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield os.path.join(dirpath, name)


def _walks_into(parent: str, name: str, witness: Witness = UNNOTED) -> bool:
    directory = os.path.join(parent, name)
    if name.startswith("."):  # neither walked nor, were it a file, read
        return False
    walked = (
        not name.startswith("_")
        and not witness.isfile(os.path.join(directory, "go.mod"))
        and not any(witness.isdir(os.path.join(directory, marker)) for marker in (".staging", ".locks"))
    )
    if walked:
        witness.identity(directory)  # before os.walk lists it
    else:
        witness.isdir(directory)  # a link to a directory would count as a file once it led to none
    return walked


# A replace target in go.mod: a quoted or bare word after "=>".
_REPLACE_TARGET = r'=>\s*("(?:[^"\\]|\\.)*"|\S+)'


def is_directory_path(path: str) -> bool:
    """Go's rule (modfile.IsDirectoryPath): a replace target naming a
    directory rather than a module."""
    return (
        path in (".", "..")
        or path.startswith(("./", "../", "/", ".\\", "..\\", "\\"))
        or (len(path) >= 2 and path[1] == ":" and path[0].isalpha())
    )


def source_directories(root: StrPath, witness: Witness = UNNOTED) -> list[str]:
    """The module's directory and the local directories its go.mod replaces
    modules with (relative or absolute): their files are inputs too."""
    dirs = [os.fspath(root)]
    go_mod_file = os.path.join(root, "go.mod")
    witness.identity(go_mod_file)
    try:
        with open(go_mod_file, encoding="utf-8") as f:
            go_mod = f.read()
    except OSError:
        return dirs
    if "=>" not in go_mod:
        return dirs
    import re  # only for a go.mod with replace directives

    for match in re.finditer(_REPLACE_TARGET, go_mod):
        target = match.group(1).strip('"')
        if is_directory_path(target):
            directory = witness.realpath(os.path.join(root, target))
            if witness.isdir(directory) and directory not in dirs:
                dirs.append(directory)
    return dirs


def sources_fingerprint(root: StrPath, witness: Witness = UNNOTED) -> str:
    """Hash of the names and contents of every source file of a local module
    (and of the modules it replaces with local directories). Symbolic links
    count by where they point; other special files (FIFOs, sockets) do not
    count, as reading them could block."""
    h = digests.sha256()
    for directory in source_directories(root, witness):
        # Where the module lies does not count: a copy elsewhere is the same.
        h.update(f"dir {_relative(directory, root)}\0".encode())
        for path in module_files(directory, witness):
            h.update(_posix(os.path.relpath(path, directory)).encode() + b"\0")
            h.update(_content_digest(path, witness))
    return h.hexdigest()


def _posix(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


def _relative(directory: str, root: StrPath) -> str:
    try:
        return _posix(os.path.relpath(directory, root))
    except ValueError:  # another drive (Windows)
        return _posix(directory)


def _content_digest(path: str, witness: Witness = UNNOTED) -> bytes:
    try:
        mode = witness.lstat(path).st_mode  # before it is read
        if stat.S_ISLNK(mode):
            witness.isdir(path)  # os.walk lists it as a file while it leads to no directory
            return b"link " + os.readlink(path).encode()
        if not stat.S_ISREG(mode):
            return b"special"
        with open(path, "rb") as f:
            return digests.sha256(f.read()).digest()
    except OSError as exc:
        raise BuildError(f"cannot read {path}: {exc.strerror}") from exc


def fingerprint(inputs: Mapping[str, str], sources: str | None) -> str:
    """One hash of all inputs; equal fingerprints mean the same module files
    built by the same tools with the same options."""
    import json  # builds compute fingerprints; up-to-date checks compare their parts

    return digests.sha256(json.dumps({"inputs": dict(inputs), "sources": sources}, sort_keys=True).encode()).hexdigest()


_NAMES: dict[str, str] = {
    "usegolib": "usegolib version",
    "go": "Go version",
    "cc": "C compiler",
    "shim": "usegolib Go shim",
    "platform": "target platform",
    "ldflags": "link flags",
    "generics": "list of generic instantiations",
}


def stale_reason(manifest: dict[str, Any], inputs: Mapping[str, str] | None, sources: str | None) -> str | None:
    """Why an artifact needs rebuilding, or None when it is up to date.
    inputs=None skips the tool checks (no toolchain to compare with)."""
    if sources is not None and manifest.get("sources") != sources:
        return "the module's source files changed"
    if inputs is not None:
        built = manifest.get("inputs") or {}
        for key, value in inputs.items():
            if built.get(key) != value:
                return f"the {_NAMES.get(key, key)} changed ({built.get(key)!r} -> {value!r})"
    return None
