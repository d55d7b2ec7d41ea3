"""Exceptions raised by usegolib. Every one derives from :class:`UsegolibError`.

Argument errors also derive from the built-in exception a Python user expects
(``TypeError``, ``OverflowError``, ``ValueError``), so ordinary ``except``
clauses keep working.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


class UsegolibError(Exception):
    """Base class of every usegolib exception."""


class GoError(UsegolibError):
    """A Go function returned a non-nil error.

    ``message`` is ``err.Error()``; ``go_type`` is the error's dynamic Go type,
    e.g. ``*fs.PathError``. The exception's class says more where Go does:
    the module's error variables the error ``Is`` (``except
    bcrypt.ErrMismatchedHashAndPassword``), the module's error type found in
    its chain (``except toml.ParseError as e: e.Line``; ``value`` is that Go
    value, whose fields and methods are the exception's attributes), and the
    standard library's errors below. ``unwrap()`` gives the error it wraps.
    """

    def __init__(
        self, message: str, go_type: str = "", *, value: Any = None, chain: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.go_type = go_type
        self.value = value
        self._chain = tuple(chain)

    def unwrap(self) -> GoError | None:
        """The error this one wraps (Go's errors.Unwrap), as a plain GoError
        with its message and Go type, or None. For an error joining several
        (Unwrap() []error), the first; ``chain`` lists them all."""
        if not self._chain:
            return None
        (message, go_type), *rest = self._chain
        return GoError(message, go_type, chain=rest)

    @property
    def chain(self) -> list[tuple[str, str]]:
        """(message, Go type) of every error wrapped below this one, depth
        first, as errors.Is visits them."""
        return list(self._chain)

    def __getattr__(self, name: str) -> Any:
        # The fields and methods of the Go error value (e.Line, e.Unwrap()).
        value = self.__dict__.get("value")
        if value is None or name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(value, name)

    def __reduce__(self) -> Any:
        # The Go value cannot be pickled; the message and type can, as the
        # class itself where it is one of these (a module's classes are
        # made at run time).
        cls = type(self) if type(self).__module__ == __name__ else GoError
        return (cls, (self.message, self.go_type))


class ContextCanceledError(GoError):
    """A Go error that is (or wraps) ``context.Canceled``: the call's
    usegolib.Context was cancelled."""


class DeadlineExceededError(GoError, TimeoutError):
    """A Go error that is (or wraps) ``context.DeadlineExceeded``: the call's
    ``timeout=`` (or its Context's deadline) passed. Also a TimeoutError."""


class GoEOFError(GoError, EOFError):
    """A Go error that is (or wraps) ``io.EOF``. Also an EOFError."""


class GoUnexpectedEOFError(GoError, EOFError):
    """A Go error that is (or wraps) ``io.ErrUnexpectedEOF``. Also an EOFError."""


class GoClosedPipeError(GoError, BrokenPipeError):
    """A Go error that is (or wraps) ``io.ErrClosedPipe``. Also a BrokenPipeError."""


class GoNotExistError(GoError, FileNotFoundError):
    """A Go error that is (or wraps) ``fs.ErrNotExist`` (``os.ErrNotExist``).
    Also a FileNotFoundError."""


class GoExistError(GoError, FileExistsError):
    """A Go error that is (or wraps) ``fs.ErrExist``. Also a FileExistsError."""


class GoPermissionError(GoError, PermissionError):
    """A Go error that is (or wraps) ``fs.ErrPermission``. Also a PermissionError."""


class GoClosedError(GoError, ValueError):
    """A Go error that is (or wraps) ``fs.ErrClosed``: use of a closed file.
    Also a ValueError, as Python raises for I/O on a closed file."""


class GoInvalidError(GoError, ValueError):
    """A Go error that is (or wraps) ``fs.ErrInvalid``. Also a ValueError."""


class GoUnsupportedError(GoError, NotImplementedError):
    """A Go error that is (or wraps) ``errors.ErrUnsupported``. Also a NotImplementedError."""


# The standard library's error variables, by the name the bridge reports
# them by, and their exception classes.
STANDARD_ERRORS: dict[str, type[GoError]] = {
    "io.EOF": GoEOFError,
    "io.ErrUnexpectedEOF": GoUnexpectedEOFError,
    "io.ErrClosedPipe": GoClosedPipeError,
    "io/fs.ErrNotExist": GoNotExistError,
    "io/fs.ErrExist": GoExistError,
    "io/fs.ErrPermission": GoPermissionError,
    "io/fs.ErrClosed": GoClosedError,
    "io/fs.ErrInvalid": GoInvalidError,
    "context.Canceled": ContextCanceledError,
    "context.DeadlineExceeded": DeadlineExceededError,
    "errors.ErrUnsupported": GoUnsupportedError,
}


class GoPanicError(UsegolibError):
    """The Go call panicked. The panic was recovered; the process keeps working.

    ``message`` is the panic value as text, ``go_type`` its Go type and
    ``go_stack`` the stack of the panicking goroutine.
    """

    def __init__(self, message: str, go_type: str = "", go_stack: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.go_type = go_type
        self.go_stack = go_stack

    def __str__(self) -> str:
        return f"Go panic: {self.message}"


class BuildError(UsegolibError):
    """Building a Go module failed; the message carries the tool's output."""


class PackageLeftOutError(BuildError):
    """The Go package asked for was left out of its module's build: a
    command, a folder of tests, a package for another platform, or one that
    does not compile here (``reason`` carries the compiler's output). The
    module's other packages are built and usable."""

    def __init__(self, module: str, package: str, reason: str) -> None:
        super().__init__(f"Go package {package} was left out of the build of module {module}: {reason}")
        self.module = module
        self.package = package
        self.reason = reason


class ToolchainNotFoundError(BuildError):
    """Go or Zig is missing; the message says how to install it."""


class ModuleResolutionError(BuildError):
    """Go could not find or download a module or version; the message names it."""


class ArtifactNotFoundError(UsegolibError):
    """No artifact for the module, and it cannot be built here."""


class AmbiguousArtifactError(UsegolibError):
    """``version=None`` and several versions of the module are available."""


class AmbiguousNameError(UsegolibError, ImportError):
    """A name under ``go.`` stands for several Go paths (``a_b``, ``a-b`` and
    ``a.b`` all become ``a_b``); the message lists them and how to choose."""


class VersionConflictError(UsegolibError):
    """Another version of the same Go module is already loaded in this process."""


class ForkError(UsegolibError):
    """A Go call in a process forked after the Go library was loaded. Go's
    runtime does not survive fork() (its threads stay in the parent), so the
    child refuses the call rather than hang in it."""


class LoadError(UsegolibError):
    """An artifact failed verification (manifest, ABI, platform, checksum).

    Raised before the shared library is opened.
    """


class InitPanicError(LoadError):
    """A package of the module panics while Go initializes it, which would
    end the process that opens the library; a child process opened it
    first. ``package`` is the package whose ``init`` panicked, ``message``
    the panic value and ``go_stack`` the initializing goroutine's stack."""

    def __init__(self, module: str, package: str, message: str, go_stack: str) -> None:
        super().__init__(
            f"{module}: package {package} panics while Go initializes it, and opening the library would end "
            f"this process: panic: {message}\n{go_stack}"
        )
        self.module = module
        self.package = package
        self.message = message
        self.go_stack = go_stack


class ShippingError(UsegolibError, TypeError):
    """A Go function or package cannot be sent to other processes (a
    cluster's workers) as asked; the message says what to send instead."""


class UnsupportedTypeError(UsegolibError, TypeError):
    """A value has no equivalent on the other side of the bridge."""


class CallbackError(UsegolibError, TypeError):
    """A Python callback returned something its Go func type cannot take
    (``callback result: expected int, got str``)."""


class AbiError(UsegolibError):
    """The library rejected a call as malformed: a usegolib bug, please report it."""


class _ArgumentError(UsegolibError):
    """An argument could not be converted to its Go parameter type."""

    def __init__(self, function: str, path: str, detail: str) -> None:
        where = f"argument {path}" if path else "arguments"
        super().__init__(f"{function}(): {where}: {detail}")
        self.function = function
        self.path = path
        self.detail = detail


class ArgumentTypeError(_ArgumentError, TypeError):
    """An argument has the wrong type for its Go parameter."""


class ArgumentOverflowError(_ArgumentError, OverflowError):
    """An integer or float argument is out of range for its Go type."""


class ArgumentValueError(_ArgumentError, ValueError):
    """An argument has the right type but a value Go cannot take."""


__all__ = [
    "STANDARD_ERRORS",
    "AbiError",
    "AmbiguousArtifactError",
    "AmbiguousNameError",
    "ArgumentOverflowError",
    "ArgumentTypeError",
    "ArgumentValueError",
    "ArtifactNotFoundError",
    "BuildError",
    "CallbackError",
    "ContextCanceledError",
    "DeadlineExceededError",
    "ForkError",
    "GoClosedError",
    "GoClosedPipeError",
    "GoEOFError",
    "GoError",
    "GoExistError",
    "GoInvalidError",
    "GoNotExistError",
    "GoPanicError",
    "GoPermissionError",
    "GoUnexpectedEOFError",
    "GoUnsupportedError",
    "InitPanicError",
    "LoadError",
    "ModuleResolutionError",
    "PackageLeftOutError",
    "ShippingError",
    "ToolchainNotFoundError",
    "UnsupportedTypeError",
    "UsegolibError",
    "VersionConflictError",
]
