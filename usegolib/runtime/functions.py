"""Python callables for Go functions and methods, with Go parameter names,
signatures and doc comments (SPEC §1)."""

from __future__ import annotations

from . import intcalls
from .package import made_on_first_call, once

TYPE_CHECKING = False
if TYPE_CHECKING:
    import inspect
    from collections.abc import Callable
    from typing import Any

    from .annotations import Annotations
    from .context import Context
    from .library import Library

# inspect (and typing, for the annotations) are imported where a signature
# is made, not with usegolib nor at a function's first call: together they
# cost a process over 10 ms. A function's signature is made when something
# asks for it (help(), inspect.signature, a keyword argument). Contexts and
# lent memory (which bring ctypes and msgpack) are imported for the
# functions that take them.


def signature(fn: dict[str, Any], annotations: Annotations, *, method: bool = False) -> inspect.Signature:
    import inspect

    from .context import Context

    positional, variadic, keyword = (
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.VAR_POSITIONAL,
        inspect.Parameter.KEYWORD_ONLY,
    )
    params = [inspect.Parameter("self", positional)] if method else []
    last = len(fn["params"]) - 1
    for i, p in enumerate(fn["params"]):
        kind = variadic if fn.get("variadic") and i == last else positional
        params.append(inspect.Parameter(p["name"], kind, annotation=annotations.of(p["type"])))
    if fn.get("context"):  # the keyword arguments of a context.Context (context.py)
        params.append(inspect.Parameter("timeout", keyword, default=None, annotation=float | None))
        params.append(inspect.Parameter("context", keyword, default=None, annotation=Context | None))
    return inspect.Signature(params, return_annotation=annotations.results(fn["results"]))


def go_arguments(sig: inspect.Signature) -> inspect.Signature:
    """The signature without the keywords Python adds for a context."""
    return sig.replace(parameters=[p for p in sig.parameters.values() if p.kind != p.KEYWORD_ONLY])


