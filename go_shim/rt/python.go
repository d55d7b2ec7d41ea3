package rt

import (
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"time"
	"unsafe"
)

// The way from Go into Python (docs/abi.md, Callbacks): the entry point
// Python gave at load, the replies it copies into Go memory, and the gate
// that keeps Go out of an interpreter that is exiting.

// PythonEntry calls the Python entry point: op, an id, msgpack bytes, and
// the reply id under which Python hands its answer to Reply before it
// returns. It returns the entry point's status.
type PythonEntry func(op int32, id uint64, args []byte, reply uint64) int32

var pythonEntry PythonEntry

// SetPythonEntry is called by the bridge at load.
func SetPythonEntry(f PythonEntry) { pythonEntry = f }

// Statuses of the Python entry point. Zero is what ctypes answers when the
// entry point itself raised, so it is never a success.
const (
	entryFailed = 0 // the entry point failed; Python printed why
	entryOK     = 1 // the reply is the msgpack result (none for None)
	entryRaised = 2 // the reply is msgpack [token, message]
	entryGone   = 3 // not sent by Python: the interpreter is exiting, Go did not call
)

// replies hold what Python answered, by reply id. A callback's result must
// be in Go's memory before the entry point returns: nothing in Python keeps
// it alive afterwards (on a thread Go created, ctypes may end the thread
// state of the callback, and what it held, as the callback returns).
var replies = struct {
	sync.Mutex
	next    uint64
	pending map[uint64]*reply
}{pending: map[uint64]*reply{}}

type reply struct {
	data []byte
	// handles Go made for the handles in data: Python may release its own
	// as soon as the entry point returns, before Go decodes them.
	handles []uint64
}

func openReply() (uint64, *reply) {
	r := new(reply)
	replies.Lock()
	replies.next++
	id := replies.next
	replies.pending[id] = r
	replies.Unlock()
	return id, r
}

func closeReply(id uint64) {
	replies.Lock()
	delete(replies.pending, id)
	replies.Unlock()
}

// Reply copies Python's answer to reply id into Go memory; it is the body
// of usegolib_callback_reply, which Python calls before its entry point
// returns, while it still holds the objects of the answer. False for an id
// that is not waiting for an answer.
func Reply(id uint64, data unsafe.Pointer, length int) bool {
	replies.Lock()
	r := replies.pending[id]
	replies.Unlock()
	if r == nil || length < 0 || (length > 0 && data == nil) {
		return false
	}
	r.data = append([]byte(nil), unsafe.Slice((*byte)(data), length)...)
	r.handles = claimHandles(r.data)
	return true
}

// claimHandles gives Go a handle of its own for every handle Python sent
// in b (an 8-byte id), writing the new id over the old one; the caller
// releases them once b is decoded. Unknown ids are left for the decoder to
// report.
func claimHandles(b []byte) []uint64 {
	var claimed []uint64
	extsIn(b, func(typ int8, data []byte) {
		if typ != ExtHandle || len(data) != 8 {
			return
		}
		if h, ok := lookupHandle(binary.BigEndian.Uint64(data)); ok {
			id := newHandle(handle{obj: h.obj, value: h.value})
			binary.BigEndian.PutUint64(data, id)
			claimed = append(claimed, id)
		}
	})
	return claimed
}

// exiting keeps Go out of Python once the interpreter starts to exit: a
// thread that enters Python after that is ended by Python (or hangs), and
// on a thread of Go's own that ends the process.
var exiting = struct {
	sync.Mutex
	inflight int
	gone     bool
	idle     chan struct{} // closed when the last call under way returns, once gone
	noticed  bool
}{}

// enterPython counts a call into Python; false once Python is exiting.
func enterPython() bool {
	exiting.Lock()
	defer exiting.Unlock()
	if exiting.gone {
		return false
	}
	exiting.inflight++
	return true
}

func leavePython() {
	exiting.Lock()
	exiting.inflight--
	if exiting.inflight == 0 && exiting.idle != nil {
		close(exiting.idle)
		exiting.idle = nil
	}
	exiting.Unlock()
}

// PythonExiting closes the way into Python and waits, up to wait, for the
// calls into it that are under way; it returns how many still run. Python
// calls it (usegolib_python_exiting) from an exit handler, with the GIL
// released, so those calls can finish. A callback that blocks longer (on
// a queue nobody will fill) must not hold the exit forever: Python's
// daemon threads do not either.
func PythonExiting(wait time.Duration) int {
	exiting.Lock()
	exiting.gone = true
	if exiting.inflight == 0 {
		exiting.Unlock()
		return 0
	}
	if exiting.idle == nil {
		exiting.idle = make(chan struct{})
	}
	idle := exiting.idle
	exiting.Unlock()
	select {
	case <-idle:
		return 0
	case <-time.After(wait):
		exiting.Lock()
		defer exiting.Unlock()
		return exiting.inflight
	}
}

// noticeGone says once per library that a callback was refused because
// the interpreter was exiting: without it Go's zero values would go
// unexplained. Nothing else can be told: Python is no longer there.
func noticeGone() {
	exiting.Lock()
	first := !exiting.noticed
	exiting.noticed = true
	exiting.Unlock()
	if first {
		fmt.Fprintln(os.Stderr, "usegolib: Go called a Python callback while the interpreter was exiting; "+
			"it was not run, and Go got an error or zero values (see usegolib's docs/abi.md, Callbacks)")
	}
}

// callPython runs op in Python and returns its status and reply, or
// entryGone without calling when the interpreter is exiting.
func callPython(op int32, id uint64, args []byte) (int32, *reply) {
	if pythonEntry == nil || !enterPython() {
		return entryGone, &reply{}
	}
	defer leavePython()
	rid, r := openReply()
	defer closeReply(rid)
	status := pythonEntry(op, id, args, rid)
	return status, r
}

// settle releases the handles Go claimed for a reply, once it is decoded.
func (r *reply) settle() {
	for _, id := range r.handles {
		ReleaseHandle(id)
	}
}
