package rt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"
	"testing"
	"time"
	"unsafe"

	"usegolib.local/shim/codec"
)

// withEntry runs f with entry as the Python entry point and a fresh exit
// gate, restoring both afterwards.
func withEntry(t *testing.T, entry PythonEntry, f func()) {
	t.Helper()
	saved := pythonEntry
	pythonEntry = entry
	exiting.Lock()
	exiting.gone, exiting.inflight = false, 0
	exiting.Unlock()
	defer func() {
		pythonEntry = saved
		exiting.Lock()
		exiting.gone = false
		exiting.Unlock()
	}()
	f()
}

// answer is an entry point that replies with its arguments reversed from
// a buffer it scribbles over afterwards, as Python frees its object.
func answer(op int32, id uint64, args []byte, reply uint64) int32 {
	buf := make([]byte, len(args))
	for i, b := range args {
		buf[len(buf)-1-i] = b
	}
	if !Reply(reply, unsafe.Pointer(unsafe.SliceData(buf)), len(buf)) {
		return entryFailed
	}
	for i := range buf {
		buf[i] = 0xEE
	}
	return entryOK
}

func TestRepliesAreCopiedBeforeTheEntryPointReturns(t *testing.T) {
	withEntry(t, answer, func() {
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for g := 0; g < 64; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 200; i++ {
					in := fmt.Sprintf("goroutine %d call %d", g, i)
					status, r := callPython(callbackCall, 1, []byte(in))
					out := r.data
					want := []byte(in)
					for a, b := 0, len(want)-1; a < b; a, b = a+1, b-1 {
						want[a], want[b] = want[b], want[a]
					}
					if status != entryOK || string(out) != string(want) {
						errs <- fmt.Errorf("%q: status %d, reply %q", in, status, out)
						return
					}
				}
			}(g)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
	if len(replies.pending) != 0 {
		t.Errorf("%d replies left open", len(replies.pending))
	}
}

func TestAReplyToAnUnknownIDIsRefused(t *testing.T) {
	b := []byte("x")
	if Reply(1<<62, unsafe.Pointer(&b[0]), 1) {
		t.Error("a reply nobody waits for was taken")
	}
}

func TestExitWaitsForCallsUnderWayAndRefusesLaterOnes(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	slow := func(op int32, id uint64, args []byte, reply uint64) int32 {
		close(entered)
		<-release
		return entryOK
	}
	withEntry(t, slow, func() {
		done := make(chan int32)
		go func() {
			status, _ := callPython(callbackCall, 1, nil)
			done <- status
		}()
		<-entered
		exited := make(chan struct{})
		go func() { PythonExiting(time.Minute); close(exited) }()
		select {
		case <-exited:
			t.Fatal("PythonExiting returned while a callback was in Python")
		case <-time.After(50 * time.Millisecond):
		}
		close(release)
		<-exited
		if status := <-done; status != entryOK {
			t.Errorf("the callback under way ended with status %d", status)
		}
		if status, _ := callPython(callbackCall, 1, nil); status != entryGone {
			t.Errorf("a callback after exit got status %d, want entryGone", status)
		}
	})
}

func TestACallbackAfterExitIsAnErrorWithoutCallingPython(t *testing.T) {
	called := false
	withEntry(t, func(int32, uint64, []byte, uint64) int32 { called = true; return entryOK }, func() {
		PythonExiting(time.Minute)
		_, _, err := (&Callback{id: 7}).Invoke(nil)
		if err != ErrPythonExiting || called {
			t.Errorf("err %v, Python called %v", err, called)
		}
	})
}

func TestHandlesInAReplyOutliveTheirReleaseByPython(t *testing.T) {
	box := &struct{ label string }{"kept"}
	python := newHandle(handle{obj: box})
	payload := codec.AppendExtHeader(nil, ExtHandle, 8)
	payload = binary.BigEndian.AppendUint64(payload, python)
	before := HandleCount()
	entry := func(op int32, id uint64, args []byte, rid uint64) int32 {
		Reply(rid, unsafe.Pointer(&payload[0]), len(payload))
		ReleaseHandle(python) // Python drops its object as the callback returns
		return entryOK
	}
	withEntry(t, entry, func() {
		result, settle, err := (&Callback{id: 1}).Invoke(nil)
		if err != nil {
			t.Fatal(err)
		}
		h, err := readHandle(&result)
		if err != nil || h.obj != box {
			t.Fatalf("decoded %v, %v", h.obj, err)
		}
		settle()
	})
	if HandleCount() != before-1 {
		t.Errorf("%d handles left, want %d", HandleCount(), before-1)
	}
}

// FuzzCallbackResult hands arbitrary bytes to Go as a callback's result,
// some of them naming a live handle: claiming handles never panics, the
// result decodes or fails with an error, and settling leaves exactly the
// handles there were before.
//
//	go test ./rt -run '^$' -fuzz FuzzCallbackResult -fuzztime 10m
func FuzzCallbackResult(f *testing.F) {
	handleArg := func(id uint64) []byte {
		b := codec.AppendExtHeader(nil, ExtHandle, 8)
		return binary.BigEndian.AppendUint64(b, id)
	}
	f.Add(codec.AppendString(nil, "a result"))
	f.Add(append(codec.AppendArrayHeader(nil, 2), append(handleArg(1), handleArg(1)...)...))
	f.Add(append(codec.AppendMapHeader(nil, 1), append(codec.AppendString(nil, "k"), handleArg(99)...)...))
	f.Add([]byte{0x92, 0xd7, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		live := newHandle(handle{obj: new(int)})
		defer ReleaseHandle(live)
		data = bytes.ReplaceAll(data, handleArg(1), handleArg(live)) // seeds name the live handle as 1
		before := HandleCount()
		entry := func(op int32, id uint64, args []byte, rid uint64) int32 {
			if len(data) > 0 && !Reply(rid, unsafe.Pointer(&data[0]), len(data)) {
				t.Fatal("the reply was refused")
			}
			return entryOK
		}
		withEntry(t, entry, func() {
			result, settle, err := (&Callback{id: 1}).Invoke(nil)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			_ = DecodeAny(&result, &v) // an error is fine; a panic is not
			settle()
		})
		if HandleCount() != before {
			t.Fatalf("%d handles after settling, %d before, for %x", HandleCount(), before, data)
		}
	})
}

func TestExitWaitsNoLongerThanItIsToldTo(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	blocked := func(op int32, id uint64, args []byte, reply uint64) int32 {
		close(entered)
		<-release
		return entryOK
	}
	withEntry(t, blocked, func() {
		done := make(chan struct{})
		go func() { callPython(callbackCall, 1, nil); close(done) }()
		<-entered
		if n := PythonExiting(20 * time.Millisecond); n != 1 {
			t.Errorf("PythonExiting says %d calls still run, want 1", n)
		}
		close(release)
		<-done
	})
}
