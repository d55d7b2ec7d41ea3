"""The package view (SPEC §1): a loaded library's Go packages as Python
module objects, plain or typed, whose members (functions, classes,
dataclasses, constants, variables, instantiations) are made on first
access. The last step of an import (runtime/loader.py hands it the
library); everything here works on a loaded library and never loads one."""

from __future__ import annotations

import keyword
import types

from .. import selection, threads
from ..errors import ArtifactNotFoundError, PackageLeftOutError
from ..naming import python_module_name
from .handles import complete
from .package import GoPackage, later, subpackage_attribute

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .library import Library

    Member = Callable[[], Any]

# Guards the packages and the typed view a library caches (one of each
# per library); members are made outside it.
_lock = threads.RLock()


def package(lib: Library, path: str, typed: bool = False) -> GoPackage:
    """The GoPackage for path (untyped or typed view), built on first use."""
    with _lock:
        cached = lib.packages.get((path, typed))
        return cached if cached is not None else _build_package(lib, path, typed)


def has_package(lib: Library, path: str) -> bool:
    """Whether the library holds Go package path or packages below it."""
    return any(selection.below(p["path"], path) for p in lib.manifest["packages"])


def _build_package(lib: Library, path: str, typed: bool) -> GoPackage:
    by_path = {p["path"]: p for p in lib.manifest["packages"]}
    skipped = {s["name"]: s for s in lib.manifest.get("skipped_packages") or []}
    left_out = {name: s["reason"] for name, s in skipped.items()}
    if path in skipped and path not in by_path and _import_fails(lib, skipped[path]):
        raise PackageLeftOutError(lib.module, path, left_out[path])
    if path != lib.module and not has_package(lib, path):
        rebuilt = " (if it was added after the module was loaded, restart Python to load the new build)"
        raise ArtifactNotFoundError(
            f"Go module {lib.module} has no package {path}{rebuilt if lib.version == 'local' else ''}"
        )
    pkg = by_path.get(path, {"path": path, "functions": [], "types": [], "skipped": []})
    members, unavailable = _members(lib, pkg, typed)
    built = GoPackage(
        lib,
        path,
        members,
        unavailable,
        doc=pkg.get("doc", ""),
        typed=typed,
        load=lambda child, view: package(lib, child, view),
        instantiations=lambda: _generics(lib, pkg, typed),
    )
    for child in by_path:
        name = subpackage_attribute(path, child)
        if name is not None:
            built._subpackages[name] = child
    for child, reason in left_out.items():
        name = subpackage_attribute(path, child)
        if name is not None and name not in built._subpackages:
            unavailable[name] = f"package {child} was left out of the build: {reason}"
    built._left_out = left_out.get(path) if path not in by_path else None
    lib.packages[(path, typed)] = built
    return built


def _import_fails(lib: Library, skip: dict[str, str]) -> bool:
    """Whether importing a left-out package is an error. The module's root
    may be a command (or hold only tests) and still hold the packages
    below it; a package that does not build here says why, as a Python
    package whose __init__ fails would."""
    return skip["name"] != lib.module or skip["kind"] in ("broken", "platform")


def _members(lib: Library, pkg: dict[str, Any], typed: bool) -> tuple[dict[str, Member], dict[str, str]]:
    """What makes each member of the package, on first access (GoPackage):
    importing a package makes none of its functions, classes or
    dataclasses, and loads no typed view."""
    path = pkg["path"]
    members: dict[str, Member] = {}
    unavailable: dict[str, str] = {}
    for fn in pkg["functions"]:
        members[fn["name"]] = later(_function, lib, path, fn, typed)
    classes: dict[str, int] = {}
    for type_id in pkg["types"]:
        t = lib.manifest["types"][type_id]
        if t["id"] in lib.classes or (t["kind"] == "record" and typed):
            members[t["name"]] = later(_type, lib, type_id, typed)
            classes[t["name"]] = type_id
            if t.get("error"):  # an error type: its exception class, the class staying in `types`
                members[t["name"]] = later(_error_type, lib, type_id)
        elif t["kind"] == "record":
            unavailable[t["name"]] = (
                "it is a record type (a struct of exported fields); pass and receive it as a dict "
                f"with keys {', '.join(f['name'] for f in t.get('fields', []))}, or use .typed() for dataclasses"
            )
    for error in pkg.get("errors", []):  # error variables: exception classes of their names
        members[error["name"]] = later(_sentinel, lib, error["id"])
    for const in pkg.get("constants", []):
        members[const["name"]] = later(_constant, lib, const, typed)
    members["vars"] = later(_variables, lib, pkg, typed)
    # `types`: the package's classes (and in the typed view its dataclasses),
    # apart from its functions: th.types.User.
    members["types"] = later(_types, lib, typed, classes)
    for skip in pkg["skipped"]:
        unavailable[skip["name"]] = f"{skip['kind']} skipped at build time: {skip['reason']}"
    # A Go name that is a Python keyword (regexp2.None) is also reachable
    # with a trailing underscore; getattr() still takes the Go name.
    for name in [n for n in members if keyword.iskeyword(n) and n + "_" not in members]:
        members[name + "_"] = members[name]
    return members, unavailable


