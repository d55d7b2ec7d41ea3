package rt

import (
	"fmt"
	"unsafe"

	"usegolib.local/shim/codec"
)

// Slices of plain numbers ([]float64, []int32, …) cross as their memory:
// ExtNumbers carries an item format byte (Python's struct/array letters:
// b h i q B H I Q f d) and the items in the machine's byte order, which Go
// and Python share, being one process. Go copies them with one memmove
// either way; Python gets a list (array.array, memoryview or numpy on
// request) and may pass array.array, numpy arrays or any bytes-like object
// instead of a list.

// Number is every Go type whose slices cross as memory.
type Number interface {
	int8 | int16 | int32 | int64 | int | uint16 | uint32 | uint64 | uint | uintptr | float32 | float64
}

// numberFormat is the item format letter of T.
func numberFormat[T Number]() byte {
	var zero T
	switch any(zero).(type) {
	case float64:
		return 'd'
	case float32:
		return 'f'
	case int8:
		return 'b'
	case int16:
		return 'h'
	case int32:
		return 'i'
	case int64:
		return 'q'
	case uint16:
		return 'H'
	case uint32:
		return 'I'
	case uint64:
		return 'Q'
	case int:
		return sizedFormat(unsafe.Sizeof(zero), 'i', 'q')
	}
	return sizedFormat(unsafe.Sizeof(zero), 'I', 'Q') // uint, uintptr
}

func sizedFormat(size uintptr, four, eight byte) byte {
	if size == 4 {
		return four
	}
	return eight
}

// numberBytes is the memory of s.
func numberBytes[T Number](s []T) []byte {
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(zero)))
}

// EncodeNumbers appends a slice of numbers as ExtNumbers (nil as empty).
func EncodeNumbers[S ~[]T, T Number](b []byte, v S) []byte {
	data := numberBytes([]T(v))
	if len(data) >= BorrowMin {
		return appendBorrowed(b, data, numberFormat[T]())
	}
	b = codec.AppendExtHeader(b, ExtNumbers, 1+len(data))
	b = append(b, numberFormat[T]())
	return append(b, data...)
}

// IsNumbers tells whether the next value is numbers as memory: ExtNumbers
// or a bytes-like value, which DecodeNumbers reads; a list is read item by
// item by generated code.
func IsNumbers(r *codec.Reader) bool {
	k, err := r.NextKind()
	return err == nil && (k == codec.KindExt || k == codec.KindBin)
}

// DecodeNumbers reads ExtNumbers of T's format, or a bytes-like value whose
// length is a multiple of T's size, as the items' memory.
func DecodeNumbers[S ~[]T, T Number](r *codec.Reader, v *S) error {
	var zero T
	size := int(unsafe.Sizeof(zero))
	data, writable, err := numberData(r, numberFormat[T]())
	if err != nil {
		return err
	}
	if len(data)%size != 0 {
		return Invalid(fmt.Sprintf("%d bytes are not a whole number of %d-byte items (%T)", len(data), size, zero))
	}
	// Go aligns an allocation to its size's powers of two up to 8: enough
	// for items of a size that divides it.
	memory := clone(data)
	*v = S(unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(memory))), len(data)/size))
	copied(r, data, memory, writable)
	return nil
}

// numberData is the memory of a numbers argument, and whether it is that
// of a Python object that can change (lent as ExtShared).
func numberData(r *codec.Reader, format byte) (data []byte, writable bool, err error) {
	if k, _ := r.NextKind(); k == codec.KindBin {
		data, err = r.ReadBinBytes()
		return data, false, err
	}
	typ, data, err := r.ReadExt()
	if err != nil {
		return nil, false, err
	}
	var memory, suffix []byte
	switch typ {
	case ExtNumbers:
		if len(data) == 0 {
			return nil, false, Invalid("numbers without an item format")
		}
		memory, suffix = data[1:], data[:1]
	case ExtBorrowed, ExtShared:
		if memory, suffix, err = borrowed(data); err != nil || len(suffix) == 0 {
			return memory, typ == ExtShared, err // without a format: a bytes-like object's raw items
		}
	default:
		return nil, false, TypeMismatch("a list", extName(typ))
	}
	if len(suffix) != 1 || suffix[0] != format {
		return nil, false, TypeMismatch(fmt.Sprintf("numbers of item format '%c'", format), fmt.Sprintf("item format '%s'", suffix))
	}
	return memory, typ == ExtShared, nil
}
