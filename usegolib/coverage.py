"""How much of a module's Go API an artifact bridges (``usegolib inspect``).

The scanner lists, per package, every exported function and method a Go user
can call (``api`` in the manifest). Each is bridged, or skipped with a reason
recorded where the scanner left it out; this module puts the two together.
A name that is neither is reported as such: it would be a scanner bug.

A bridged function is also *usable with its Go meaning* when every parameter
takes what a Go caller would give it: writes through pointers are seen
(usegolib.Ref), and writes into maps and slices in the list, dict or
bytearray passed (runtime/writeback.py), streams stream (file objects),
funcs take Python callables. What falls short is listed with the reason: today, a
parameter of an interface with methods other than io's, which only Go values
implementing it can fill.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

UNACCOUNTED = "neither bridged nor skipped with a reason (a usegolib bug: please report it)"


@dataclass(frozen=True)
class Member:
    name: str  # "F" or "T.M"
    reason: str | None  # None when bridged
    shortfall: str | None = None  # for a bridged member: why Python cannot use it fully as Go does

    @property
    def bridged(self) -> bool:
        return self.reason is None

    @property
    def usable(self) -> bool:
        return self.bridged and self.shortfall is None


@dataclass(frozen=True)
class PackageCoverage:
    path: str
    members: list[Member]

    @property
    def bridged(self) -> int:
        return sum(m.bridged for m in self.members)

    @property
    def usable(self) -> int:
        return sum(m.usable for m in self.members)


@dataclass(frozen=True)
class Coverage:
    module: str
    version: str
    packages: list[PackageCoverage]
    skipped_packages: list[tuple[str, str]] = field(default_factory=list)

    @property
    def bridged(self) -> int:
        return sum(p.bridged for p in self.packages)

    @property
    def total(self) -> int:
        return sum(len(p.members) for p in self.packages)

    @property
    def figure(self) -> float:
        """Bridged / callable, in percent; a module with no API is whole."""
        return 100.0 * self.bridged / self.total if self.total else 100.0

    @property
    def usable(self) -> int:
        return sum(p.usable for p in self.packages)

    @property
    def usable_figure(self) -> float:
        """Usable with their Go meaning / callable, in percent."""
        return 100.0 * self.usable / self.total if self.total else 100.0

    def unaccounted(self) -> list[str]:
        return [f"{p.path}.{m.name}" for p in self.packages for m in p.members if m.reason == UNACCOUNTED]

    def as_json(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "version": self.version,
            "bridged": self.bridged,
            "total": self.total,
            "coverage": round(self.figure, 1),
            "usable": self.usable,
            "usable_coverage": round(self.usable_figure, 1),
            "packages": [
                {
                    "path": p.path,
                    "bridged": [m.name for m in p.members if m.bridged],
                    "skipped": [{"name": m.name, "reason": m.reason} for m in p.members if not m.bridged],
                    "short": [{"name": m.name, "reason": m.shortfall} for m in p.members if m.shortfall],
                }
                for p in self.packages
            ],
            "skipped_packages": [{"path": path, "reason": reason} for path, reason in self.skipped_packages],
        }


def coverage(manifest: dict[str, Any]) -> Coverage:
    types = manifest["types"]
    packages = []
    for pkg in manifest["packages"]:
        bridged = _bridged(pkg, types)
        skipped = _skipped(pkg, types)
        members = [_member(name, bridged, skipped, types) for name in pkg.get("api") or []]
        packages.append(PackageCoverage(pkg["path"], members))
    skipped_packages = [(s["name"], s["reason"]) for s in manifest.get("skipped_packages") or []]
    return Coverage(manifest["module"], manifest.get("version", ""), packages, skipped_packages)


def _base(name: str) -> str:
    """A generic type's name without its type arguments: Pair[int, string] → Pair."""
    return name.split("[", 1)[0]


# The kinds of type entries that carry methods.
_WITH_METHODS = ("class", "interface", "named", "func")


def _own_types(pkg: dict[str, Any], types: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for t in types if t.get("package") == pkg["path"] and t["kind"] in _WITH_METHODS]


def _bridged(pkg: dict[str, Any], types: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The bridged functions and methods by name, with their manifest entries."""
    names = {f["name"]: f for f in pkg["functions"]}
    names.update((g["name"], g["function"]) for g in pkg.get("generics", []) if g.get("function"))
    for t in _own_types(pkg, types):
        names.update((f"{_base(t['name'])}.{m['name']}", m) for m in t.get("methods", []))
    return names


Entry = dict[str, Any]


def _member(name: str, bridged: dict[str, Entry], skipped: dict[str, str], types: list[Entry]) -> Member:
    if name in bridged:
        return Member(name, None, _shortfall(bridged[name], types))
    return Member(name, _reason(name, skipped))


def _shortfall(fn: dict[str, Any], types: list[dict[str, Any]]) -> str | None:
    """Why a bridged function cannot take what a Go caller gives it, if so."""
    for param in fn.get("params", []):
        t = types[param["type"]]
        if t["kind"] == "interface" and t.get("name") != "error" and not t.get("stream"):
            return (
                f"parameter {param['name']}: interface {t['go']} has methods Python objects cannot implement; "
                "only Go values that implement it can be passed"
            )
    return None


def _skipped(pkg: dict[str, Any], types: list[dict[str, Any]]) -> dict[str, str]:
    """Reasons by name; "T.*" stands for every method of T."""
    reasons: dict[str, str] = {}
    for skip in pkg["skipped"]:
        key = f"{skip['name']}.*" if skip["kind"] == "type" else skip["name"]
        reasons.setdefault(key, skip["reason"])
    for t in _own_types(pkg, types):
        for skip in t.get("skipped", []):
            if skip["kind"] in ("method", "methods"):
                reasons.setdefault(f"{_base(t['name'])}.{skip['name']}", skip["reason"])
    return reasons


def _reason(name: str, skipped: dict[str, str]) -> str:
    owner = name.split(".", 1)[0]
    return skipped.get(name) or skipped.get(f"{owner}.*") or UNACCOUNTED


def render(cov: Coverage, *, verbose: bool = True) -> str:
    """The text report: per package, what is bridged and what is skipped, why."""
    lines = [
        f"{cov.module} {cov.version}: {cov.bridged}/{cov.total} functions and methods bridged ({cov.figure:.1f}%), "
        f"{cov.usable}/{cov.total} usable with their Go meaning ({cov.usable_figure:.1f}%)"
    ]
    for pkg in cov.packages:
        lines.append(f"  {pkg.path}: {pkg.bridged}/{len(pkg.members)}")
        if not verbose:
            continue
        bridged = [m.name for m in pkg.members if m.bridged]
        if bridged:
            lines.append(f"    bridged: {', '.join(bridged)}")
        for m in pkg.members:
            if not m.bridged:
                lines.append(f"    skipped {m.name}: {m.reason}")
            elif m.shortfall:
                lines.append(f"    short {m.name}: {m.shortfall}")
    for path, reason in cov.skipped_packages:
        indented = reason.replace("\n", "\n      ")  # compiler output, under its package
        lines.append(f"  {path}: package skipped: {indented}")
    return "\n".join(lines)
