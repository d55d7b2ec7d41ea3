"""The artifacts under a root: listing, removing, pruning (SPEC §7).

Removal takes each artifact's build lock, so it never races a build of the
same artifact. A process that has a library loaded keeps it: on Linux and
macOS its mapping outlives the file; on Windows the file is in use and its
removal is reported as failed.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from .artifact import LAST_USED, MANIFEST_FILE, Platform, unescape_module_path
from .locks import artifact_lock


@dataclass(frozen=True)
class Entry:
    module: str
    version: str
    platform: str
    path: Path
    size: int
    last_used: float  # seconds since the epoch

    def as_json(self) -> dict[str, object]:
        return {
            "module": self.module,
            "version": self.version,
            "platform": self.platform,
            "path": str(self.path),
            "size": self.size,
            "last_used": self.last_used,
        }


def entries(root: Path) -> list[Entry]:
    """Every artifact under root, sorted by module, then version order."""
    found = [_entry(root, manifest.parent) for manifest in _manifests(root)]
    return sorted(found, key=lambda e: (e.module, _version_key(e), e.platform))


def _manifests(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if MANIFEST_FILE in filenames:
            dirnames[:] = []
            yield Path(dirpath) / MANIFEST_FILE


def _entry(root: Path, directory: Path) -> Entry:
    relative = directory.relative_to(root).parts
    marker = directory / LAST_USED
    used = marker.stat().st_mtime if marker.exists() else (directory / MANIFEST_FILE).stat().st_mtime
    size = sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
    return Entry(
        module=unescape_module_path("/".join(relative[:-2])),
        version=relative[-2],
        platform=relative[-1],
        path=directory,
        size=size,
        last_used=used,
    )


def _version_key(entry: Entry) -> tuple[int, Version, float]:
    """Semantic versions in order, then anything else (local, pseudo
    versions Python cannot parse) by when it was last used."""
    try:
        return (1, Version(entry.version.removeprefix("v")), entry.last_used)
    except InvalidVersion:
        return (0, Version("0"), entry.last_used)


def select(root: Path, spec: str) -> list[Entry]:
    """The artifacts of `MODULE` or `MODULE@VERSION`."""
    module, _, version = spec.partition("@")
    return [e for e in entries(root) if e.module == module and (not version or e.version == version)]


def to_prune(root: Path, *, older_than_days: float | None, keep_latest: int | None) -> list[Entry]:
    """Artifacts unused for longer than older_than_days, and all but the
    keep_latest newest versions of each module; both rules apply when given."""
    doomed: dict[Path, Entry] = {}
    all_entries = entries(root)
    if older_than_days is not None:
        cutoff = time.time() - older_than_days * 86400
        doomed.update((e.path, e) for e in all_entries if e.last_used < cutoff)
    if keep_latest is not None:
        by_module: dict[tuple[str, str], list[Entry]] = {}
        for e in all_entries:
            by_module.setdefault((e.module, e.platform), []).append(e)
        for versions in by_module.values():
            doomed.update((e.path, e) for e in versions[: max(len(versions) - keep_latest, 0)])
    return sorted(doomed.values(), key=lambda e: (e.module, _version_key(e)))


def remove(root: Path, entry: Entry) -> None:
    """Remove one artifact, under its build lock, by renaming it aside first
    so that no reader ever sees it half deleted."""
    plat = Platform(*entry.platform.split("-", 1))
    with artifact_lock(root, entry.module, entry.version, plat, log=lambda _: None):
        doomed = entry.path.with_name(f".removing-{entry.path.name}-{os.getpid()}")
        os.replace(entry.path, doomed)
        shutil.rmtree(doomed)
    # Empty version and module directories go too, up to the root.
    parent = entry.path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
