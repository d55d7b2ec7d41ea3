"""Small files in which usegolib remembers what it worked out (a library's
checksum, a parsed manifest, a tool's version, the shim's digest), so that
the next process need not work it out again: read as None when missing or
damaged, written by rename and best effort (a failed write only costs the
next process the work).

They are in the interpreter's own ``marshal`` format, which is built in:
importing a Go package then imports no serializer (msgpack costs a few
milliseconds to import, with the datetime it imports). Every record is
checked by its reader against what it stands for (a file's identity and
change time, a version), and lies in a directory only its owner writes,
next to a library that process would run anyway: marshal's lack of
defences against crafted data opens nothing new. Each file starts with
the marshal version it was written in: any Python reads what one of the
same or an older version wrote (marshal reads its older formats), so
interpreters of several versions share a cache; a newer format reads as
missing."""

from __future__ import annotations

import marshal
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Which format the bytes after it are in: marshal's version.
_PREFIX = b"usegolib-marshal "
_TAG = _PREFIX + f"{marshal.version}\n".encode()


def read(path: str) -> Any:
    """What path holds, or None when it is missing or damaged."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    end = data.find(b"\n", 0, 64)
    version = data[len(_PREFIX) : end]
    if end < 0 or not data.startswith(_PREFIX) or not version.isdigit() or int(version) > marshal.version:
        return None
    try:
        return marshal.loads(memoryview(data)[end + 1 :])  # noqa: S302 - why it is safe: above
    except (EOFError, ValueError, TypeError):
        return None


def write(path: str, value: Any) -> None:
    """Remember value at path (its directory made if missing). A value
    marshal cannot hold (anything but None, bool, int, float, str, bytes
    and lists, tuples and dicts of them) raises ValueError."""
    data = _TAG + marshal.dumps(value)
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
