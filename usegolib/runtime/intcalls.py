"""The integer fast path (docs/abi.md, "Integer calls").

A Go function or method whose parameters are all Go integers (at most
four, a method's receiver handle id included) and whose result is one Go
integer or nothing is called with its arguments as
C ints of ``usegolib_call_intsN``: no MessagePack, no out buffer, no
thread state. Its result comes back in the returned word. The slot's own
decoders still check every argument in Go, so both paths fail alike.

An argument that is not a plain ``int`` within int32's range (a bool, a
float, a big int, an ``IntEnum``…) takes the usual path instead, which
converts and reports it as it always does; so does every keyword or
arity mistake that Python's own binding does not catch first.
"""

from __future__ import annotations

import sys
import types

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    Entry = Callable[..., int]
    # Entries by arity; the library swaps them for a refusal after fork().
    Entries = list[Entry]
    Outcome = Callable[[int], Any]

STATUS_INT = 1
# What ctypes passes exactly as a C int, the type of the entry points' arguments.
LOW, HIGH = -(1 << 31), (1 << 31) - 1
MAX_ARGS = 4


def eligible(fn: dict[str, Any], types_: list[dict[str, Any]], arity: int) -> bool:
    """Whether the fast path fits a function's (or method's) manifest entry;
    arity counts a method's receiver, a bare handle id."""
    if fn.get("variadic") or fn.get("context") or fn.get("writes_back") or arity > MAX_ARGS:
        return False
    if any(types_[p["type"]]["kind"] not in ("int", "uint") for p in fn["params"]):
        return False
    results = fn["results"]
    return not results or (len(results) == 1 and types_[results[0]]["kind"] in ("int", "uint"))


def invoker(
    entries: Entries, call_id: int, *, name: str, params: Sequence[str], usual: Callable[..., Any], outcome: Outcome
) -> Callable[..., Any]:
    """The fast call of slot call_id, with the Go parameter names (so that
    keyword arguments bind as Python binds them) and the name ``name`` in
    Python's own argument errors."""
    make = _TEMPLATES[len(params)]
    invoke = make(entries, call_id, usual, outcome)
    return _renamed(invoke, name, params)


def _renamed(fn: Callable[..., Any], name: str, params: Sequence[str]) -> types.FunctionType:
    """fn with its positional parameters called params. Only binding reads
    these names; the body refers to locals by position."""
    assert isinstance(fn, types.FunctionType)
    code = fn.__code__
    names = (*params, *code.co_varnames[len(params) :])
    if sys.version_info >= (3, 11):
        code = code.replace(co_varnames=names, co_name=name, co_qualname=name)
    else:
        code = code.replace(co_varnames=names, co_name=name)
    return types.FunctionType(code, fn.__globals__, name, None, fn.__closure__)


# One template per arity: a loop over the arguments would cost more than
# the whole crossing saves. Each checks that its arguments are plain ints
# that fit a C int, calls, and returns an immediate integer directly.


def _arity0(entries: Entries, call_id: int, usual: Callable[..., Any], outcome: Outcome) -> Callable[..., Any]:
    def invoke() -> Any:
        word = entries[0](call_id)
        return word >> 4 if word & 15 == STATUS_INT else outcome(word)

    return invoke


def _arity1(entries: Entries, call_id: int, usual: Callable[..., Any], outcome: Outcome) -> Callable[..., Any]:
    def invoke(a: Any) -> Any:
        if type(a) is int and LOW <= a <= HIGH:
            word = entries[1](call_id, a)
            return word >> 4 if word & 15 == STATUS_INT else outcome(word)
        return usual(a)

    return invoke


def _arity2(entries: Entries, call_id: int, usual: Callable[..., Any], outcome: Outcome) -> Callable[..., Any]:
    def invoke(a: Any, b: Any) -> Any:
        if type(a) is int and type(b) is int and LOW <= a <= HIGH and LOW <= b <= HIGH:
            word = entries[2](call_id, a, b)
            return word >> 4 if word & 15 == STATUS_INT else outcome(word)
        return usual(a, b)

    return invoke


def _arity3(entries: Entries, call_id: int, usual: Callable[..., Any], outcome: Outcome) -> Callable[..., Any]:
    def invoke(a: Any, b: Any, c: Any) -> Any:
        if (
            type(a) is int
            and type(b) is int
            and type(c) is int
            and LOW <= a <= HIGH
            and LOW <= b <= HIGH
            and LOW <= c <= HIGH
        ):
            word = entries[3](call_id, a, b, c)
            return word >> 4 if word & 15 == STATUS_INT else outcome(word)
        return usual(a, b, c)

    return invoke


def _arity4(entries: Entries, call_id: int, usual: Callable[..., Any], outcome: Outcome) -> Callable[..., Any]:
    def invoke(a: Any, b: Any, c: Any, d: Any) -> Any:
        if (
            type(a) is int
            and type(b) is int
            and type(c) is int
            and type(d) is int
            and LOW <= a <= HIGH
            and LOW <= b <= HIGH
            and LOW <= c <= HIGH
            and LOW <= d <= HIGH
        ):
            word = entries[4](call_id, a, b, c, d)
            return word >> 4 if word & 15 == STATUS_INT else outcome(word)
        return usual(a, b, c, d)

    return invoke


_TEMPLATES = (_arity0, _arity1, _arity2, _arity3, _arity4)
