package rt

import (
	"unsafe"

	"usegolib.local/shim/codec"
)

// Shared memory: a []byte or numbers parameter that the compiler's escape
// analysis proves its function does not keep (scan/escape.go marks it) is
// given the memory of a writable Python buffer itself, without a copy. The
// function cannot hold on to the slice after it returns, and Python keeps
// the buffer exported until then, so Go never sees the memory outside the
// call. Its writes land in the Python object, as a Go caller sees a callee's
// writes to a slice it passed.
//
// Python sends such buffers as ExtShared (ExtBorrowed's payload); anything
// else, or memory these decoders cannot use in place (misaligned for the
// item type, of another item format), goes to the parameter's usual
// decoder, which copies it.

// DecodeSharedNumbers reads a numbers parameter, in place when it can
// (shared is then true).
func DecodeSharedNumbers[S ~[]T, T Number](r *codec.Reader, v *S, usual func(*codec.Reader, *S) error) (shared bool, err error) {
	var zero T
	size := int(unsafe.Sizeof(zero))
	memory, ok := sharedMemory(r, []byte{numberFormat[T]()}, size)
	if !ok {
		return false, usual(r, v)
	}
	*v = S(unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(memory))), len(memory)/size))
	return true, nil
}

// DecodeSharedBytes reads a []byte parameter, in place when it can
// (shared is then true).
func DecodeSharedBytes[S ~[]byte](r *codec.Reader, v *S, usual func(*codec.Reader, *S) error) (shared bool, err error) {
	memory, ok := sharedMemory(r, nil, 1)
	if !ok {
		return false, usual(r, v)
	}
	*v = S(memory)
	return true, nil
}

// sharedMemory consumes the next value and returns its memory if it is
// ExtShared with this process's token, the item format suffix, and an
// address and length fit for items of size bytes; otherwise it leaves r
// as it was. Empty memory is an empty, non-nil slice, as a copy would be.
func sharedMemory(r *codec.Reader, suffix []byte, size int) ([]byte, bool) {
	if k, _ := r.NextKind(); k != codec.KindExt {
		return nil, false
	}
	peek := *r
	typ, data, err := peek.ReadExt()
	if err != nil || typ != ExtShared {
		return nil, false
	}
	memory, got, err := borrowed(data)
	if err != nil || string(got) != string(suffix) || len(memory)%size != 0 {
		return nil, false
	}
	if len(memory) == 0 {
		memory = []byte{}
	} else if uintptr(unsafe.Pointer(unsafe.SliceData(memory)))%uintptr(size) != 0 {
		return nil, false
	}
	*r = peek
	return memory, true
}
