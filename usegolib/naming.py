"""Go import paths as Python names (SPEC §6): ``.`` and ``-`` become ``_`` in
each path element, under the ``go`` namespace."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^0-9A-Za-z_]")


def python_element(element: str) -> str:
    name = _UNSAFE.sub("_", element)
    return f"_{name}" if name[:1].isdigit() else name


def python_module_name(go_path: str) -> str:
    """``github.com/dustin/go-humanize`` -> ``go.github_com.dustin.go_humanize``."""
    return ".".join(["go", *(python_element(e) for e in go_path.split("/"))])
