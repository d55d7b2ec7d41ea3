package rt

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"

	"usegolib.local/shim/codec"
)

// Conversion error kinds; Python raises TypeError, OverflowError and
// ValueError for them.
const (
	KindType     = "type"
	KindOverflow = "overflow"
	KindValue    = "value"
)

// ConvError is a value that could not be converted to its Go type. It
// collects the path to the bad value (innermost element first) as it
// propagates out of nested decoders.
type ConvError struct {
	Kind string
	Msg  string
	path []string
}

func (e *ConvError) Error() string { return e.Path() + ": " + e.Msg }

// Path spells where the value was, e.g. "points[2].x".
func (e *ConvError) Path() string {
	var b strings.Builder
	for i := len(e.path) - 1; i >= 0; i-- {
		b.WriteString(e.path[i])
	}
	return b.String()
}

// ABIError means the caller sent something the ABI does not allow; with
// the Python runtime it indicates a bug, not a user error.
type ABIError struct{ Msg string }

func (e *ABIError) Error() string { return e.Msg }

// goError carries an error returned by the Go function being called.
type goError struct{ err error }

func (e *goError) Error() string { return e.err.Error() }

// GoErr wraps the final error result of a bridged function.
func GoErr(err error) error { return &goError{err} }

// At records that err happened inside elem, e.g. "[3]" or ".name".
func At(err error, elem string) error {
	var ce *ConvError
	if !errors.As(err, &ce) {
		ce = asConvError(err, "")
	}
	ce.path = append(ce.path, elem)
	return ce
}

// Index spells a list position for At.
func Index(i int) string { return "[" + strconv.Itoa(i) + "]" }

// Key spells a record key for At.
func Key(k string) string { return "." + k }

// MapKey spells a map key for At the way Python would write it: m['k'].
func MapKey(k any) string {
	if v := reflect.ValueOf(k); v.Kind() == reflect.String {
		return "['" + strings.ReplaceAll(v.String(), "'", `\'`) + "']"
	}
	if f, ok := k.(*big.Float); ok {
		return "[" + bigFloatText(f) + "]" // %v would expand a huge exponent digit by digit
	}
	return fmt.Sprintf("[%v]", k)
}

// Param records that err happened in the named parameter.
func Param(err error, name string) error { return At(err, name) }

// Fail turns a reader error for a value of Go type goType (spelled by
// the caller only on this error path) into a ConvError.
func Fail(err error, goType string) *ConvError {
	return asConvError(err, goType)
}

func asConvError(err error, goType string) *ConvError {
	var ce *ConvError
	var te *codec.TypeError
	var oe *codec.OverflowError
	switch {
	case errors.As(err, &ce):
		return ce
	case errors.As(err, &te):
		return &ConvError{Kind: KindType, Msg: fmt.Sprintf("expected %s, got %s", describe(goType, te.Want), pythonName(te.Got))}
	case errors.As(err, &oe):
		return &ConvError{Kind: KindOverflow, Msg: fmt.Sprintf("value %s out of range for Go %s", oe.Value, orDefault(goType, oe.Type))}
	}
	return &ConvError{Kind: KindValue, Msg: err.Error()}
}

// TypeMismatch reports a value of the wrong Python type; expected is a
// phrase such as "Go *mod.Point" or "datetime.datetime".
func TypeMismatch(expected, got string) error {
	return &ConvError{Kind: KindType, Msg: fmt.Sprintf("expected %s, got %s", expected, got)}
}

// Overflow reports a value outside the range of a Go type.
func Overflow(value any, goType string) error {
	return &ConvError{Kind: KindOverflow, Msg: fmt.Sprintf("value %v out of range for Go %s", value, goType)}
}

// Invalid reports a value of the right type that Go cannot take.
func Invalid(msg string) error { return &ConvError{Kind: KindValue, Msg: msg} }

// FieldNameError reports a record key or keyword that is not a str.
func FieldNameError(r *codec.Reader, err error) error {
	if k, kerr := r.NextKind(); kerr == nil {
		return TypeMismatch("str field names", pythonName(k)+" key")
	}
	return Fail(err, "")
}

