"""SHA-256 for the small inputs a warm import hashes.

Importing hashlib loads OpenSSL, which costs a warm import ~5 ms: a sixth of
its budget (docs/performance.md). CPython carries a small SHA-256 of its own
(_sha2 from 3.12, _sha256 before), which gives the same digests; hashlib's
is faster per byte, so whole libraries are hashed with it
(artifact.sha256_stream).
"""

from __future__ import annotations

import functools
import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


@functools.cache
def _constructor() -> Callable[..., Any]:
    for name in ("_sha2", "_sha256"):
        try:
            return importlib.import_module(name).sha256  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            continue
    import hashlib  # a Python without either (another implementation)

    return hashlib.sha256


def sha256(data: bytes = b"") -> Any:
    """A new SHA-256 hash object of data, as hashlib.sha256(data) makes."""
    return _constructor()(data)
