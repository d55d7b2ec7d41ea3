"""The human-readable build summary: what was bridged and what was skipped."""

from __future__ import annotations

from ..coverage import coverage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def skipped_symbols(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """(qualified name, reason) of every symbol left out, packages first."""
    out: list[tuple[str, str]] = []
    for pkg in manifest["packages"]:
        for skip in pkg["skipped"]:
            out.append((f"{pkg['path']}.{skip['name']}", f"{skip['kind']}: {skip['reason']}"))
    for t in manifest["types"]:
        for skip in t.get("skipped", []):
            out.append((f"{t['go']}.{skip['name']}", f"{skip['kind']}: {skip['reason']}"))
    return out


# The kinds of type entries whose Python classes have methods, and how the
# summary calls them.
_WITH_METHODS = {"class": "class", "interface": "interface", "named": "value class", "func": "func type"}


def _classes(manifest: dict[str, Any], pkg: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(name, type entry) of the package's types that have methods, its
    generic instantiations included; not the classes of other modules that
    its API hands out."""
    types = manifest["types"]
    out = [(types[i]["name"], types[i]) for i in pkg["types"]]
    for g in pkg.get("generics", []):
        if g.get("type") is not None:
            out.append((f"{g['name']}[{', '.join(g['type_args'])}]", types[g["type"]]))
    return [(name, t) for name, t in out if t["kind"] in _WITH_METHODS]


def summary(manifest: dict[str, Any]) -> str:
    functions = sum(len(p["functions"]) for p in manifest["packages"])
    classes = [t for pkg in manifest["packages"] for _, t in _classes(manifest, pkg)]
    methods = sum(len(t.get("methods", [])) for t in classes)
    fields = sum(1 for t in classes for f in t.get("fields", []) if "getter" in f)
    lines = [
        f"{manifest['module']} {manifest['version']} ({manifest['goos']}/{manifest['goarch']}): "
        f"{len(manifest['packages'])} packages, {functions} functions, {methods} methods, "
        f"{fields} fields bridged"
    ]
    for pkg in manifest["packages"]:
        names = ", ".join(f["name"] for f in pkg["functions"])
        lines.append(f"  {pkg['path']}: {names or '(no functions)'}")
        instantiated = [f"{g['name']}[{', '.join(g['type_args'])}]" for g in pkg.get("generics", [])]
        if instantiated:
            lines.append(f"    generics: {', '.join(instantiated)}")
        for name, t in _classes(manifest, pkg):
            members = ", ".join(m["name"] for m in t.get("methods", [])) or "no methods"
            lines.append(f"    {_WITH_METHODS[t['kind']]} {name}: {members}")
    skipped = skipped_symbols(manifest)
    if skipped:
        lines.append(f"skipped {len(skipped)}:")
        lines.extend(f"  {name}: {reason}" for name, reason in skipped)
    for skip in manifest.get("skipped_packages") or []:
        reason = skip["reason"].replace("\n", "\n    ")  # compiler output, indented under its package
        lines.append(f"package {skip['name']} skipped: {reason}")
    report = coverage(manifest)
    lines.append(
        f"coverage: {report.bridged}/{report.total} exported functions and methods bridged ({report.figure:.1f}%); "
        f"`usegolib inspect {manifest['module']}` lists them"
    )
    return "\n".join(lines)
