package rt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"usegolib.local/shim/codec"
)

// Python callables passed where Go wants a func (docs/abi.md, Callbacks).
// Python registers each under an id and sends ExtCallback; the generated
// decoder of the func type wraps it in a Go func of the right signature that
// encodes its arguments, calls Python through the function pointer Python
// set at load, and decodes the results.

// Operations of the Python callback entry point.
const (
	callbackCall = 0 // call callable id with msgpack arguments
	// callbackLost: a failure nobody can raise; msgpack [callable id,
	// token of the kept exception (0: none), message]. Python reports it.
	callbackLost = 2
)

// Callback is a Python callable as Go holds it.
type Callback struct {
	id uint64
	// call is the call that received the callback, and thread the OS
	// thread it ran on: a failure there unwinds that call and raises in
	// Python. While a call from C runs, its goroutine is locked to the
	// thread, and no other goroutine runs there: being on the thread while
	// the call runs is being on its goroutine.
	call   *Call
	thread uint64
}

// released collects the ids of callbacks Go no longer holds, for Python to
// drop (builtin -4); a finalizer must not call into Python.
var released = struct {
	sync.Mutex
	ids []uint64
}{}

// ReadCallback reads a Python callable standing for a func, if the next
// value is one (ok false and no error otherwise: the caller reads a handle).
func ReadCallback(r *codec.Reader) (cb *Callback, ok bool, err error) {
	if kind, err := r.NextKind(); err != nil || kind != codec.KindExt {
		return nil, false, nil
	}
	save := *r
	typ, data, err := r.ReadExt()
	if err != nil || typ != ExtCallback {
		*r = save
		return nil, false, nil
	}
	if len(data) != 8 {
		return nil, true, &ABIError{Msg: "a callback id is 8 bytes"}
	}
	return newCallback(binary.BigEndian.Uint64(data), r), true, nil
}

// newCallback holds Python's callable id for the call reading r; Python
// forgets the callable once Go has dropped it.
func newCallback(id uint64, r *codec.Reader) *Callback {
	cb := &Callback{id: id, thread: threadID()}
	if c, ok := r.Context.(*Call); ok {
		cb.call, c.kept = c, true
	}
	runtime.SetFinalizer(cb, func(cb *Callback) {
		released.Lock()
		released.ids = append(released.ids, cb.id)
		released.Unlock()
	})
	return cb
}

// Args starts the arguments of a call of the callback.
func (cb *Callback) Args(n int) []byte { return codec.AppendArrayHeader(nil, n) }

// Invoke calls the Python callable and returns a reader over its result,
// and settle, which the caller calls once it has decoded the result.
func (cb *Callback) Invoke(args []byte) (result codec.Reader, settle func(), err error) {
	status, r := callPython(callbackCall, cb.id, args)
	runtime.KeepAlive(cb)
	switch status {
	case entryOK:
		return codec.NewReader(r.data), r.settle, nil
	case entryRaised:
		return codec.Reader{}, r.settle, raised(r.data)
	case entryGone:
		noticeGone()
		return codec.Reader{}, r.settle, ErrPythonExiting
	default:
		return codec.Reader{}, r.settle, &PythonError{Message: "failed in usegolib's entry point (Python printed why on stderr)"}
	}
}

// ErrPythonExiting is what a callback gives Go once the interpreter has
// begun to exit: the Python callable is not run.
var ErrPythonExiting = &PythonError{Message: "was not run: the Python interpreter is exiting"}

// PythonError is a Python exception raised in a callback, as Go sees it.
type PythonError struct {
	Message string // what happened, after "Python callback": "raised ValueError: …"
	token   uint64 // the exception Python kept, to raise it again
}

func (e *PythonError) Error() string { return "Python callback " + e.Message }

