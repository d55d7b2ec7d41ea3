"""Running a library's package initializers in a child process first.

Go runs every package's ``init`` when the library is opened, and a panic
there is fatal to the process: nothing can recover it, in Go or in Python.
So the first time a library is verified (runtime/verify.py), a child
interpreter opens it; if the child dies, the import raises
:class:`~usegolib.errors.InitPanicError` with what Go printed, and this
process never opens the library.
"""

from __future__ import annotations

import re
import subprocess
import sys

from ..errors import InitPanicError, LoadError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

# Opening the library and calling one export waits for Go's initializers.
_OPEN = "import ctypes, sys; ctypes.CDLL(sys.argv[1]).usegolib_abi_version()"
# An initializer may be slow (it may read files or the network): a probe
# that takes longer than this is abandoned, and the library loaded as usual.
TIMEOUT = 60.0
# The frame of a package's initializer in Go's traceback:
# "example.com/m/sub.init.0()" for func init, "example.com/m/sub.init()" for
# variable initializers, ".init.func1" for closures inside them.
_INIT_FRAME = re.compile(r"^(?P<package>[^\s(]+?)\.init(?:\.\d+)?(?:\.func\d+(?:\.\d+)*)*\(", re.MULTILINE)


def probe(library: Path, module: str) -> None:
    """Open library in a child interpreter; raise if that ends the child.

    Nothing is checked when no interpreter can be started (an embedded
    Python without ``sys.executable``) or the child does not finish in time.
    """
    if not sys.executable:
        return
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _OPEN, str(library)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return
    if done.returncode != 0:
        raise _failure(module, done.returncode, done.stderr.decode("utf-8", "replace"))


def _failure(module: str, status: int, stderr: str) -> LoadError:
    panic = _panic(stderr)
    if panic is None:
        tail = "\n".join(stderr.strip().splitlines()[-20:]) or "(it printed nothing)"
        return LoadError(
            f"opening the library of {module} ends the process (status {status}) while Go initializes its "
            f"packages (an init() that calls os.Exit, or a fatal error); what it printed:\n{tail}"
        )
    value, stack = panic
    frame = _INIT_FRAME.search(stack)
    package = frame.group("package") if frame else module
    return InitPanicError(module, package, value, stack)


def _panic(stderr: str) -> tuple[str, str] | None:
    """The panic value and the panicking goroutine's stack in Go's crash
    output, or None when it is not a panic."""
    start = stderr.find("panic: ")
    stack_start = stderr.find("\ngoroutine ", start)
    if start < 0 or stack_start < 0:
        return None
    value = stderr[start + len("panic: ") : stack_start].strip()
    stack = stderr[stack_start + 1 :].split("\n\n", maxsplit=1)[0].strip()
    return value, stack
