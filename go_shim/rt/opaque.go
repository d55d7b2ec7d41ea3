package rt

import (
	"reflect"

	"usegolib.local/shim/codec"
)

// Values of types generated code cannot name (see scan.OpaqueNamed) reach
// these through type parameters Go inferred; they travel as handles.

// EncodeOpaque appends a handle of class for v, or nil for a nil pointer
// or interface.
func EncodeOpaque[T any](b []byte, v T, class uint32) []byte {
	if isNil(v) {
		return codec.AppendNil(b)
	}
	return AppendHandle(b, class, v, nil)
}

// DecodeOpaque reads a handle holding a T, or None for a T that can be nil.
func DecodeOpaque[T any](r *codec.Reader, v *T) error {
	if r.IsNil() && canBeNil[T]() {
		var zero T
		*v = zero
		return r.ReadNil()
	}
	h, err := readHandle(r)
	if err != nil {
		return err
	}
	x, ok := h.obj.(T)
	if !ok {
		return handleMismatch[T](h)
	}
	*v = x
	return nil
}

func isNil[T any](v T) bool {
	x := any(v)
	if x == nil {
		return true // a nil interface
	}
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

func canBeNil[T any]() bool {
	switch reflect.TypeFor[T]().Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return true
	}
	return false
}
