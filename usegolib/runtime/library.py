"""A loaded bridge library and the call path into it (docs/abi.md).

Every Go call is one call of ``usegolib_call`` (or of a typed fast path):
the arguments go in as one MessagePack array, the results come back in a
per-thread buffer that Python owns, and small integer results come back in
the return word itself. The native crossing (runtime/native.py) opens the
library and makes those calls in C; without it, ctypes does.

Opening a library imports neither ctypes nor msgpack: what needs them (the
ctypes crossing, callbacks, the codec of runtime/codec.py) is made on
first use.
"""

from __future__ import annotations

import atexit
import os
import struct
import sys

from .. import threads
from ..artifact import ABI_VERSION
from ..errors import AbiError, CallbackError, ForkError, GoPanicError, LoadError
from . import intcalls, native
from .handles import GoFunc, GoObject, complete

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from ..artifact import StrPath
    from .callbacks import Callbacks
    from .codec import Codec
    from .exceptions import ErrorClasses

    Bind = Callable[[tuple[Any, ...], dict[str, Any]], tuple[Any, ...]]

# Out buffer layout: capacity (u64 LE) at 0, a big result's address and
# length at 8 and 16, data from HEADER_SIZE. Must match go_shim/rt/abi.go.
HEADER_SIZE = 32
OUT_CAPACITY = 64 * 1024  # also the native crossing's (runtime/_native.c)
_BIG = struct.Struct("<QQQ")  # address, length, release id
_CAPACITY = struct.Struct("<Q")

(
    STATUS_OK,
    STATUS_INT,
    STATUS_GO_ERROR,
    STATUS_PANIC,
    STATUS_ARG_ERROR,
    STATUS_ABI_ERROR,
    STATUS_CALLBACK,
    STATUS_WROTE,
) = range(8)
FLAG_BIG = 8
OPAQUE_CLASS = 0xFFFFFFFF
FUNC_CLASS = 0xFFFFFFFE  # a Go func found inside any (go_shim/rt/anyfuncs.go)
BUILTIN_TYPE_NAME = -1
BUILTIN_HANDLE_COUNT = -2
BUILTIN_RELEASE_IN = -3
BUILTIN_RELEASED_CALLBACKS = -4
BUILTIN_CANCEL_CONTEXT = -5
BUILTIN_FORGET_CONTEXT = -6
BUILTIN_CONTEXT_COUNT = -7
BUILTIN_BORROW_TOKEN = -8
BUILTIN_PINNED_COUNT = -9
BUILTIN_REF_VALUE = -10
BUILTIN_RELEASE_REF = -11
BUILTIN_REF_COUNT = -12
BUILTIN_STREAM_READ = -13
BUILTIN_STREAM_WRITE = -14
BUILTIN_CALL_FUNC = -15
BUILTIN_HANDLE_TEXT = -16


class _ThreadState:
    """A thread's out buffer and packer for calls packed in Python. Go
    writes results straight into the buffer, so two threads must never
    share one."""

    __slots__ = ("buf", "codec", "out", "pack", "unpack", "view")

    def __init__(self, lib: Library, capacity: int = OUT_CAPACITY) -> None:
        import ctypes  # calls packed in Python pack with msgpack: a millisecond more is nothing there

        self.buf = ctypes.create_string_buffer(HEADER_SIZE + capacity)
        _CAPACITY.pack_into(self.buf, 0, capacity)
        self.view = memoryview(self.buf).cast("B")
        # What the entry point takes for the buffer: its address for the
        # native crossing, the buffer itself for ctypes.
        self.out: Any = ctypes.addressof(self.buf) if lib.crossing == "native" else self.buf
        self.codec = lib.codec
        self.pack = self.codec.packer()
        self.unpack = self.codec.unpack


class _OutBuffer:
    """An out buffer of the native crossing's, which its C code allocates
    per thread (runtime/_native.c), as Python reads a result from it."""

    __slots__ = ("view",)

    def __init__(self, memory: memoryview) -> None:
        self.view = memory


