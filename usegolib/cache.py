"""The artifacts under a root: listing, removing, pruning (SPEC §7).

Only directories laid out as ``<module>/<version>/<goos>-<goarch>/`` whose
manifest names that same module, version and platform count as artifacts,
so pointing these commands at some other directory lists and removes
nothing. Removal takes each artifact's build lock, so it never races a build
of the same artifact. A process that has a library loaded keeps it: on
Linux and macOS its mapping outlives the file; on Windows the file is in use
and its removal is reported as failed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .artifact import LAST_USED, MANIFEST_FILE, Platform, manifest_identity, unescape_module_path
from .locks import artifact_lock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

_PLATFORM = re.compile(r"^[a-z0-9]+-[a-z0-9]+$")
# Go's semantic versions: vMAJOR.MINOR.PATCH[-prerelease][+build].
_SEMVER = re.compile(r"^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


@dataclass(frozen=True)
class Entry:
    module: str
    version: str
    platform: str
    path: Path
    last_used: float  # seconds since the epoch
    manifest: dict[str, Any] = field(repr=False, compare=False)

    @property
    def size(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())

    @property
    def selection(self) -> list[str] | None:
        """The packages the library holds: None for the whole module, else
        the import paths it holds those at and below (a closure build)."""
        chosen = self.manifest.get("selection")
        return list(chosen) if isinstance(chosen, list) else None

    def as_json(self) -> dict[str, object]:
        return {
            "module": self.module,
            "version": self.version,
            "platform": self.platform,
            "path": str(self.path),
            "size": self.size,
            "last_used": self.last_used,
            "packages": self.selection,
        }


def entries(root: Path) -> list[Entry]:
    """Every artifact under root, sorted by module, then version order."""
    found = [e for e in (_entry(root, m.parent) for m in _manifests(root)) if e is not None]
    return sorted(found, key=lambda e: (e.module, version_key(e.version, e.last_used), e.platform))


def _manifests(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if MANIFEST_FILE in filenames:
            dirnames[:] = []
            yield Path(dirpath) / MANIFEST_FILE


def _entry(root: Path, directory: Path) -> Entry | None:
    """The artifact in directory, or None when it is not one (wrong place,
    foreign or unreadable manifest, or removed meanwhile)."""
    parts = directory.relative_to(root).parts
    if len(parts) < 3 or not _PLATFORM.match(parts[-1]):
        return None
    module, version, platform = unescape_module_path("/".join(parts[:-2])), parts[-2], parts[-1]
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        marker = directory / LAST_USED
        used = (marker if marker.exists() else directory / MANIFEST_FILE).stat().st_mtime
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest_identity(manifest) != (module, version, platform):
        return None
    return Entry(module, version, platform, directory, used, manifest)


def version_key(version: str, last_used: float) -> tuple[int, tuple[Any, ...], float]:
    """Order versions as Go does: semantic versions by precedence (a
    pre-release or pseudo-version before its release), after every other
    version (local, branch names), which go by last use."""
    match = _SEMVER.match(version)
    if not match:
        return (0, (), last_used)
    major, minor, patch, pre = match.groups()
    # A release sorts after all its pre-releases: (1,) > (0, ...).
    pre_key: tuple[Any, ...] = (1,) if pre is None else (0, *(_identifier(p) for p in pre.split(".")))
    return (1, (int(major), int(minor), int(patch), pre_key), last_used)


def _identifier(part: str) -> tuple[int, int | str]:
    """Semver pre-release identifiers: numbers before words, numbers by value."""
    return (0, int(part)) if part.isdigit() else (1, part)


def select(root: Path, spec: str) -> list[Entry]:
    """The artifacts of `MODULE` or `MODULE@VERSION`."""
    module, _, version = spec.partition("@")
    return [e for e in entries(root) if e.module == module and (not version or e.version == version)]


def to_prune(root: Path, *, older_than_days: float | None, keep_latest: int | None, now: float) -> list[Entry]:
    """Artifacts unused for longer than older_than_days, and all but the
    keep_latest newest semantic versions of each module (local builds and
    other non-semantic versions only go by age); both rules apply when
    given."""
    doomed: dict[Path, Entry] = {}
    all_entries = entries(root)
    if older_than_days is not None:
        cutoff = now - older_than_days * 86400
        doomed.update((e.path, e) for e in all_entries if e.last_used < cutoff)
    if keep_latest is not None:
        by_module: dict[tuple[str, str], list[Entry]] = {}
        for e in all_entries:
            if _SEMVER.match(e.version):
                by_module.setdefault((e.module, e.platform), []).append(e)
        for versions in by_module.values():
            doomed.update((e.path, e) for e in versions[: max(len(versions) - keep_latest, 0)])
    return sorted(doomed.values(), key=lambda e: (e.module, version_key(e.version, e.last_used)))


def remove(root: Path, entry: Entry) -> None:
    """Remove one artifact, under its build lock, by renaming it aside first
    so that no reader ever sees it half deleted."""
    goos, _, goarch = entry.platform.partition("-")
    with artifact_lock(root, entry.module, entry.version, Platform(goos, goarch), log=lambda _: None):
        for leftover in entry.path.parent.glob(".removing-*"):  # of an earlier, interrupted removal
            shutil.rmtree(leftover, ignore_errors=True)
        doomed = entry.path.with_name(f".removing-{entry.path.name}-{os.getpid()}")
        os.replace(entry.path, doomed)
        shutil.rmtree(doomed)
    # Empty version and module directories go too, up to the root. (An
    # install racing this recreates what it needs; see builder._install.)
    parent = entry.path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        try:
            parent.rmdir()
        except OSError:
            break  # something appeared in it meanwhile
        parent = parent.parent
