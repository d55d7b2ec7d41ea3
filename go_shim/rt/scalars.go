package rt

import (
	"fmt"
	"math"
	"math/big"
	"unicode/utf8"
	"unsafe"

	"usegolib.local/shim/codec"
)

// The generic codecs below are instantiated by generated code for each
// basic Go type it meets, named or not (type Celsius float64 uses
// DecodeFloat[Celsius]). They are typed code, not reflection; the Go type's
// name is spelled (with %T) only when reporting an error.

// Signed is every Go signed integer type.
type Signed interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64
}

// Unsigned is every Go unsigned integer type.
type Unsigned interface {
	~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}

// Float is every Go floating-point type.
type Float interface{ ~float32 | ~float64 }

// Complex is every Go complex type.
type Complex interface{ ~complex64 | ~complex128 }

// EncodeBool appends a bool.
func EncodeBool[T ~bool](b []byte, v T) []byte { return codec.AppendBool(b, bool(v)) }

// DecodeBool reads a bool.
func DecodeBool[T ~bool](r *codec.Reader, v *T) error {
	x, err := r.ReadBool()
	if err != nil {
		return Fail(err, goName(v))
	}
	*v = T(x)
	return nil
}

// EncodeInt appends a signed integer.
func EncodeInt[T Signed](b []byte, v T) []byte { return codec.AppendInt(b, int64(v)) }

// DecodeInt reads a signed integer, refusing values T cannot hold.
func DecodeInt[T Signed](r *codec.Reader, v *T) error {
	x, err := r.ReadInt64()
	if err != nil {
		return intFail(r, err, goName(v))
	}
	*v = T(x)
	if int64(*v) != x {
		return Overflow(x, goName(v))
	}
	return nil
}

// EncodeUint appends an unsigned integer.
func EncodeUint[T Unsigned](b []byte, v T) []byte { return codec.AppendUint(b, uint64(v)) }

// DecodeUint reads an unsigned integer, refusing values T cannot hold.
func DecodeUint[T Unsigned](r *codec.Reader, v *T) error {
	x, err := r.ReadUint64()
	if err != nil {
		return intFail(r, err, goName(v))
	}
	*v = T(x)
	if uint64(*v) != x {
		return Overflow(x, goName(v))
	}
	return nil
}

// EncodeFloat appends a float, keeping float32 values in the 4-byte form.
func EncodeFloat[T Float](b []byte, v T) []byte {
	if isFloat32[T]() {
		return codec.AppendFloat32(b, float32(v))
	}
	return codec.AppendFloat64(b, float64(v))
}

// DecodeFloat reads a float (ints accepted); a finite value too large for
// the type is an overflow rather than a silent infinity.
func DecodeFloat[T Float](r *codec.Reader, v *T) error {
	x, huge, err := readReal(r)
	if err != nil {
		return Fail(err, goName(v))
	}
	*v = T(x)
	if overflowed(x, float64(*v), huge) {
		return Overflow(inputValue(x, huge), goName(v))
	}
	return nil
}

// readReal reads an int or a float as a float64. An int beyond 64 bits is
// converted too, and returned as huge so that one too large even for float64
// (x infinite) can be reported with its value.
func readReal(r *codec.Reader) (x float64, huge *big.Int, err error) {
	if x, err = r.ReadFloat64(); err == nil {
		return x, nil, nil
	}
	huge, ok := bigArgument(r)
	if !ok {
		return 0, nil, err
	}
	x, _ = new(big.Float).SetInt(huge).Float64()
	return x, huge, nil
}

// overflowed reports a finite input that became infinite in the Go type.
func overflowed(in, out float64, huge *big.Int) bool {
	return math.IsInf(out, 0) && (huge != nil || !math.IsInf(in, 0))
}

func inputValue(x float64, huge *big.Int) any {
	if huge != nil {
		return huge
	}
	return x
}

func isFloat32[T Float]() bool {
	var zero T
	return unsafe.Sizeof(zero) == 4
}

// EncodeString appends a string; bytes that are not UTF-8 travel as they are
// and Python decodes them with surrogateescape.
func EncodeString[T ~string](b []byte, v T) []byte { return codec.AppendString(b, string(v)) }

