"""Go module versions as Python package versions (PEP 440)."""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

# v1.2.3-0.20240102150405-abcdef123456 and v0.0.0-20240102150405-abcdef123456
_PSEUDO = re.compile(r"^v(\d+\.\d+\.\d+)-(?:0\.|[\w.]+\.0\.)?(\d{14})-([0-9a-f]{12})$")


def python_version(go_version: str) -> str:
    """v1.2.3 → 1.2.3, v1.2.0-rc.1 → 1.2.0rc1, a pseudo-version → its base
    with the commit as a local segment; raises ValueError otherwise."""
    pseudo = _PSEUDO.match(go_version)
    if pseudo:
        base, stamp, commit = pseudo.groups()
        return str(Version(f"{base}.dev{stamp}+g{commit}"))
    text = go_version.removeprefix("v").split("+", 1)[0]
    try:
        return str(Version(text))
    except InvalidVersion:
        raise ValueError(
            f"Go version {go_version} has no Python equivalent; pass --version with a PEP 440 version"
        ) from None