# The modules that make members are imported when a first member is made:
# importing a Go package needs none of them.


def _function(lib: Library, path: str, fn: dict[str, Any], typed: bool) -> Any:
    from .functions import make_function
    from .typedkinds import plain_function

    if typed:  # the typed view wraps the untyped function, or reuses it as it is
        untyped = getattr(package(lib, path), fn["name"])
        return untyped if plain_function(lib.manifest["types"], fn) else typed_view(lib).function(fn, untyped)
    return make_function(lib, fn, lib.annotations, python_module_name(path))


def _type(lib: Library, type_id: int, typed: bool) -> type:
    view = typed_view(lib) if typed else None
    if view is not None and view.is_record(type_id):
        return view.record(type_id)
    cls = view.classes[type_id] if view is not None else lib.classes[type_id]
    complete(cls)  # handed out: help() and vars() show its members
    return cls


def _error_type(lib: Library, type_id: int) -> type:
    return lib.errors.error_type(type_id)  # type: ignore[no-any-return]


def _sentinel(lib: Library, error_id: int) -> type:
    return lib.errors.sentinel(error_id)  # type: ignore[no-any-return]


def _constant(lib: Library, const: dict[str, Any], typed: bool) -> Any:
    from .variables import constant_value

    value = constant_value(const, lib.manifest["types"])
    convert = typed_view(lib).out(const["type"]) if typed else None
    return convert(value) if convert else value


def _variables(lib: Library, pkg: dict[str, Any], typed: bool) -> Any:
    from .variables import make_variables

    if typed:
        view = typed_view(lib)
        return make_variables(lib, pkg, view.out, view.into)
    return make_variables(lib, pkg)


def _types(lib: Library, typed: bool, classes: dict[str, int]) -> types.SimpleNamespace:
    return types.SimpleNamespace(**{name: _type(lib, type_id, typed) for name, type_id in classes.items()})


def _generics(lib: Library, pkg: dict[str, Any], typed: bool) -> dict[tuple[str, tuple[str, ...]], Any]:
    """The package's instantiations: functions, classes, and (typed view)
    dataclasses; a record in the plain view is a message saying to use dicts."""
    from .functions import make_function

    view = typed_view(lib) if typed else None
    module_name = python_module_name(pkg["path"])
    out: dict[tuple[str, tuple[str, ...]], Any] = {}
    for g in pkg.get("generics", []):
        args = tuple(g["type_args"])
        label = f"{g['name']}[{', '.join(args)}]"
        if g.get("function") is not None:
            fn = dict(g["function"], name=label)
            call = make_function(lib, fn, lib.annotations, module_name)
            out[(g["name"], args)] = view.function(fn, call) if view else call
        elif g["type"] in lib.classes:
            out[(g["name"], args)] = (view.classes if view else lib.classes)[g["type"]]
        elif view and view.is_record(g["type"]):
            out[(g["name"], args)] = view.record(g["type"])
        else:
            out[(g["name"], args)] = _classless(label, lib.manifest["types"][g["type"]])
    return out


def _classless(label: str, t: dict[str, Any]) -> str:
    """Why an instantiated type has no Python class to return."""
    if t["kind"] == "record":
        return f"{label} is a record type: pass dicts, or use .typed() for a dataclass"
    return f"{label} has no methods, so no class: its values are plain Python values ({t['kind']})"


def typed_view(lib: Library) -> Any:
    """The library's TypedView, made on first use (and imported then: an
    untyped import does not pay for dataclasses)."""
    if lib.typed_view is None:
        from .typed import TypedView

        with _lock:  # one view per library
            if lib.typed_view is None:
                lib.typed_view = TypedView(lib)
    return lib.typed_view
