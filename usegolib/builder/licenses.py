"""The license notices a library must carry (issue 17): it holds compiled
code of every Go module linked into it, of Go's runtime and standard
library, and of usegolib's shim, whose licenses ask for their notice in
binary distributions. The build copies them into the artifact's licenses/
directory, so that wherever an artifact goes (the cache, a wheel, a
cluster's workers) its notices go too."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .bridge_module import SHIM_MODULE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .gotool import GoTool

LICENSES = "licenses"
# Where Go's own notices go, and the shim's (its module path is internal).
GO = "go"
USEGOLIB = "usegolib"
# The names of notice files at a module's root, as license scanners know them.
_NOTICE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|PATENTS|COPYRIGHT|UNLICENSE)([._-].*)?$", re.IGNORECASE)
# Every non-main module a package of the library comes from: path, directory.
_MODULES = "{{with .Module}}{{if not .Main}}{{.Path}}\t{{.Dir}}\n{{end}}{{end}}"


def collect(go: GoTool, bridge: Path, out: Path, *, flags: str) -> dict[str, list[str]]:
    """Copy the notices of what the bridge in bridge links into
    out/licenses/<module path>/ and return them, module -> files (relative
    to out). A module without a notice file is listed with none."""
    listing = go.run(
        ["list", "-deps", "-f", _MODULES, "."], cwd=bridge, what="listing the linked modules", GOFLAGS=flags
    )
    sources = {GO: Path(go.run(["env", "GOROOT"], cwd=bridge, what="finding GOROOT").strip())}
    for line in sorted(set(listing.splitlines())):
        path, _, directory = line.partition("\t")
        if directory:
            sources[USEGOLIB if path == SHIM_MODULE else path] = Path(directory)
    return {name: _copy_notices(directory, out, name) for name, directory in sorted(sources.items())}


def _copy_notices(directory: Path, out: Path, name: str) -> list[str]:
    copied = []
    for notice in sorted(p for p in directory.iterdir() if p.is_file() and _NOTICE.match(p.name)):
        relative = f"{LICENSES}/{name}/{notice.name}"
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notice, out / relative)
        copied.append(relative)
    return copied
