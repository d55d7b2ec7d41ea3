"""Small files in which usegolib remembers what it worked out (a library's
checksum, a parsed manifest, a tool's version, the shim's digest), so that
the next process need not work it out again: MessagePack, read as None when
missing or damaged, written by rename and best effort (a failed write only
costs the next process the work)."""

from __future__ import annotations

import os

import msgpack

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def read(path: str) -> Any:
    """What path holds, or None when it is missing or damaged."""
    try:
        with open(path, "rb") as f:
            return msgpack.unpackb(f.read())
    except (OSError, ValueError, TypeError):
        return None


def write(path: str, value: Any) -> None:
    """Remember value at path (its directory made if missing). A value
    MessagePack cannot hold raises, as msgpack.packb does."""
    data = msgpack.packb(value)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        try:  # noqa: SIM105 - contextlib stays off the import of a Go package
            os.unlink(tmp)
        except OSError:
            pass