// DecodeString reads a str, copying it out of the argument buffer (see
// DecodeBytes).
func DecodeString[T ~string](r *codec.Reader, v *T) error {
	x, err := r.ReadString()
	if err != nil {
		return Fail(err, goName(v))
	}
	*v = T(x)
	return nil
}

// EncodeBytes appends a []byte; nil becomes b"".
func EncodeBytes[T ~[]byte](b []byte, v T) []byte {
	if len(v) >= BorrowMin {
		return appendBorrowed(b, v)
	}
	return codec.AppendBytes(b, v)
}

// DecodeBytes reads bytes (None gives nil), copying them out of the
// argument buffer: Go code may keep them, and Python frees the buffer after
// the call.
func DecodeBytes[T ~[]byte](r *codec.Reader, v *T) error {
	if r.IsNil() {
		*v = nil
		return r.ReadNil()
	}
	if k, _ := r.NextKind(); k == codec.KindExt {
		typ, data, err := r.ReadExt()
		if err != nil || (typ != ExtBorrowed && typ != ExtShared) {
			return TypeMismatch("bytes", extName(typ))
		}
		memory, _, err := borrowed(data)
		if err != nil {
			return err
		}
		*v = T(clone(memory))
		copied(r, memory, *v, typ == ExtShared)
		return nil
	}
	x, err := r.ReadBinBytes()
	if err != nil {
		return Fail(err, goName(v))
	}
	*v = T(clone(x))
	copied(r, x, *v, false)
	return nil
}

// DecodeFixedBytes reads exactly len(dst) bytes into a [N]byte array.
func DecodeFixedBytes(r *codec.Reader, dst []byte, goType string) error {
	x, err := r.ReadBinBytes()
	if err != nil {
		return Fail(err, goType)
	}
	if len(x) != len(dst) {
		return Invalid(fmt.Sprintf("expected %d bytes for Go %s, got %d", len(dst), goType, len(x)))
	}
	copy(dst, x)
	return nil
}

// EncodeComplex appends a complex number as ExtComplex.
func EncodeComplex[T Complex](b []byte, v T) []byte {
	return appendComplex(b, complex128(v))
}

// DecodeComplex reads a complex (ints and floats accepted); a finite part
// too large for complex64 is an overflow.
func DecodeComplex[T Complex](r *codec.Reader, v *T) error {
	x, huge, err := readComplex(r)
	if err != nil {
		return Fail(err, goName(v))
	}
	*v = T(x)
	got := complex128(*v)
	if overflowed(real(x), real(got), huge) || overflowed(imag(x), imag(got), nil) {
		return Overflow(x, goName(v))
	}
	return nil
}

// intFail reports a failed integer read: an integer beyond 64 bits is an
// overflow for any Go integer type, anything else a type mismatch.
func intFail(r *codec.Reader, err error, goType string) error {
	if x, ok := bigArgument(r); ok {
		return Overflow(x, goType)
	}
	return Fail(err, goType)
}

// goName spells the Go type of *v for error messages.
func goName[T any](v *T) string { return fmt.Sprintf("%T", *v) }

// DecodeRune reads a rune parameter: an int (a code point), or a str of
// one character, as Python's ord() would take it.
func DecodeRune(r *codec.Reader, v *rune) error {
	if k, _ := r.NextKind(); k != codec.KindStr {
		return DecodeInt(r, v)
	}
	s, err := r.ReadString()
	if err != nil {
		return Fail(err, "rune")
	}
	if utf8.RuneCountInString(s) != 1 {
		return Invalid(fmt.Sprintf("expected a str of one character for Go rune, got %d characters", utf8.RuneCountInString(s)))
	}
	*v, _ = utf8.DecodeRuneInString(s)
	return nil
}

// DecodeByte reads a byte parameter: an int, or bytes of length one.
func DecodeByte(r *codec.Reader, v *byte) error {
	if k, _ := r.NextKind(); k != codec.KindBin {
		return DecodeUint(r, v)
	}
	b, err := r.ReadBinBytes()
	if err != nil {
		return Fail(err, "byte")
	}
	if len(b) != 1 {
		return Invalid(fmt.Sprintf("expected bytes of length 1 for Go byte, got %d bytes", len(b)))
	}
	*v = b[0]
	return nil
}
