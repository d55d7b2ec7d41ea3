package cabi

// The way back into Python for callbacks (docs/abi.md, Callbacks): Python
// hands over a function pointer at load, and Go calls it through C. The C
// definitions live here because entry.go exports functions, and a file
// with //export may only declare C in its preamble.

/*
#include <stdint.h>
#ifdef _WIN32
#include <windows.h>
static uint64_t usegolib_thread(void) { return (uint64_t)GetCurrentThreadId(); }
#else
#include <pthread.h>
static uint64_t usegolib_thread(void) { return (uint64_t)(uintptr_t)pthread_self(); }
#endif

typedef int32_t (*usegolib_python_fn)(int32_t op, uint64_t id, const uint8_t *args, int32_t len, uint64_t reply);

static usegolib_python_fn usegolib_python;

static void usegolib_keep_python(void *fn) { usegolib_python = (usegolib_python_fn)fn; }

static int32_t usegolib_call_python(int32_t op, uint64_t id, const uint8_t *args, int32_t len, uint64_t reply) {
	return usegolib_python(op, id, args, len, reply);
}
*/
import "C"

import (
	"unsafe"

	"usegolib.local/shim/rt"
)

// The thread a callback runs on tells whether it runs on the goroutine of
// the call that passed it (rt.Callback); a C call is far cheaper than
// reading the goroutine's id from a traceback.
func init() { rt.SetThreadID(func() uint64 { return uint64(C.usegolib_thread()) }) }

func keepPython(fn unsafe.Pointer) {
	C.usegolib_keep_python(fn)
	rt.SetPythonEntry(callPython)
}

// callPython calls the Python entry point. Python hands its answer over
// through usegolib_callback_reply (rt.Reply) before it returns; Go never
// reads Python's memory afterwards.
func callPython(op int32, id uint64, args []byte, reply uint64) int32 {
	var in *C.uint8_t
	if len(args) > 0 {
		in = (*C.uint8_t)(unsafe.Pointer(&args[0]))
	}
	return int32(C.usegolib_call_python(C.int32_t(op), C.uint64_t(id), in, C.int32_t(len(args)), C.uint64_t(reply)))
}
