package rt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"usegolib.local/shim/codec"
)

// sentinels returns the module's exported error variables, in the
// manifest's order; set by the bridge (SetSentinels).
var sentinels = func() []error { return nil }

// SetSentinels is called by the bridge with its error variables.
func SetSentinels(f func() []error) { sentinels = f }

// standardSentinels are the standard library's errors Python has
// exceptions for (usegolib.errors), by the names Python knows them by.
var standardSentinels = []struct {
	name string
	err  error
}{
	{"io.EOF", io.EOF},
	{"io.ErrUnexpectedEOF", io.ErrUnexpectedEOF},
	{"io.ErrClosedPipe", io.ErrClosedPipe},
	{"io/fs.ErrNotExist", fs.ErrNotExist},
	{"io/fs.ErrExist", fs.ErrExist},
	{"io/fs.ErrPermission", fs.ErrPermission},
	{"io/fs.ErrClosed", fs.ErrClosed},
	{"io/fs.ErrInvalid", fs.ErrInvalid},
	{"context.Canceled", context.Canceled},
	{"context.DeadlineExceeded", context.DeadlineExceeded},
	{"errors.ErrUnsupported", errors.ErrUnsupported},
}

// errorMatchItems is the number of items appendErrorMatches appends.
const errorMatchItems = 4

// appendErrorMatches appends what Python needs to raise the right
// exception for err: the standard sentinels and the module's error
// variables err Is (errors.Is), the first error in its chain that is a
// value of one of the module's classes (as errors.As would find it,
// outermost first) as a handle, and the chain of wrapped errors as
// [message, Go type] pairs.
func appendErrorMatches(b []byte, err error) []byte {
	var std []string
	for _, s := range standardSentinels {
		if errors.Is(err, s.err) {
			std = append(std, s.name)
		}
	}
	b = codec.AppendArrayHeader(b, len(std))
	for _, name := range std {
		b = codec.AppendString(b, name)
	}
	var ids []int
	for id, s := range sentinels() {
		if s != nil && errors.Is(err, s) {
			ids = append(ids, id)
		}
	}
	b = codec.AppendArrayHeader(b, len(ids))
	for _, id := range ids {
		b = codec.AppendInt(b, int64(id))
	}
	chain := unwrapChain(err)
	b = appendErrorValue(b, chain)
	b = codec.AppendArrayHeader(b, len(chain)-1)
	for _, e := range chain[1:] {
		b = codec.AppendArrayHeader(b, 2)
		b = codec.AppendString(b, e.Error())
		b = codec.AppendString(b, fmt.Sprintf("%T", e))
	}
	return b
}

// errorValueEncoder appends [type id, value] for an error of one of the
// module's error types; set by the bridge.
var errorValueEncoder = func(b []byte, err error) ([]byte, bool) { return b, false }

// SetErrorValueEncoder installs the bridge's switch over its error types.
func SetErrorValueEncoder(f func(b []byte, err error) ([]byte, bool)) { errorValueEncoder = f }

// appendErrorValue appends the first error of the chain that is of one of
// the module's error types, as [type id, value] (a class's value is its
// handle), or nil.
func appendErrorValue(b []byte, chain []error) []byte {
	for _, e := range chain {
		if out, ok := errorValueEncoder(b, e); ok {
			return out
		}
	}
	return codec.AppendNil(b)
}

// unwrapChain lists err and the errors it wraps, depth first, as
// errors.Is and errors.As visit them (Unwrap() error and Unwrap() []error).
func unwrapChain(err error) []error {
	var out []error
	var visit func(error)
	visit = func(e error) {
		for e != nil && len(out) < maxChain {
			out = append(out, e)
			switch u := e.(type) {
			case interface{ Unwrap() error }:
				e = u.Unwrap()
			case interface{ Unwrap() []error }:
				for _, inner := range u.Unwrap() {
					visit(inner)
				}
				return
			default:
				return
			}
		}
	}
	visit(err)
	return out
}

// maxChain bounds the chain sent to Python: an error may wrap itself.
const maxChain = 64
