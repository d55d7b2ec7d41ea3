// Package cabi holds the C entry points of every bridge library
// (docs/abi.md). They are the same for every module: the generated main
// package hands its call tables over with Serve when it is initialized.
//
// The entry points live here rather than in the generated package so that
// the generated package does not use cgo. In -buildmode=c-shared, the go
// command runs cgo again, at every build, for a main package that uses it
// and for the cgo packages it imports directly (runtime/cgo among them), to
// write the library's C header; a main package without cgo has no header,
// and this package, like runtime/cgo, comes from Go's build cache.
package cabi

/*
#include <stdint.h>
*/
import "C"

import (
	"time"
	"unsafe"

	"usegolib.local/shim/rt"
)

// The call tables of the bridge (Serve).
var (
	calls    []rt.Func
	fast     []rt.FastInts
	fastArgs []rt.FastArgs
)

// Serve is called by the generated main package's init with its call
// table and the fast slots of the integer and fast-args entry points, by
// call id. Go runs every package's init before the library serves its
// first call.
func Serve(table []rt.Func, fastInts []rt.FastInts, fastArguments []rt.FastArgs) {
	calls, fast, fastArgs = table, fastInts, fastArguments
}

//export usegolib_call
func usegolib_call(id C.int32_t, args *C.uint8_t, argsLen C.int32_t, out *C.uint8_t) C.int64_t {
	return C.int64_t(rt.Dispatch(calls, int32(id), unsafe.Pointer(args), int32(argsLen), unsafe.Pointer(out)))
}

// The integer entry points: usegolib_call for slots whose arguments are
// all integers that fit 32 bits, passed as C ints (rt.CallInts: a plain
// function's fast slot, else rt.DispatchInts). C int is what ctypes passes
// a Python int as without a per-argument converter.

//export usegolib_call_ints0
func usegolib_call_ints0(id C.int32_t) C.int64_t {
	return C.int64_t(rt.CallInts(calls, fast, int32(id), [rt.MaxIntArgs]int64{}, 0))
}

//export usegolib_call_ints1
func usegolib_call_ints1(id C.int32_t, a C.int32_t) C.int64_t {
	return C.int64_t(rt.CallInts(calls, fast, int32(id), [rt.MaxIntArgs]int64{int64(a)}, 1))
}

//export usegolib_call_ints2
func usegolib_call_ints2(id C.int32_t, a, b C.int32_t) C.int64_t {
	return C.int64_t(rt.CallInts(calls, fast, int32(id), [rt.MaxIntArgs]int64{int64(a), int64(b)}, 2))
}

//export usegolib_call_ints3
func usegolib_call_ints3(id C.int32_t, a, b, c C.int32_t) C.int64_t {
	return C.int64_t(rt.CallInts(calls, fast, int32(id), [rt.MaxIntArgs]int64{int64(a), int64(b), int64(c)}, 3))
}

//export usegolib_call_ints4
func usegolib_call_ints4(id C.int32_t, a, b, c, d C.int32_t) C.int64_t {
	return C.int64_t(rt.CallInts(calls, fast, int32(id), [rt.MaxIntArgs]int64{int64(a), int64(b), int64(c), int64(d)}, 4))
}

// usegolib_call_fast: a fast-args slot's call (rt.CallFast), each argument
// as C holds it: p[i] a str's UTF-8 or a bytes' data and v[i] its length,
// or v[i] the number. rt.NotTaken: make the usual call instead.
//
//export usegolib_call_fast
func usegolib_call_fast(id C.int32_t, p *unsafe.Pointer, v *C.int64_t, out *C.uint8_t) C.int64_t {
	return C.int64_t(rt.CallFast(fastArgs, int32(id), unsafe.Pointer(p), unsafe.Pointer(v), unsafe.Pointer(out)))
}

//export usegolib_take_result
func usegolib_take_result(id C.uint64_t, out *C.uint8_t) C.int32_t {
	if rt.TakeResult(uint64(id), unsafe.Pointer(out)) {
		return 1
	}
	return 0
}

//export usegolib_release_handle
func usegolib_release_handle(id C.uint64_t) { rt.ReleaseHandle(uint64(id)) }

//export usegolib_release_result
func usegolib_release_result(id C.uint64_t) { rt.ReleaseResult(uint64(id)) }

//export usegolib_set_python
func usegolib_set_python(fn unsafe.Pointer) { keepPython(fn) }

//export usegolib_callback_reply
func usegolib_callback_reply(reply C.uint64_t, data *C.uint8_t, length C.int32_t) C.int32_t {
	if rt.Reply(uint64(reply), unsafe.Pointer(data), int(length)) {
		return 1
	}
	return 0
}

//export usegolib_python_exiting
func usegolib_python_exiting(waitMillis C.int32_t) C.int32_t {
	return C.int32_t(rt.PythonExiting(time.Duration(waitMillis) * time.Millisecond))
}

//export usegolib_abi_version
func usegolib_abi_version() C.int32_t { return C.int32_t(rt.ABIVersion) }
