package rt

import (
	"context"

	"usegolib.local/shim/codec"
)

// The operations of channel handles. Receiving and sending wait for the
// channel or for the call's context, whichever is first, so that Python can
// give up waiting (timeout=, Ctrl-C) without a value being lost.

// ChanRecv receives a value and whether the channel was still open.
func ChanRecv[T any](ctx context.Context, ch <-chan T) (T, bool, error) {
	select {
	case v, ok := <-ch:
		return v, ok, nil
	case <-ctx.Done():
		var zero T
		return zero, false, ctx.Err()
	}
}

// ChanSend sends v.
func ChanSend[T any](ctx context.Context, ch chan<- T, v T) error {
	select {
	case ch <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ChanClose closes the channel; closing it twice panics, as in Go.
func ChanClose[T any](ch chan<- T) {
	close(ch)
}

// DecodeChan reads a channel handle (or None) where Go wants a C. A
// bidirectional channel also passes where Go wants one direction of it, as
// Go's assignability allows.
func DecodeChan[C ~chan T | ~<-chan T | ~chan<- T, T any](r *codec.Reader, v *C) error {
	if r.IsNil() {
		*v = nil
		return r.ReadNil()
	}
	h, err := readHandle(r)
	if err != nil {
		return err
	}
	switch x := h.obj.(type) {
	case C:
		*v = x
	case chan T:
		*v = C(x)
	default:
		return handleMismatch[C](h)
	}
	return nil
}