class Library:
    """One loaded Go module: its ctypes library, classes, and call plumbing."""

    def __init__(self, path: StrPath, manifest: dict[str, Any], *, load_path: str | None = None) -> None:
        self.path = path
        self.manifest = manifest
        self.module: str = manifest["module"]
        self.version: str = manifest["version"]
        self.classes: dict[int, type] = {}
        self._builtins: dict[int, Callable[..., Any]] = {}  # invokers of builtins, made on first use
        self._complete_classes: dict[int, type] = {}  # those of classes whose members are added
        # Filled by the loader: GoPackage objects by (Go path, typed),
        # annotations, and the typed view once asked for.
        self.packages: dict[tuple[str, bool], Any] = {}
        self.annotations: Any = None
        self.typed_view: Any = None
        # Version queries ("v1.2", a branch) that resolved to this version.
        self.queries: set[str] = set()
        self._load_path = load_path or str(path)
        self._native = native.module()
        self.crossing = "native" if self._native is not None else "ctypes"
        if self._native is not None:
            self._handle = self._native.open_library(self._load_path)
        else:
            import ctypes

            self._dll = ctypes.CDLL(self._load_path)
        # Go starts its runtime, and runs its packages' initializers, in a
        # thread of its own when the library is opened; any call into it
        # waits for that. The entry points are looked up meanwhile (no call
        # into Go); the ABI is asked for before the first call is made
        # (ready), so that an import returns while Go starts and Python goes
        # on meanwhile.
        try:
            self._bind_entries()
        except AttributeError:  # an entry point of this ABI that the library lacks
            self._check_abi(path)
            raise
        self._abi_checked = False
        self._local = threads.local()
        self._out_buffers: dict[int, _OutBuffer] = {}
        self._forked = False
        _loaded.append(self)

    @staticmethod
    def param_name(params: Sequence[str], variadic: bool, index: int) -> str:
        """The name of argument index in errors: a variadic one's with its place."""
        if variadic and index >= len(params) - 1:
            return f"{params[-1]}[{index - len(params) + 1}]"
        return params[index] if index < len(params) else f"#{index + 1}"

    def ready(self) -> None:
        """Before a first call: wait for Go to start, and check that the
        library speaks this usegolib's ABI. The manifest said so when it
        was verified; this asks the library itself. A child forked before
        that has no Go runtime to ask: refused (ForkError), as its calls."""
        if self._forked:
            self._new_state()  # raises ForkError
        if not self._abi_checked:
            with _making:
                if not self._abi_checked:
                    self._check_abi(self.path)
                    self._abi_checked = True

    def _bind_entries(self) -> None:
        self._abi_entry = self._address("usegolib_abi_version") if self._native is not None else 0
        if self._native is not None:
            self._native.set_handles(GoObject)  # the library's own handles pack in C
        self._call = self._entry("usegolib_call", native.KIND_CALL)
        self._release_handle = self._release_entry("usegolib_release_handle")
        self.int_entries = [self._int_entry(n) for n in range(intcalls.MAX_ARGS + 1)]
        self.release_result = self._release_entry("usegolib_release_result")

    def _check_abi(self, path: StrPath) -> None:
        if self._native is not None:
            abi = self._native.abi_version(self._abi_entry)
        else:
            abi = self._dll.usegolib_abi_version()
        if abi != ABI_VERSION:
            raise LoadError(f"{path} speaks ABI version {abi}, this usegolib speaks {ABI_VERSION}; rebuild it")

    # -- made on first use -------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        """What a library makes only when a call first needs it: its codec
        (msgpack), callbacks, errors' classes, and on the native crossing
        its ctypes library. Once made, each is an instance attribute, which
        lookups find before this."""
        make = _MADE_ON_FIRST_USE.get(name)
        if make is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return make(self)

    def _make_codec(self) -> Codec:
        from .codec import Codec

        made = self.codec = Codec(self)
        return made

    def _make_errors(self) -> ErrorClasses:
        from .exceptions import ErrorClasses

        with _making:  # one set of classes per library: `except` clauses compare them
            made = self.__dict__.get("errors")
            if made is None:
                made = self.errors = ErrorClasses(self.manifest)
            return made

    def _make_dll(self) -> Any:
        """The ctypes library of the native crossing's handle."""
        import ctypes

        made = self._dll = ctypes.CDLL(self._load_path, handle=self._handle)
        return made

    def _make_take_result(self) -> Callable[[int, Any], int]:
        import ctypes

        take = self._dll.usegolib_take_result
        take.argtypes = [ctypes.c_uint64, ctypes.c_void_p]
        take.restype = ctypes.c_int32
        self._take_result = take
        return take  # type: ignore[no-any-return]

    def _make_callbacks(self) -> Callbacks:
        """The library's callables, with Go given their entry point: until
        then Go has no way into Python, and none is needed."""
        import ctypes

        from .callbacks import Callbacks

        self.ready()
        with _making:
            made = self.__dict__.get("_callbacks")
            if made is not None:
                return made  # type: ignore[no-any-return]
            # Called with the GIL held (a "Python API" prototype): it only
            # copies, and releasing the GIL there would hand it to another
            # goroutine's callback in the middle of this one's.
            reply = ctypes.PYFUNCTYPE(ctypes.c_int32, ctypes.c_uint64, ctypes.c_char_p, ctypes.c_int32)(
                ("usegolib_callback_reply", self._dll)
            )
            made = Callbacks(self.codec.packb, self.codec.unpack, reply)
            entry = ctypes.cast(made.entry, ctypes.c_void_p).value
            if self._native is not None:
                self._native.set_python(self._address("usegolib_set_python"), entry)
            else:
                set_python = self._dll.usegolib_set_python
                set_python.argtypes = [ctypes.c_void_p]
                set_python.restype = None
                set_python(entry)
            self._callbacks = made
            return made

    def callbacks_drained(self) -> Callbacks:
        """The callbacks, about to take one more: first forgotten those Go
        dropped, when enough were registered since Go was last asked."""
        callbacks = self._callbacks
        if callbacks.should_drain():
            self._drain_callbacks()
        return callbacks

    def _python_exiting(self, wait_ms: int) -> int:
        """Close Go's way into Python; the callbacks still running."""
        if self._native is not None:
            return self._native.python_exiting(self._address("usegolib_python_exiting"), wait_ms)  # type: ignore[no-any-return]
        import ctypes

        exiting = self._dll.usegolib_python_exiting
        exiting.argtypes = [ctypes.c_int32]
        exiting.restype = ctypes.c_int32
        return exiting(wait_ms)  # type: ignore[no-any-return]

    # -- the call path ---------------------------------------------------

    def invoker(
        self,
        call_id: int,
        function: str,
        params: Sequence[str],
        variadic: bool = False,
        *,
        bind: Bind | None = None,
        several: bool = False,
    ) -> Callable[..., Any]:
        """A function that calls slot call_id with the Go arguments as its
        positional arguments. Keyword arguments and wrong counts go through
        bind (signature binding); several results come back as a tuple.

        Everything is bound to locals: this is the hot path, one Python frame
        and one ctypes call per Go call. The codec comes with the thread's
        state, on the first call: making an invoker (as every native
        function does, for what it hands to Python) imports no msgpack.
        """
        self.ready()
        local = self._local
        new_state = self._new_state
        cfunc = self._call
        settle = self._settle
        count = len(params)
        fixed = count - 1 if variadic else count

        def name_of(position: int) -> str:
            return self.param_name(params, variadic, position)

        def invoke(*args: Any, **kwargs: Any) -> Any:
            if (kwargs or len(args) != count) and (kwargs or len(args) < fixed or not variadic):
                args = bind(args, kwargs) if bind else _no_keywords(function, count, args, kwargs)
            try:
                state = local.state
            except AttributeError:
                state = new_state()
            try:
                payload = state.pack(args)
                word = cfunc(call_id, payload, len(payload), state.out)
            except Exception as exc:  # noqa: BLE001 - packing runs conversion hooks; any failure is the argument's
                raise state.codec.argument_error(function, params, variadic, args, exc) from None
            status = word & 15
            if status == STATUS_INT:
                return word >> 4
            if status == STATUS_OK:
                size = word >> 4
                if size == 0:
                    return None
                data = state.view[HEADER_SIZE : HEADER_SIZE + size]
                try:
                    result = state.unpack(data)
                except Exception as exc:  # noqa: BLE001 - every decoding failure is reported the same way
                    raise state.codec.undecodable(data, exc) from None
                return tuple(result) if several else result
            return settle(word, state, function, name_of=name_of, args=args, several=several)

        return invoke

    def native_function(
        self,
        call_id: int,
        function: str,
        params: Sequence[str],
        usual: Callable[..., Any],
        *,
        variadic: bool = False,
        several: bool = False,
        record: type | None = None,
        convert: Callable[[Any], Any] | None = None,
        fast: str = "",
    ) -> Callable[..., Any]:
        """Slot call_id as one C object of the native crossing: it packs
        plain arguments (None, bool, int, float, str, bytes, lists and dicts
        of them, registered records) and reads plain results itself, with no
        Python frame, and hands the rest to usual (its invoker). For the
        typed view, convert makes the typed result of a plain one read in
        Python (and registered records pack), and record is the registered
        record the result is made into. fast, the parameters' kinds of a
        call with a fast-args slot (the manifest's "fast"), passes str,
        bytes, int, float and bool arguments to usegolib_call_fast as C holds
        them, with no MessagePack. usual itself on ctypes."""
        if self._native is None:
            return usual
        self.ready()

        def name_of(position: int) -> str:
            return self.param_name(params, variadic, position)

        def outcome(word: int, address: int, args: tuple[Any, ...]) -> Any:
            plain = self._settle(word, self._out_buffer(address), function, name_of=name_of, args=args, several=several)
            return convert(plain) if convert is not None else plain

        fixed = len(params) - 1 if variadic else -1
        entry = self._address("usegolib_call")
        make = self._native.function
        typed = convert is not None
        fast_entry = self._address("usegolib_call_fast") if fast and not variadic else 0
        return make(  # type: ignore[no-any-return]
            native.MODE_PACKED, entry, call_id, len(params), fixed, several, usual, outcome, typed, record, False, self,
            fast_entry, fast if fast_entry else "",
        )  # fmt: skip

    def register_record(self, cls: type, keys: Sequence[str], attributes: Sequence[str]) -> bool:
        """Let the native crossing pack instances of cls (a typed view's
        dataclass) as the map of its attributes under Go's keys, and make
        results into it; False on ctypes."""
        if self._native is None:
            return False
        self._native.register_record(cls, tuple(keys), tuple(attributes))
        return True

    def int_invoker(
        self, call_id: int, function: str, params: Sequence[str], usual: Callable[..., Any]
    ) -> Callable[..., Any]:
        """The integer fast path of slot call_id (runtime/intcalls.py), with
        usual (an invoker) for arguments it does not take."""
        self.ready()

        def outcome(word: int) -> Any:
            return self._int_outcome(word, function)

        template = intcalls.invoker(
            self.int_entries, call_id, name=function, params=params, usual=usual, outcome=outcome
        )
        if self._native is None:
            return template
        # One object does the checks and the call in C, with no Python frame;
        # what it does not take (keywords, other values) goes to the
        # template, whose binding gives Python's own argument errors.
        entry = self._address(f"usegolib_call_ints{len(params)}")
        make = self._native.function
        return make(  # type: ignore[no-any-return]
            native.MODE_INTS, entry, call_id, len(params), -1, False, template, outcome, False, None, False, None, 0, ""
        )

    def _int_entry(self, arity: int) -> intcalls.Entry:
        return self._entry(f"usegolib_call_ints{arity}", arity)

    def _entry(self, name: str, kind: int) -> Callable[..., int]:
        """The entry point name: a built-in function of the native crossing,
        or a ctypes function. No argtypes for ctypes: it then passes each
        int as a C int without making a converter object per argument
        (intcalls checks the range), bytes and the out buffer as pointers."""
        if self._native is not None:
            return self._native.bind(kind, self._address(name))  # type: ignore[no-any-return]
        import ctypes

        entry = getattr(self._dll, name)
        entry.restype = ctypes.c_int64
        return entry  # type: ignore[no-any-return]

    def _release_entry(self, name: str) -> Callable[[int], None]:
        """The entry point name, which takes one id and returns nothing: a
        handle object's finalizer calls it, so its cost is every handle's."""
        if self._native is not None:
            return self._native.bind(native.KIND_RELEASE, self._address(name))  # type: ignore[no-any-return]
        import ctypes

        entry = getattr(self._dll, name)
        entry.argtypes = [ctypes.c_uint64]
        entry.restype = None
        return entry  # type: ignore[no-any-return]

    def _address(self, name: str) -> int:
        """Where the library's export name is, for the native crossing."""
        return self._native.symbol(self._handle, name)  # type: ignore[no-any-return,union-attr]

    def _memory(self, address: int, size: int) -> memoryview:
        """size bytes Go holds at address, to read."""
        if self._native is not None:
            return self._native.memory(address, size)  # type: ignore[no-any-return]
        import ctypes

        return memoryview((ctypes.c_char * size).from_address(address)).cast("B")

    def _int_outcome(self, word: int, function: str) -> Any:
        """What an integer call returned other than an immediate integer:
        nothing, or a result (or error) Go holds under a release id."""
        if not word & FLAG_BIG:
            return None  # no payload: the function has no result
        try:
            state = self._local.state
        except AttributeError:
            state = self._new_state()
        if not self._take_result(word >> 4, state.buf):
            raise AbiError(f"{function}(): Go holds no result with release id {word >> 4}")
        return self._finish(word & 15, state, function)

    def _refuse_after_fork(self, *_args: int) -> int:
        self._new_state()  # raises ForkError
        raise AssertionError("unreachable")

    def _new_state(self) -> _ThreadState:
        if self._forked:
            raise ForkError(
                f"this process was forked after the Go module {self.module} was loaded, and Go's runtime does not "
                "survive fork(): use multiprocessing's 'spawn' or 'forkserver' start method, or import the module "
                "only in the child processes"
            )
        state = _ThreadState(self)
        self._local.state = state
        return state

    def _settle(
        self,
        word: int,
        state: _ThreadState | _OutBuffer,
        function: str,
        *,
        name_of: Callable[[int], str],
        args: tuple[Any, ...],
        several: bool,
    ) -> Any:
        """What a call returns other than an immediate integer or a small
        result read on the hot path; Go's changes to list and dict
        arguments reach them."""
        result = self._finish(word, state, function)
        if word & 7 == STATUS_WROTE:
            from . import writeback  # Go changed an argument: only where a function does

            writes, result = result
            writeback.apply(function, name_of, args, writes)
        return tuple(result) if several else result

    def _out_buffer(self, address: int) -> _OutBuffer:
        """The native crossing's out buffer at address (a thread's)."""
        try:
            return self._out_buffers[address]
        except KeyError:
            buffer = self._out_buffers[address] = _OutBuffer(self._memory(address, HEADER_SIZE + OUT_CAPACITY))
            return buffer

    def _finish(self, word: int, state: _ThreadState | _OutBuffer, function: str) -> Any:
        """The uncommon endings of a call: errors, panics, big results."""
        value = self._payload(word, state)
        status = word & 7
        if status in (STATUS_OK, STATUS_WROTE):
            return value  # STATUS_WROTE: [writes, result], for the invoker
        if status == STATUS_GO_ERROR:
            message, go_type, token, standard, sentinels, typed, chain = value
            stream_failure = bool(token) and self._callbacks.from_stream(token)
            cause = self._callbacks.take(token) if token else None
            if stream_failure and cause is not None:
                raise cause  # a file object's read or write raised it: Go only passed it on
            type_id, error_value = typed if typed is not None else (None, None)
            error = self.errors.for_error(standard, sentinels, type_id)
            raise error(message, go_type, value=error_value, chain=[tuple(link) for link in chain]) from cause
        if status == STATUS_CALLBACK:
            token, message = value
            original = self._callbacks.take(token) if token else None
            if original is not None:
                raise original  # the callback's own exception, with its traceback
            raise CallbackError(f"{function}(): callback {message}")
        if status == STATUS_PANIC:
            raise GoPanicError(value[0], go_type=value[1], go_stack=value[2])
        if status == STATUS_ARG_ERROR:
            from ..errors import ArgumentOverflowError, ArgumentTypeError, ArgumentValueError

            kind, path, detail = value
            error = {"overflow": ArgumentOverflowError, "value": ArgumentValueError}.get(kind, ArgumentTypeError)
            raise error(function, path.lstrip("."), detail)
        raise AbiError(f"{function}(): {value}")

    def _payload(self, word: int, state: _ThreadState | _OutBuffer) -> Any:
        if not word & FLAG_BIG:
            size = word >> 4
            return self.codec.decode(state.view[HEADER_SIZE : HEADER_SIZE + size]) if size else None
        address, size, release_id = _BIG.unpack_from(state.view, 8)
        try:
            return self.codec.decode(self._memory(address, size))
        finally:
            self.release_result(release_id)

    # -- handles -----------------------------------------------------------

    def adopt(self, class_id: int, handle_id: int) -> Any:
        """Wrap a handle the library just issued in its Python class."""
        cls = self._complete_classes.get(class_id)
        if cls is None:
            cls = self._complete_class(class_id)
        obj = object.__new__(cls)
        obj._hid = handle_id
        obj._lib = self
        return obj

    def _complete_class(self, class_id: int) -> type:
        """The class of class_id with its members (handles.complete): an
        instance's special methods (__str__, __iter__) are looked up on the
        class directly, never through a failed lookup."""
        if class_id == FUNC_CLASS:
            cls: type = GoFunc
        else:
            cls = self.classes.get(class_id, GoObject) if class_id != OPAQUE_CLASS else GoObject
        complete(cls)
        self._complete_classes[class_id] = cls
        return cls

    def release(self, handle_id: int) -> None:
        if not self._forked:  # a child's handles die with it; Go would hang
            self._release_handle(handle_id)

    def _builtin(self, builtin: int, name: str, params: Sequence[str]) -> Callable[..., Any]:
        """The invoker of a builtin, made once (a dict read and write are
        atomic under the GIL: two threads may both make it, harmlessly)."""
        invoke = self._builtins.get(builtin)
        if invoke is None:
            invoke = self._builtins[builtin] = self.invoker(builtin, name, params)
        return invoke

    def handle_text(self, handle_id: int) -> str | None:
        """Error() or String() of a handle's Go value, or None."""
        text = self._side_call(BUILTIN_HANDLE_TEXT, "str", handle_id)
        return None if text is None else str(text)

    def type_name(self, handle_id: int) -> str:
        return str(self._builtin(BUILTIN_TYPE_NAME, "type_name", ("handle",))(handle_id))

    def release_handles_in(self, payload: bytes) -> None:
        self._builtin(BUILTIN_RELEASE_IN, "release_handles_in", ("payload",))(payload)

    def _drain_callbacks(self) -> None:
        """Forget the callbacks Go dropped. Runs while arguments are being
        packed, so it calls Go directly."""
        self._callbacks.forget(list(self._side_call(BUILTIN_RELEASED_CALLBACKS, "released_callbacks") or []))

    def _side_call(self, builtin: int, name: str, *args: int) -> Any:
        """Call a builtin with integer arguments and a buffer of its own, so
        that it may run in the middle of another call of the same thread
        (while arguments are packed, or from a finalizer)."""
        if self._forked:
            self._new_state()  # raises ForkError
        self.ready()
        state = _ThreadState(self, capacity=4096)
        payload = self.codec.packb(args)
        word = self._call(builtin, payload, len(payload), state.out)
        return word >> 4 if word & 15 == STATUS_INT else self._finish(word, state, name)

    def borrow_token(self) -> bytes:
        """The token that lets Go read memory Python lends (runtime/borrow.py)."""
        token = self.__dict__.get("_borrow_token")
        if token is None:
            token = self._borrow_token = bytes(self._side_call(BUILTIN_BORROW_TOKEN, "borrow_token"))
        return token

    def cancel_context(self, context_id: int) -> None:
        """Cancel the calls running (and to run) with a usegolib.Context."""
        self._side_call(BUILTIN_CANCEL_CONTEXT, "cancel_context", context_id)

    def forget_context(self, context_id: int) -> None:
        if not self._forked:  # runs from finalizers: a forked child has nothing to forget
            self._side_call(BUILTIN_FORGET_CONTEXT, "forget_context", context_id)

    def context_count(self) -> int:
        """Contexts the Go side still tracks (for leak checks)."""
        return int(self._side_call(BUILTIN_CONTEXT_COUNT, "context_count"))

    def pinned_count(self) -> int:
        """Results and lent memory Go still keeps pinned (for leak checks)."""
        return int(self._side_call(BUILTIN_PINNED_COUNT, "pinned_count"))

    def callback_count(self) -> int:
        """Python callables Go may still call (for leak checks)."""
        callbacks = self.__dict__.get("_callbacks")
        return len(callbacks) if callbacks is not None else 0

    def stream_read(self, handle_id: int, size: int) -> tuple[bytes, bool]:
        """One Read of at most size bytes from a handle's io.Reader, and
        whether it reached io.EOF (runtime/files.py)."""
        data, eof = self._builtin(BUILTIN_STREAM_READ, "read", ("self", "size"))(handle_id, size)
        return data, eof

    def stream_write(self, handle_id: int, data: bytes) -> int:
        """Write data to a handle's io.Writer; the bytes written."""
        return int(self._builtin(BUILTIN_STREAM_WRITE, "write", ("self", "data"))(handle_id, data))

    def call_func(self, handle_id: int, args: tuple[Any, ...]) -> Any:
        """Call the Go func behind a GoFunc handle (a func inside `any`)."""
        return self._builtin(BUILTIN_CALL_FUNC, "Go func", ("self", "args"))(handle_id, list(args))

    @property
    def pack_default(self) -> Callable[[Any], Any]:
        """The hook that packs what MessagePack cannot (handles, datetimes…)."""
        return self.codec.default

    def ref_value(self, token: int) -> tuple[bool, Any]:
        """(made, value) of a usegolib.Ref: whether a call made its Go
        pointer yet, and what it points to."""
        made, value = self._side_call(BUILTIN_REF_VALUE, "Ref.value", token)
        return bool(made), value

    def release_ref(self, token: int) -> None:
        if not self._forked:
            self._side_call(BUILTIN_RELEASE_REF, "release_ref", token)

    def ref_count(self) -> int:
        """Refs Go still keeps (for leak checks)."""
        return int(self._side_call(BUILTIN_REF_COUNT, "ref_count"))

    def handle_count(self) -> int:
        """Live handles on the Go side (for leak checks)."""
        return int(self._builtin(BUILTIN_HANDLE_COUNT, "handle_count", ())())