def _binder(
    name: str, make_signature: Callable[[], inspect.Signature], *, context: bool = False
) -> Callable[[tuple[Any, ...], dict[str, Any]], tuple[Any, ...]]:
    """The slow path of argument passing: keywords, wrong counts. Python's
    own binding gives the familiar messages. With context, the arguments
    start with the context argument. The signature is made on first use."""
    binding: list[inspect.Signature] = []

    def bind(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        if not binding:
            binding.append(_binding(make_signature(), context))
        try:
            return binding[0].bind(*args, **kwargs).args
        except TypeError as exc:
            raise TypeError(f"{name}() {exc}") from None

    return bind


def _binding(sig: inspect.Signature, context: bool) -> inspect.Signature:
    import inspect

    sig = go_arguments(sig)
    if context:
        first = inspect.Parameter("_usegolib_context_", inspect.Parameter.POSITIONAL_ONLY)
        sig = sig.replace(parameters=[first, *sig.parameters.values()])
    return sig


def _invoker(
    lib: Library,
    fn: dict[str, Any],
    name: str,
    params: list[str],
    make_signature: Callable[[], inspect.Signature],
    *,
    several: bool,
) -> Callable[..., Any]:
    """The call of fn's slot; a function taking a context gets its context
    argument first, from the keywords timeout and context."""
    takes_context = bool(fn.get("context"))
    arguments = ["context", *params] if takes_context else params
    invoke = lib.invoker(
        fn["id"],
        name,
        arguments,
        bool(fn.get("variadic")),
        bind=_binder(name, make_signature, context=takes_context),
        several=several,
    )
    if intcalls.eligible(fn, lib.manifest["types"], len(arguments)):
        return lib.int_invoker(fn["id"], name, arguments, invoke)
    lent = _lent_parameters(lib, fn)
    if lent:
        lending = [(i, argument) for i, argument in enumerate(arguments) if argument in lent]
        invoke = _lender(lib, invoke, lending)
    if not takes_context:
        variadic = bool(fn.get("variadic"))
        fast = str(fn.get("fast", ""))
        return lib.native_function(fn["id"], name, arguments, invoke, variadic=variadic, several=several, fast=fast)

    from .context import call_with_context

    def call(*args: Any, timeout: float | None = None, context: Context | None = None, **kwargs: Any) -> Any:
        return call_with_context(lib, invoke, args, kwargs, context=context, timeout=timeout)

    call.__usegolib_context__ = True  # type: ignore[attr-defined]
    return call


def _lender(lib: Library, invoke: Callable[..., Any], lending: list[tuple[int, str]]) -> Callable[..., Any]:
    """invoke, lending large buffers in the arguments lending names
    (runtime/borrow.py). On the native crossing it runs only for what the
    C call hands back to Python, so it is made then: borrow imports ctypes
    and msgpack, which a call of small bytes never needs."""

    def make() -> Callable[..., Any]:
        from .borrow import lender

        return lender(invoke, lending, lib.borrow_token)

    return make() if lib.crossing != "native" else made_on_first_call(make)


def _describe(
    fn: Callable[..., Any],
    name: str,
    *,
    qualname: str,
    module: str,
    doc: str,
    make_signature: Callable[[], inspect.Signature],
) -> None:
    fn.__name__ = name
    fn.__qualname__ = qualname
    fn.__module__ = module
    fn.__doc__ = doc or None
    if "__signature__" in type(fn).__dict__:  # the native crossing's Function makes it when asked (_native.c)
        fn.__usegolib_signature__ = make_signature  # type: ignore[attr-defined]
    else:  # a Python function: now
        fn.__signature__ = make_signature()  # type: ignore[attr-defined]


def _lent_parameters(lib: Library, fn: dict[str, Any]) -> set[str]:
    """Parameters whose arguments Go reads where they are rather than out
    of MessagePack: []byte and slices of plain numbers (not variadic); Go
    uses them in place where the parameter allows (runtime/borrow.py)."""
    types = lib.manifest["types"]
    params = fn["params"][:-1] if fn.get("variadic") else fn["params"]
    return {p["name"] for p in params if _lendable(types[p["type"]])}


def _lendable(t: dict[str, Any]) -> bool:
    return (t["kind"] == "bytes" and t.get("len") is None) or (t["kind"] == "list" and bool(t.get("numbers")))


def make_function(lib: Library, fn: dict[str, Any], annotations: Annotations, module: str) -> Callable[..., Any]:
    """A package-level Go function as a Python function."""
    name = fn["name"]
    # Made once: __signature__ and the slow path of binding both ask for it.
    make_signature = once(lambda: signature(fn, annotations))
    call = _invoker(lib, fn, name, [p["name"] for p in fn["params"]], make_signature, several=len(fn["results"]) > 1)
    _describe(call, name, qualname=name, module=module, doc=fn.get("doc", ""), make_signature=make_signature)
    return call


def make_method(
    lib: Library, fn: dict[str, Any], annotations: Annotations, class_name: str, module: str, *, by_value: bool = False
) -> Callable[..., Any]:
    """A Go method as a Python method. The receiver is the slot's first
    argument: a bare handle id for classes, or (by_value, for named
    non-struct types) the value itself."""
    name = fn["name"]
    qualname = f"{class_name}.{name}"
    make_signature = once(lambda: signature(fn, annotations, method=True))
    several = len(fn["results"]) + bool(fn.get("writes_back")) > 1
    params = ["self", *(p["name"] for p in fn["params"])]
    call = _invoker(lib, fn, qualname, params, make_signature, several=several)

    if fn.get("writes_back"):
        method = _writing_back(call, len(fn["results"]))
    elif by_value:
        method = call
    else:

        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            return call(self._checked_id(), *args, **kwargs)

        # The native crossing's function takes the handle object itself
        # (and this method for what it does not take): no Python frame.
        as_method = getattr(call, "as_method", None)
        if as_method is not None:
            method = as_method(method)

    _describe(method, name, qualname=qualname, module=module, doc=fn.get("doc", ""), make_signature=make_signature)
    if fn.get("context"):
        method.__usegolib_context__ = True  # type: ignore[attr-defined]
    return method


def _writing_back(call: Callable[..., Any], results: int) -> Callable[..., Any]:
    """A pointer-receiver method of a named value type: Go changed a copy of
    the receiver and sent its new value after the method's results. A list
    or dict receiver is updated in place, as Go's would be; an immutable
    value (an int, a str) cannot be, so the new value is returned (after
    the method's own results)."""

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        out = call(self, *args, **kwargs)
        new, own = (out[-1], tuple(out[:-1])) if results else (out, ())
        if _store(self, new):
            return None if not own else own[0] if len(own) == 1 else own
        return new if not own else (*own, new)

    return method


def _store(receiver: Any, new: Any) -> bool:
    """Update a mutable receiver in place; False when it is immutable."""
    if isinstance(receiver, list) and isinstance(new, list):
        receiver[:] = new
        return True
    if isinstance(receiver, dict) and isinstance(new, dict):
        receiver.clear()
        receiver.update(new)
        return True
    return False


def make_getter(lib: Library, field: dict[str, Any], class_name: str) -> Callable[[Any], Any]:
    call = lib.invoker(field["getter"], f"{class_name}.{field['name']}", ["self"])

    def getter(self: Any) -> Any:
        return call(self._checked_id())

    return getter


def make_setter(lib: Library, field: dict[str, Any], class_name: str) -> Callable[[Any, Any], None]:
    """Assigns the Go field (``obj.F = value``), type-checked as an
    argument named after the field."""
    call = lib.invoker(field["setter"], f"{class_name}.{field['name']}", ["self", field["name"]])

    def setter(self: Any, value: Any) -> None:
        call(self._checked_id(), value)

    return setter


def make_constructor(lib: Library, call_id: int, class_name: str) -> Callable[..., Any]:
    """``T(**fields)``: a new *T from Go, with the given exported fields set."""
    call = lib.invoker(call_id, class_name, ["fields"])

    def new(cls: type, *args: Any, **fields: Any) -> Any:
        if args:
            raise TypeError(f"{class_name}() takes field values as keyword arguments only")
        return call(fields)

    return new
