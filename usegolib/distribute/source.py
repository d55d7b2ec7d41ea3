"""Building a generated project's Go library from source, for the machines
its prebuilt libraries do not cover (the PEP 517 path of docs/packaging.md).

A project records what it was built from in usegolib-source.json: a remote
module at the exact version that was resolved, or a copy of a local module
under go/. Its wheel hook (hatch_build.py) calls build_for_host when no
carried library fits, with usegolib[build] as an extra build requirement.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..artifact import default_root
from ..builder.bridge_module import LocalSource, parse_source
from ..builder.fingerprint import module_files

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SOURCE_FILE = "usegolib-source.json"
GO_DIR = "go"


def write_source(root: Path, source: str, manifest: dict[str, Any]) -> dict[str, str]:
    """Record in the project at root how to build its library again: copy a
    local module into go/, pin a remote one to the version it resolved to,
    keep the instantiations of generics the artifacts were built with.
    Return the source as a manifest spells it (relative to the project)."""
    parsed = parse_source(source)
    if isinstance(parsed, LocalSource):
        _copy_module(parsed.directory, root / GO_DIR)
        recorded, described = GO_DIR, {"dir": GO_DIR}
    else:
        recorded = f"{parsed.path}@{manifest['version']}"
        described = {"query": recorded}
    document = {"source": recorded, "generics": manifest.get("instantiations") or []}
    (root / SOURCE_FILE).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return described


def _copy_module(module: Path, destination: Path) -> None:
    for path in map(Path, module_files(module)):
        target = destination / path.relative_to(module)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def build_for_host(root: Path) -> Path:
    """Build the project's Go library for this machine into the usegolib
    cache; return the artifact directory."""
    from ..builder import build_module  # needs usegolib[build] only here

    document = json.loads((root / SOURCE_FILE).read_text(encoding="utf-8"))
    recorded = str(document["source"])
    source: str | Path = root / recorded if recorded == GO_DIR else recorded
    return build_module(source, default_root(), generics=document["generics"] or None).path