def _no_keywords(function: str, count: int, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    if kwargs:
        raise TypeError(f"{function}() takes no keyword arguments")
    raise TypeError(f"{function}() takes {count} arguments ({len(args)} given)")


_MADE_ON_FIRST_USE: dict[str, Callable[[Library], Any]] = {
    "codec": Library._make_codec,
    "errors": Library._make_errors,
    "_dll": Library._make_dll,
    "_take_result": Library._make_take_result,
    "_callbacks": Library._make_callbacks,
}
# Makes what must be made once per library.
_making = threads.RLock()


# Every Library of this process, to disable them in a forked child and to
# close them to callbacks at exit. A library is kept for the life of the
# process (Go cannot unload one), so a list serves.
_loaded: list[Library] = []


# How long exit waits for callbacks under way, per library, in milliseconds.
EXIT_WAIT_MS = 5000


def _close_to_callbacks() -> None:
    """At exit, before the interpreter is torn down: no goroutine may enter
    Python after this (a thread that takes the GIL of a finalizing
    interpreter is ended by it, and on a thread of Go's own that crashes the
    process). Each library waits, with the GIL released (a plain ctypes
    call), for the callbacks under way; later ones fail in Go by the rule of
    docs/abi.md, Callbacks. A callback that blocks for good (on a queue
    nobody fills) does not hold the exit: after EXIT_WAIT_MS it is left to
    the interpreter, as a daemon thread is."""
    for lib in list(_loaded):
        if lib._forked or "_callbacks" not in lib.__dict__:
            continue  # a library never given Python's entry point cannot call it
        running = lib._python_exiting(EXIT_WAIT_MS)
        if running:
            print(
                f"usegolib: exiting while {running} Python callback(s) called by Go from {lib.module} still run "
                f"after {EXIT_WAIT_MS / 1000:g} s",
                file=sys.stderr,
            )


# Registered when usegolib is imported, so that it runs after the exit
# handlers registered later (atexit runs them last in, first out), which
# may still use callbacks.
atexit.register(_close_to_callbacks)


def _after_fork_in_child() -> None:
    """The child has only the forking thread, and no Go runtime threads: its
    next call of each library goes to _new_state, which refuses it."""
    for lib in list(_loaded):
        lib._forked = True
        lib.int_entries[:] = [lib._refuse_after_fork] * len(lib.int_entries)
        if lib._native is not None:
            lib._native.after_fork()  # native integer functions take their Python path, which refuses
        lib._local.__dict__.pop("state", None)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
