// Package rt is the runtime linked into every generated bridge: the call
// entry point, panic recovery, the handle table and the conversions shared by
// generated code. docs/abi.md describes the contract with Python.
package rt

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"unsafe"

	"usegolib.local/shim/codec"
)

// ABIVersion changes whenever the contract between a bridge and the Python
// runtime changes; the manifest records it and Python refuses a mismatch.
const ABIVersion = 8

// Status codes, in the low three bits of the word usegolib_call returns. The
// rest of the word (shifted right by four) is the payload length, or for
// StatusInt the value itself.
const (
	StatusOK       = 0 // msgpack result in the out buffer (length 0 means None)
	StatusInt      = 1 // an integer result carried in the word itself
	StatusGoError  = 2 // msgpack [message, go_type, callback token, context kind]
	StatusPanic    = 3 // msgpack [message, go_type, go_stack]
	StatusArgError = 4 // msgpack [kind, path, message]
	StatusABIError = 5 // msgpack message: the caller broke the ABI
	// StatusCallback: a Python callback raised (or returned what Go could
	// not take) in a func without an error result; msgpack [token, message],
	// token naming the exception Python kept (0: none).
	StatusCallback = 6
	// StatusWrote: the call changed arguments Python passed as a list or
	// dict (rt/writeback.go); msgpack [{position: new value}, result].
	StatusWrote = 7
	// FlagBig marks a payload that did not fit the out buffer: it lives in
	// pinned Go memory whose address and length are in the out header, until
	// Python calls usegolib_release_result.
	FlagBig = 8
)

// Out buffer header: Python writes the data capacity at offset 0 when it
// creates the buffer; Go writes a big payload's address and length.
const (
	HeaderSize    = 32
	offCapacity   = 0
	offBigAddress = 8
	offBigLength  = 16
	offBigID      = 24 // what usegolib_release_result takes
)

// immediateLimit bounds integers returned in the status word (60 signed
// bits), so that the common "returns an int" call needs no decoding.
const immediateLimit = 1 << 59

// Func is a generated call: it decodes its arguments from c.In, calls Go and
// appends its results to c.Out.
type Func func(c *Call) error

// Call is the state of one call.
type Call struct {
	In        codec.Reader
	Out       []byte
	base      []byte // the caller's out buffer, to tell when Out outgrew it
	immediate int64
	hasInt    bool
	wrote     bool // the result follows the new values of arguments (BeginWrites)
	// lastSource, lastCopy, lastWritable: the memory the last argument
	// decoded was copied from, the copy, and whether Python may see
	// writes into it (rt/writeback.go).
	lastSource, lastCopy []byte
	lastWritable         bool
	// returned is set when the call is over: a Python callback passed to it
	// may outlive it, and can then no longer fail the call.
	returned bool
	// ctx is the context made for a function that takes one (ReadContext);
	// endContext cancels it and unregisters it when the call is over.
	ctx        context.Context
	endContext func()
	// kept: something that may outlive the call refers to it (a
	// callback, a registered context), so it is not reused.
	kept bool
}

// Dispatch runs call id of table on the argument bytes and writes the
// result into the out buffer. It is the body of the exported usegolib_call.
func Dispatch(table []Func, id int32, args unsafe.Pointer, argsLen int32, out unsafe.Pointer) int64 {
	header, base := outBuffer(out)
	var in []byte
	if argsLen > 0 {
		in = unsafe.Slice((*byte)(args), int(argsLen))
	}
	c := newCall(in, base)
	status := c.dispatch(table, id) // never panics: run recovers the slot's panics
	return c.finish(header, base, status)
}

// calls are Calls to reuse: a call's allocation costs as much as a small
// call's decoding and encoding together.
var calls = sync.Pool{New: func() any { return new(Call) }}

// newCall prepares a call reading in and appending its result to base.
func newCall(in, base []byte) *Call {
	c := calls.Get().(*Call)
	if len(in) > 0 {
		c.In = codec.NewReader(in)
	}
	c.In.Context = c
	c.Out, c.base = base, base
	return c
}

// recycle makes c another call's, unless a callback or a context made
// during the call still refers to it (kept).
func (c *Call) recycle() {
	if c.kept {
		return
	}
	*c = Call{}
	calls.Put(c)
}

// dispatch runs the slot and ends the call's context unless a returned
// channel or handle now owns it.
func (c *Call) dispatch(table []Func, id int32) int64 {
	status := run(table, id, c)
	c.returned = true
	if c.endContext != nil && !((status == StatusOK || status == StatusWrote) && attachContext(c.Out, c.endContext)) {
		c.endContext()
	}
	return status
}

