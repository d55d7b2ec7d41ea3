"""Instantiations of generic Go functions and types to bridge (SPEC §3):
``{"instantiations": [{"pkg": "example.com/m", "name": "Map", "type_args":
["int", "string"]}]}``, from ``--generics FILE`` or ``[tool.usegolib]
generics``."""

from __future__ import annotations

from .errors import UsegolibError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    Instantiation = dict[str, Any]


class GenericsError(UsegolibError, ValueError):
    """An instantiation list is malformed; the message says where."""


def parse(data: Any, where: str) -> list[Instantiation]:
    """Validate an instantiation list: the file's whole object, or its list."""
    items = data.get("instantiations") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise GenericsError(f'{where}: expected {{"instantiations": [...]}} or a list of instantiations')
    out = []
    for i, item in enumerate(items):
        if not (
            isinstance(item, dict)
            and isinstance(item.get("pkg"), str)
            and isinstance(item.get("name"), str)
            and isinstance(item.get("type_args"), list)
            and all(isinstance(a, str) for a in item["type_args"])
        ):
            raise GenericsError(f"{where}: instantiation {i + 1} needs pkg, name and type_args (a list of strings)")
        out.append({"pkg": item["pkg"], "name": item["name"], "type_args": list(item["type_args"])})
    return out


def load(path: str | Path) -> list[Instantiation]:
    import json  # only where a generics file is configured

    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise GenericsError(f"{path}: {exc}") from exc
    return parse(data, str(path))


def for_module(instantiations: list[Instantiation], module: str) -> list[Instantiation]:
    """Those that may belong to module (the scanner ignores the ones of a
    nested module)."""
    return [i for i in instantiations if i["pkg"] == module or i["pkg"].startswith(module + "/")]


def digest(instantiations: list[Instantiation]) -> str:
    from .digests import sha256

    if not instantiations:  # what json.dumps writes for it, without importing json on every up-to-date check
        return str(sha256(b"[]").hexdigest())
    import json

    return str(sha256(json.dumps(instantiations, sort_keys=True).encode()).hexdigest())


def key(type_args: list[str]) -> tuple[str, ...]:
    """Type arguments compared without white space, as the manifest has them."""
    return tuple("".join(a.split()) for a in type_args)
