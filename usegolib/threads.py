"""Locks and thread-local storage for the import path, from ``_thread``.

``threading`` builds on these (``threading.Lock`` is ``_thread.allocate_lock``,
``threading.RLock`` the C ``_thread.RLock``, ``threading.local`` the C
``_thread._local``) and costs every ``import go.x`` about a millisecond of
its own to import. Code that starts threads or asks for the current one
imports ``threading`` where it does so.
"""

from __future__ import annotations

try:
    from _thread import RLock, get_ident
    from _thread import _local as local
    from _thread import allocate_lock as Lock
except ImportError:  # pragma: no cover - a Python without the C versions
    from threading import Lock, RLock, get_ident, local  # type: ignore[assignment]

__all__ = ["Lock", "RLock", "get_ident", "local"]
