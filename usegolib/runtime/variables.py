"""Constants and package variables (SPEC §1: they keep their Go names).

Constants are plain Python values computed at build time. Variables live in
Go: ``h.vars.Name`` reads the current value with a call, and assigning it
sets the Go variable.
"""

from __future__ import annotations

from .values import duration

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar

    from .library import Library

    Converter = Callable[[Any], Any] | None


def constant_value(const: dict[str, Any], types: list[dict[str, Any]]) -> Any:
    """A constant's value from the manifest (model.Const), as a Go function
    returning it would give it: the adapters' constants (time.Duration, the
    only one that can be a constant) as their Python counterparts."""
    value = _exact(const["value"])
    if types[const["type"]]["kind"] == "duration":
        return duration(value)
    return value


def _exact(value: dict[str, Any]) -> Any:
    """A constant's exact value (model.ConstValue)."""
    kind = value["kind"]
    text = value.get("text", "")
    if kind == "bool":
        return text == "true"
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "decimal":  # a float constant beyond float64: exact rather than inf or 0
        from decimal import Decimal

        return Decimal(text)
    if kind == "complex":
        return complex(float(value["real"]), float(value["imag"]))
    if "bytes" in value:  # a Go string that is not UTF-8
        import base64  # and the re it imports: only for constants that need it

        return base64.b64decode(value["bytes"]).decode("utf-8", "surrogateescape")
    return text


class GoVariables:
    """The exported variables of a Go package, as properties: reading one
    reads the Go variable now; assigning one sets it (not for variables
    holding a class value, which read as a handle to the variable itself)."""

    __slots__ = ()
    _go_path: ClassVar[str] = ""
    _skipped: ClassVar[dict[str, str]] = {}

    def __getattr__(self, name: str) -> Any:
        reason = type(self)._skipped.get(name)
        if reason:
            raise AttributeError(f"{type(self)._go_path}.{name} is not available from Python: {reason}")
        raise AttributeError(f"Go package {type(self)._go_path} has no exported variable {name!r}")

    def __dir__(self) -> list[str]:
        return sorted(name for name, value in type(self).__dict__.items() if isinstance(value, property))

    def __repr__(self) -> str:
        return f"<variables of Go package {type(self)._go_path!r}: {', '.join(self.__dir__())}>"


def make_variables(
    lib: Library,
    pkg: dict[str, Any],
    out: Callable[[int], Converter] = lambda _: None,
    into: Callable[[int], Converter] = lambda _: None,
) -> GoVariables:
    """The variables object of a package; out and into give the typed
    view's converters for a type id."""
    path = pkg["path"]
    namespace: dict[str, Any] = {
        "__slots__": (),
        "_go_path": path,
        "_skipped": {s["name"]: f"{s['kind']} skipped at build time: {s['reason']}" for s in pkg["skipped"]},
    }
    for variable in pkg.get("variables", []):
        namespace[variable["name"]] = _property(lib, path, variable, out(variable["type"]), into(variable["type"]))
    return type("GoVariables", (GoVariables,), namespace)()


def _property(lib: Library, path: str, variable: dict[str, Any], out: Converter, into: Converter) -> property:
    name = variable["name"]
    read = lib.invoker(variable["get"], f"{path}.{name}", [])

    def get(self: GoVariables) -> Any:
        value = read()
        return out(value) if out else value

    setter = None
    if variable.get("set") is not None:
        write = lib.invoker(variable["set"], f"{path}.{name}", ["value"])

        def setter(self: GoVariables, value: Any) -> None:
            write(into(value) if into else value)

    doc = variable.get("doc") or f"Go variable {path}.{name}."
    return property(get, setter, doc=doc)
