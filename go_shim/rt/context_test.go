package rt

import (
	"context"
	"errors"
	"testing"
	"time"

	"usegolib.local/shim/codec"
)

func contextArg(id uint64, timeout int64) func([]byte) []byte {
	return func(b []byte) []byte {
		b = codec.AppendArrayHeader(b, 2)
		b = codec.AppendUint(b, id)
		return codec.AppendInt(b, timeout)
	}
}

func uintArg(v uint64) func([]byte) []byte {
	return func(b []byte) []byte { return codec.AppendUint(b, v) }
}

// waitForContext is a slot of a Go function taking a context: it returns
// the context's error once the context is done.
func waitForContext(c *Call) error {
	if err := c.Args(1); err != nil {
		return err
	}
	if err := c.ReadContext(); err != nil {
		return err
	}
	<-c.Ctx().Done()
	return GoErr(c.Ctx().Err())
}

// standardErrorsOf reads the names of the standard library errors a Go
// error payload says the error Is.
func standardErrorsOf(t *testing.T, payload []byte) []string {
	t.Helper()
	r := codec.NewReader(payload)
	if n, _ := r.ReadArrayHeader(); n != 3+errorMatchItems {
		t.Fatalf("go error payload has %d items", n)
	}
	for i := 0; i < 3; i++ {
		if err := r.Skip(); err != nil {
			t.Fatal(err)
		}
	}
	n, _ := r.ReadArrayHeader()
	names := make([]string, n)
	for i := range names {
		names[i], _ = r.ReadString()
	}
	return names
}

func isOnly(names []string, want string) bool { return len(names) == 1 && names[0] == want }

func TestATimeoutIsTheContextsDeadline(t *testing.T) {
	word, payload := call(t, waitForContext, array(contextArg(0, int64(10*time.Millisecond))))
	if word&7 != StatusGoError || !isOnly(standardErrorsOf(t, payload), "context.DeadlineExceeded") {
		t.Fatalf("status %d, payload %q", word&7, payload)
	}
}

func TestCancellingAnIDCancelsRunningAndLaterCalls(t *testing.T) {
	const id = 4242
	done := make(chan int64)
	go func() {
		word, payload := call(t, waitForContext, array(contextArg(id, -1)))
		if !isOnly(standardErrorsOf(t, payload), "context.Canceled") {
			t.Errorf("payload %q", payload)
		}
		done <- word
	}()
	for {
		contexts.Lock()
		n := len(contexts.running[id])
		contexts.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if word, _ := call(t, cancelContext, array(uintArg(id))); word&7 != StatusOK {
		t.Fatalf("cancel status %d", word&7)
	}
	if word := <-done; word&7 != StatusGoError {
		t.Fatalf("status %d", word&7)
	}
	// A call made with the id afterwards starts cancelled.
	if _, payload := call(t, waitForContext, array(contextArg(id, -1))); !isOnly(standardErrorsOf(t, payload), "context.Canceled") {
		t.Fatalf("payload %q", payload)
	}
	call(t, forgetContext, array(uintArg(id)))
	contexts.Lock()
	defer contexts.Unlock()
	if contexts.canceled[id] || len(contexts.running[id]) != 0 {
		t.Fatal("the id is still remembered")
	}
}

func TestAContextOutlivesItsCallWhileItsHandlesLive(t *testing.T) {
	var ctx context.Context
	returnsHandle := func(c *Call) error {
		if err := c.Args(1); err != nil {
			return err
		}
		if err := c.ReadContext(); err != nil {
			return err
		}
		ctx = c.Ctx()
		c.Out = AppendHandle(c.Out, OpaqueClass, new(int), nil)
		return nil
	}
	_, payload := call(t, returnsHandle, array(contextArg(0, -1)))
	if ctx.Err() != nil {
		t.Fatal("the context ended with the call")
	}
	var ids []uint64
	handlesIn(payload, func(id uint64) { ids = append(ids, id) })
	if len(ids) != 1 {
		t.Fatalf("handles %v", ids)
	}
	ReleaseHandle(ids[0])
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatal("releasing the handle did not end the context")
	}
}

// A call whose context was registered is not reused once it returns: the
// context's end, which a returned handle may call later, unregisters it
// by the Call.
func TestACallWithAContextIsNotReused(t *testing.T) {
	var kept *Call
	keep := func(c *Call) error {
		if err := c.Args(1); err != nil {
			return err
		}
		kept = c
		return c.ReadContext()
	}
	plain := func(c *Call) error {
		if c == kept {
			t.Error("a kept call was handed to another")
		}
		return nil
	}
	args := codec.AppendArrayHeader(nil, 1)
	args = contextArg(7, -1)(args)
	call(t, keep, args)
	if kept == nil || !kept.kept {
		t.Fatal("the call with a context was not marked kept")
	}
	for range 100 {
		call(t, plain, codec.AppendArrayHeader(nil, 0))
	}
}