func raised(payload []byte) error {
	r := codec.NewReader(payload)
	var token uint64
	var msg string
	n, err := r.ReadArrayHeader()
	if err == nil && n == 2 {
		token, err = r.ReadUint64()
		if err == nil {
			msg, err = r.ReadString()
		}
	}
	if err != nil {
		return &ABIError{Msg: "malformed callback failure: " + err.Error()}
	}
	return &PythonError{Message: "raised " + msg, token: token}
}

// ResultError wraps what Go could not take from a callback's result.
func ResultError(err error) error {
	why := err.Error()
	if ce, ok := err.(*ConvError); ok && ce.Path() == "" {
		why = ce.Msg // the result itself, not a value inside it
	}
	return &PythonError{Message: "returned a result Go cannot take: " + why}
}

// Results checks the shape of a callback's result for n Go results: one
// value for one, an array of n for more, anything (None) for none.
func Results(r *codec.Reader, n int) error {
	switch n {
	case 0:
		return nil
	case 1:
		return nil
	}
	got, err := r.ReadArrayHeader()
	if err != nil {
		return ResultError(fmt.Errorf("expected a tuple of %d values: %v", n, err))
	}
	if got != n {
		return ResultError(fmt.Errorf("expected a tuple of %d values, got %d", n, got))
	}
	return nil
}

// callbackPanic unwinds Go code from a failed callback to the call that
// received it, as the Python exception unwinds Python code.
type callbackPanic struct{ err *PythonError }

// Fail handles a failed callback of a func without an error result: on
// the goroutine of the call that passed it, while that call runs, it
// unwinds to the call (Go's deferred functions run), which raises the
// Python exception; anywhere else nothing can receive it, so Python reports
// it as unraisable and the func returns zero values.
func (cb *Callback) Fail(err error) {
	var pe *PythonError
	if !errors.As(err, &pe) {
		pe = &PythonError{Message: "failed: " + err.Error()}
	}
	if cb.call != nil && !cb.call.returned && threadID() == cb.thread {
		panic(&callbackPanic{pe})
	}
	if pe == ErrPythonExiting {
		return // Python is gone: nobody to tell but stderr, told once by Invoke
	}
	report := codec.AppendArrayHeader(nil, 3)
	report = codec.AppendUint(report, cb.id)
	report = codec.AppendUint(report, pe.token)
	report = codec.AppendString(report, pe.Message)
	callPython(callbackLost, cb.id, report)
}

func (c *Call) callbackFailed(p *callbackPanic) int64 {
	c.reset()
	c.Out = codec.AppendArrayHeader(c.Out, 2)
	c.Out = codec.AppendUint(c.Out, p.err.token)
	c.Out = codec.AppendString(c.Out, p.err.Message)
	return StatusCallback
}

// pythonToken finds the Python exception behind err, if any.
func pythonToken(err error) uint64 {
	var pe *PythonError
	if errors.As(err, &pe) {
		return pe.token
	}
	return 0
}

// threadID names the current OS thread; the bridge sets it to a C
// function (SetThreadID). Without one, the goroutine's id stands in: it
// says the same for a call's goroutine, at the cost of a traceback.
var threadID = goroutineID

// SetThreadID is called by the bridge at load.
func SetThreadID(f func() uint64) { threadID = f }

// goroutineID reads the current goroutine's id from its stack header
// ("goroutine 7 [running]:").
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		id, _ := strconv.ParseUint(string(b[:i]), 10, 64)
		return id
	}
	return 0
}

// releasedCallbacks returns (and forgets) the ids of callbacks Go dropped.
func releasedCallbacks(c *Call) error {
	if err := c.Args(0); err != nil {
		return err
	}
	runtime.GC() // finalizers of dropped callbacks run after a collection
	released.Lock()
	ids := released.ids
	released.ids = nil
	released.Unlock()
	c.Out = codec.AppendArrayHeader(c.Out, len(ids))
	for _, id := range ids {
		c.Out = codec.AppendUint(c.Out, id)
	}
	return nil
}
