"""The Go half of usegolib: locating its sources and building the generator."""

from __future__ import annotations

import os
import sys

from .. import digests, remembered
from .._version import __version__
from ..artifact import tools_dir
from ..errors import BuildError
from ..witness import UNNOTED

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from ..artifact import StrPath
    from ..witness import Witness
    from .toolchain import Toolchain

# Plain strings, not pathlib: shim_dir and shim_digest are on the
# up-to-date check of every import of a local module.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def shim_dir(witness: Witness = UNNOTED) -> str:
    """The shim module: package data in an installed wheel, or the source
    tree's go_shim/ in a checkout (editable install). witness
    (usegolib/witness.py) notes what an up-to-date check read, here and
    in shim_digest."""
    for candidate in (os.path.join(_PACKAGE_DIR, "_go_shim"), os.path.join(os.path.dirname(_PACKAGE_DIR), "go_shim")):
        if witness.isfile(os.path.join(candidate, "go.mod")):
            return candidate
    raise BuildError(
        f"the usegolib Go shim is missing from {_PACKAGE_DIR}; reinstall usegolib (the wheel ships it as package data)"
    )


def shim_digest(shim: StrPath, witness: Witness = UNNOTED) -> str:
    """A content hash of the shim's sources: any change rebuilds the
    generator and changes every build fingerprint. Remembered so that
    checking an artifact reads no shim source when none changed: for a
    source checkout (go_shim/, which its developers edit), per set of
    (name, size, modification time) of the files; for the copy an
    installed wheel ships (_go_shim/, which only a reinstall changes, and
    that writes every file anew), per usegolib version and identity of its
    go.mod, which spares every import of a local module a walk of the tree."""
    packaged = _packaged_stamp(shim, witness)
    files = _shim_files(shim, witness) if packaged is None else []
    stamp = (
        packaged or digests.sha256(repr([(n, st.st_size, st.st_mtime_ns) for n, _, st in files]).encode()).hexdigest()
    )
    record = os.path.join(witness.tools_dir(), "shim-digests", stamp)
    witness.identity(record)
    known = remembered.read(record)
    if isinstance(known, str):
        return known
    files = files or _shim_files(shim, witness)
    h = digests.sha256()
    for name, path, _ in files:
        h.update(name.encode() + b"\0")
        with open(path, "rb") as source:
            h.update(source.read() + b"\0")
    digest = h.hexdigest()
    remembered.write(record, digest)
    return digest


def _packaged_stamp(shim: StrPath, witness: Witness = UNNOTED) -> str | None:
    """The name under which an installed wheel's shim's digest is
    remembered, or None for a source checkout's."""
    if os.fspath(shim) != os.path.join(_PACKAGE_DIR, "_go_shim"):
        return None
    try:
        st = witness.stat(os.path.join(shim, "go.mod"))
    except OSError:
        return None
    key = f"{__version__}\0{shim}\0{st.st_dev}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}"
    return "wheel-" + digests.sha256(key.encode()).hexdigest()


def _shim_files(shim: StrPath, witness: Witness = UNNOTED) -> list[tuple[str, str, os.stat_result]]:
    """The shim's sources, sorted by name (relative, with /), and their
    paths. Plain strings, not pathlib: every import of a local module walks
    this tree, and pathlib would make it several times slower."""
    found = []
    base = str(shim)
    witness.identity(base)  # each directory before os.walk lists it
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if d != "testdata"]
        for name in dirnames:
            witness.identity(os.path.join(dirpath, name))
        relative = os.path.relpath(dirpath, base).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for filename in filenames:
            if filename.endswith((".go", ".tmpl", ".mod")):
                path = os.path.join(dirpath, filename)
                found.append((prefix + filename, path, witness.stat(path)))
    return sorted(found, key=lambda entry: entry[0])


def generator_file(toolchain: Toolchain, digest: str) -> Path:
    """Where the usegolib-gen program for this shim and Go version is cached."""
    from pathlib import Path  # builds only

    key = digests.sha256(f"{digest}\0{toolchain.go_version}".encode()).hexdigest()[:16]
    suffix = ".exe" if sys.platform == "win32" else ""
    return Path(tools_dir()) / f"usegolib-gen-{key}{suffix}"


def generator(toolchain: Toolchain, shim: StrPath, digest: str) -> Path:
    """The usegolib-gen program for this shim and Go version, built once and
    cached; it always runs on the build machine, whatever the target."""
    target = generator_file(toolchain, digest)
    if target.is_file():
        return target
    env = {**os.environ, **toolchain.go_env, "CGO_ENABLED": "0", "GOWORK": "off", "GOFLAGS": "-mod=mod"}
    for var in ("GOOS", "GOARCH"):
        env.pop(var, None)
    # Building the generator is rare: keep these off the import of this module.
    import subprocess

    from .workspace import replaced_on_success

    with replaced_on_success(target, ".gen-") as tmp:
        # Position-independent, as the bridges are (-buildmode=c-shared):
        # the standard library is then compiled once for both, not twice.
        # A platform without PIE gets the default.
        for mode in (["-buildmode=pie"], []):
            done = subprocess.run(
                [toolchain.go, "build", *mode, "-trimpath", "-o", tmp, "./cmd/usegolib-gen"],
                cwd=shim,
                env=env,
                capture_output=True,
                encoding="utf-8",
                errors="replace",
                check=False,
            )
            if done.returncode == 0:
                break
        if done.returncode != 0:
            raise BuildError(f"building the usegolib generator failed:\n{done.stderr}")
    return target
