"""The Dask plugins of usegolib.cluster.ship_to_dask (imported only there,
and where Dask unpickles them: on the workers and the scheduler)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from distributed.diagnostics.plugin import SchedulerPlugin, WorkerPlugin

from .receiving import load_shipped

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .shipping import PackedArtifact

# Below a Dask worker's local directory: the artifact root its shipped
# artifacts are installed in, unless ship_to_dask is given one.
WORKER_ROOT = "usegolib-artifacts"


def plugin_name(packed: tuple[PackedArtifact, ...], root: str | None) -> str:
    """The same name for the same artifacts (and root): registering them
    again is a no-op (idempotent plugins)."""
    digest = hashlib.sha256()
    for artifact in sorted(packed, key=lambda a: (a.module, a.version, a.platform)):
        digest.update(repr((artifact.module, artifact.version, artifact.platform)).encode())
        digest.update(repr(sorted(artifact.sha256.items())).encode())
    digest.update(repr(root).encode())
    modules = ",".join(sorted({f"{a.module}@{a.version}" for a in packed}))
    return f"usegolib-{modules}-{digest.hexdigest()[:16]}"


class ArtifactsPlugin(WorkerPlugin):  # type: ignore[misc]
    """Installs and loads shipped artifacts on each worker, when it is
    registered and on every worker that joins later."""

    idempotent = True

    def __init__(self, packed: tuple[PackedArtifact, ...], root: str | None) -> None:
        self.packed = packed
        self.root = root
        self.name = plugin_name(packed, root)

    def setup(self, worker: Any) -> None:
        root = Path(self.root) if self.root is not None else Path(worker.local_directory) / WORKER_ROOT
        load_shipped(self.packed, root)


class SchedulerArtifactsPlugin(SchedulerPlugin):  # type: ignore[misc]
    """Loads shipped artifacts in the scheduler, which unpickles task graphs
    (and so the Go functions in them) in recent versions of distributed.
    A scheduler in the process that shipped them (a LocalCluster's) has
    them loaded already: nothing is written or loaded then."""

    idempotent = True

    def __init__(self, packed: tuple[PackedArtifact, ...]) -> None:
        self.packed = packed
        self.name = plugin_name(packed, None) + "-scheduler"
        self._root: Path | None = None

    async def start(self, scheduler: Any) -> None:
        self._root = load_shipped(self.packed)  # a temporary directory, if anything was missing

    async def close(self) -> None:
        if self._root is not None:  # the loaded libraries stay mapped
            shutil.rmtree(self._root, ignore_errors=True)


__all__ = ["WORKER_ROOT", "ArtifactsPlugin", "SchedulerArtifactsPlugin", "plugin_name"]
