"""Go import paths as Python names (SPEC §6): ``.`` and ``-`` become ``_`` in
each path element, under the ``go`` namespace."""

from __future__ import annotations


def python_element(element: str) -> str:
    name = "".join(c if c == "_" or (c.isascii() and c.isalnum()) else "_" for c in element)
    return f"_{name}" if name[:1].isdigit() else name


def python_module_name(go_path: str) -> str:
    """``github.com/dustin/go-humanize`` -> ``go.github_com.dustin.go_humanize``."""
    return ".".join(["go", *(python_element(e) for e in go_path.split("/"))])
