"""Which packages of a module an artifact holds (issue 18): the whole
module, or the packages at and below some of its import paths — the
closure of what was imported. An artifact that lacks a package asked for
grows to the union; it never shrinks, so that what one process imported
stays importable by the others (docs/cache.md)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    Selection = list[str] | None  # None: the whole module


def normalize(packages: Sequence[str] | None, module: str) -> Selection:
    """The smallest list of roots covering packages; None for the whole
    module (no list, or the module's own path in it)."""
    if packages is None:
        return None
    roots = [_absolute(p.strip().strip("/"), module) for p in packages if p.strip().strip("/")]
    if not roots or module in roots:
        return None
    return _minimal(roots)


def below(path: str, root: str) -> bool:
    """Whether import path path is root or a path under it."""
    return path == root or path.startswith(root + "/")


def _absolute(path: str, module: str) -> str:
    """An import path of the module's: path itself, or path below the module."""
    return path if below(path, module) else f"{module}/{path}"


def covers(selection: Selection, path: str) -> bool:
    """Whether an artifact of this selection holds path (if the module has it)."""
    return selection is None or any(below(path, root) for root in selection)


def missing_reason(have: Selection, asked: Selection) -> str | None:
    """Why an artifact holding have does not serve asked, or None."""
    if have is None:
        return None
    if asked is None:
        return f"the whole module was asked for (the artifact holds {', '.join(have)})"
    missing = [p for p in asked if not covers(have, p)]
    if not missing:
        return None
    return f"{', '.join(missing)} not in the artifact yet (it holds {', '.join(have)})"


def union(have: Selection, asked: Selection) -> Selection:
    if have is None or asked is None:
        return None
    return _minimal([*have, *asked])


def describe(selection: Selection) -> str:
    return "" if selection is None else f" ({', '.join(selection)})"


def _minimal(roots: Iterable[str]) -> list[str]:
    """Sorted roots, without those below another."""
    kept: list[str] = []
    for root in sorted(set(roots)):
        if not any(below(root, k) for k in kept):
            kept.append(root)
    return kept
