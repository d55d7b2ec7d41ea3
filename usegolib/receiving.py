"""Receiving shipped artifacts (docs/cluster.md): on a worker or a
scheduler, install the artifacts meant for this machine and load them.
Used by usegolib.cluster's Dask plugins and by anyone shipping by hand."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from .artifact import MANIFEST_FILE, host_platform
from .errors import VersionConflictError
from .shipping import check_packed, check_platform, install, note_received

TYPE_CHECKING = False
if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

    from .shipping import PackedArtifact


def load_shipped(packed: Iterable[PackedArtifact], root: str | os.PathLike[str] | None = None) -> Path | None:
    """On a worker (or a scheduler, which unpickles task graphs): install
    the artifacts meant for this machine's platform into root, checking
    every file's SHA-256, load them, and install the ``go.`` hook. A Go
    function unpickled here then finds its module loaded; nothing else of
    the process changes (its artifact root stays its own). Artifacts this
    process already runs are neither written nor loaded again. root=None
    takes a new temporary directory, when something is to be installed.
    Returns the root used, or None."""
    from ._hook import install as install_hook
    from .runtime.loader import import_, loaded_libraries

    install_hook()
    here = host_platform().tag
    groups: dict[tuple[str, str], list[PackedArtifact]] = {}
    for artifact in packed:
        groups.setdefault((artifact.module, artifact.version), []).append(artifact)
    running = {lib.module: lib for lib in loaded_libraries()}
    pending = []
    for (module, version), group in groups.items():
        mine = [artifact for artifact in group if artifact.platform == here]
        if not mine:
            check_platform(group[0])  # says which platform to build for
        artifact = mine[0]
        check_packed(artifact)  # what arrived is what was sent, also where nothing is written
        lib = running.get(module)
        if lib is None:
            pending.append(artifact)
        elif lib.version != version or lib.manifest["library"]["sha256"] != _library_sha256(artifact):
            raise VersionConflictError(
                f"this process already runs another build of Go module {module} ({lib.version}) than the one "
                f"shipped ({version}); one process holds one version of a module: restart it (client.restart())"
            )
    if not pending:
        return None
    where = Path(root).expanduser().absolute() if root is not None else Path(tempfile.mkdtemp(prefix="usegolib-"))
    for artifact in pending:
        install(artifact, where)
        note_received(artifact.module, artifact.version)
        manifest = json.loads(artifact.contents[MANIFEST_FILE])
        import_((manifest.get("selection") or [artifact.module])[0], artifact_dir=where, version=artifact.version)
    return where


def _library_sha256(artifact: PackedArtifact) -> str:
    manifest = json.loads(artifact.contents[MANIFEST_FILE])
    return str(manifest["library"]["sha256"])


__all__ = ["load_shipped"]