// word is the returned word of a call whose result is an immediate integer
// or fits the caller's buffer; false when the result outgrew it.
func (c *Call) word(status int64) (int64, bool) {
	if c.hasInt {
		return c.immediate<<4 | StatusInt, true
	}
	if len(c.Out) > 0 && unsafe.SliceData(c.Out) != unsafe.SliceData(c.base) {
		return 0, false
	}
	return int64(len(c.Out))<<4 | status, true
}

func writeBigHeader(header []byte, addr uintptr, length int, id uint64) {
	binary.LittleEndian.PutUint64(header[offBigAddress:], uint64(addr))
	binary.LittleEndian.PutUint64(header[offBigLength:], uint64(length))
	binary.LittleEndian.PutUint64(header[offBigID:], id)
}

// run calls the slot and turns errors and panics into a status; a panic in
// Go code never unwinds into Python.
func run(table []Func, id int32, c *Call) (status int64) {
	returned := false
	defer func() {
		if returned {
			return // the usual end: no recover() to pay for
		}
		if s, ok := c.recovered(id, recover(), false); ok {
			status = s
		}
	}()
	status = runSlot(table, id, c)
	returned = true
	return status
}

// recovered is the status of call id whose slot panicked with p, written
// into c; false when it did not panic: it returned, or it called
// runtime.Goexit, which this says (goexitNotice) as the process ends.
func (c *Call) recovered(id int32, p any, returned bool) (int64, bool) {
	switch cp, isCallback := p.(*callbackPanic); {
	case p == nil:
		if !returned {
			goexitNotice(id)
		}
		return 0, false
	case isCallback:
		return c.callbackFailed(cp), true
	default:
		return c.panicked(p), true
	}
}

// callNames name the slots of the call table, for the one message Go must
// print itself (goexitNotice); the bridge sets them.
var callNames []string

// SetCallNames gives the runtime the names of the call table's slots.
func SetCallNames(names []string) { callNames = names }

// goexitNotice says which call ended its goroutine with runtime.Goexit. It
// cannot be stopped, and on a thread Go did not create (a call from C) the
// runtime then ends the process with a fatal error naming only itself.
func goexitNotice(id int32) {
	name := fmt.Sprintf("call %d", id)
	if id >= 0 && int(id) < len(callNames) {
		name = callNames[id]
	}
	fmt.Fprintf(os.Stderr, "usegolib: %s called runtime.Goexit, which ends the process when Go is called from Python "+
		"(a function must return or panic; see usegolib's docs/abi.md, \"Panic recovery\")\n", name)
}

// runSlot calls slot id of table (or a builtin).
func runSlot(table []Func, id int32, c *Call) int64 {
	var f Func
	switch {
	case id >= 0 && int(id) < len(table):
		f = table[id]
	case id < 0 && int(-id-1) < len(builtins):
		f = builtins[-id-1]
	default:
		return c.abiError(fmt.Sprintf("no call with id %d", id))
	}
	if err := f(c); err != nil {
		return c.fail(err)
	}
	if c.wrote {
		return StatusWrote
	}
	return StatusOK
}

// ReturnInt sets an integer result, carried in the status word when small.
func (c *Call) ReturnInt(v int64) {
	if v >= -immediateLimit && v < immediateLimit && !c.wrote {
		c.immediate, c.hasInt = v, true
		return
	}
	c.Out = codec.AppendInt(c.Out, v)
}

// ReturnUint sets an unsigned integer result.
func (c *Call) ReturnUint(v uint64) {
	if v < immediateLimit && !c.wrote {
		c.immediate, c.hasInt = int64(v), true
		return
	}
	c.Out = codec.AppendUint(c.Out, v)
}

// Args reads the argument array header and checks the count.
func (c *Call) Args(n int) error {
	got, err := c.In.ReadArrayHeader()
	if err != nil {
		return &ABIError{Msg: "arguments must be a msgpack array: " + err.Error()}
	}
	if got != n {
		return &ABIError{Msg: fmt.Sprintf("expected %d arguments, got %d", n, got)}
	}
	return nil
}

// VarArgs reads the argument array header of a variadic call and returns
// how many values the variadic parameter receives.
func (c *Call) VarArgs(fixed int) (int, error) {
	got, err := c.In.ReadArrayHeader()
	if err != nil {
		return 0, &ABIError{Msg: "arguments must be a msgpack array: " + err.Error()}
	}
	if got < fixed {
		return 0, &ABIError{Msg: fmt.Sprintf("expected at least %d arguments, got %d", fixed, got)}
	}
	return got - fixed, nil
}

// reset discards a partial result (the call failed or panicked while its
// results were being encoded), releasing the handles it had issued: Python
// never sees them, so nobody else would.
func (c *Call) reset() {
	releaseHandlesIn(c.Out)
	c.Out, c.hasInt, c.wrote = c.base, false, false
}

func (c *Call) abiError(msg string) int64 {
	c.reset()
	c.Out = codec.AppendString(c.Out, msg)
	return StatusABIError
}