// UnknownField reports a record key or constructor keyword the struct lacks.
func UnknownField(key []byte, goType string) error {
	return &ConvError{Kind: KindType, Msg: fmt.Sprintf("unknown field %q for Go %s", key, goType)}
}

func describe(goType, want string) string {
	if goType == "" {
		return pythonWord(want)
	}
	return "Go " + goType
}

// pythonName names a msgpack kind the way a Python user sees the value.
func pythonName(k codec.Kind) string { return pythonWord(k.String()) }

func pythonWord(w string) string {
	switch w {
	case "nil":
		return "None"
	case "str", "int", "float", "bool", "bytes":
		return w
	case "bin":
		return "bytes"
	case "array":
		return "list"
	case "map":
		return "dict"
	case "ext":
		return "object"
	}
	return w
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// fail encodes an error returned by a call.
func (c *Call) fail(err error) int64 {
	c.reset()
	var ge *goError
	var ce *ConvError
	var ae *ABIError
	switch {
	case errors.As(err, &ge):
		// The third item names a Python exception from a callback behind
		// the error, which Python chains to the GoError; the rest say
		// which exception classes it belongs to (appendErrorMatches).
		c.Out = codec.AppendArrayHeader(c.Out, 3+errorMatchItems)
		c.Out = codec.AppendString(c.Out, ge.err.Error())
		c.Out = codec.AppendString(c.Out, fmt.Sprintf("%T", ge.err))
		c.Out = codec.AppendUint(c.Out, pythonToken(ge.err))
		c.Out = appendErrorMatches(c.Out, ge.err)
		return StatusGoError
	case errors.As(err, &ce):
		c.Out = codec.AppendArrayHeader(c.Out, 3)
		c.Out = codec.AppendString(c.Out, ce.Kind)
		c.Out = codec.AppendString(c.Out, ce.Path())
		c.Out = codec.AppendString(c.Out, ce.Msg)
		return StatusArgError
	case errors.As(err, &ae):
		return c.abiError(ae.Msg)
	}
	return c.abiError(err.Error())
}

// panicked encodes a recovered panic with the stack of the panicking
// goroutine; deferred functions run before unwinding, so the stack still
// shows where the panic happened.
func (c *Call) panicked(p any) int64 {
	stack := debug.Stack()
	c.reset()
	c.Out = codec.AppendArrayHeader(c.Out, 3)
	c.Out = codec.AppendString(c.Out, panicMessage(p))
	c.Out = codec.AppendString(c.Out, fmt.Sprintf("%T", p))
	c.Out = codec.AppendStringBytes(c.Out, panicFrames(stack))
	return StatusPanic
}

// LocalModuleVersion is the version the bridge's go.mod requires modules
// replaced by a local directory at; -trimpath writes it into every file
// path, and stacks read better without it.
const LocalModuleVersion = "v0.0.0-00010101000000-000000000000"

// panicFrames drops the frames of the recovery machinery (debug.Stack, this
// package's deferred function, runtime.gopanic) so the stack starts at the
// code that panicked; the goroutine header line is kept.
func panicFrames(stack []byte) []byte {
	header, rest, ok := bytes.Cut(stack, []byte("\n"))
	if !ok {
		return stack
	}
	i := bytes.Index(rest, []byte("\npanic("))
	if i < 0 {
		return stack
	}
	// Skip the panic( frame itself: its function line and its file line.
	frames := rest[i+1:]
	for n := 0; n < 2; n++ {
		if j := bytes.IndexByte(frames, '\n'); j >= 0 {
			frames = frames[j+1:]
		}
	}
	frames = bytes.ReplaceAll(frames, []byte("@"+LocalModuleVersion+"/"), []byte("/"))
	return append(append(header, '\n'), frames...)
}

func panicMessage(p any) string {
	if err, ok := p.(error); ok {
		return err.Error()
	}
	return fmt.Sprint(p)
}

// WrongLength reports a list whose length does not match a Go array.
func WrongLength(got, want int, goType string) error {
	return Invalid(fmt.Sprintf("expected a list of %d items for Go %s, got %d", want, goType, got))
}
