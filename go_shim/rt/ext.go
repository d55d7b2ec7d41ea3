package rt

import (
	"encoding/binary"
	"math"
	"math/big"
	"time"

	"usegolib.local/shim/codec"
)

// MessagePack extension types of the ABI (docs/abi.md). All integers in
// extension payloads are big-endian.
const (
	ExtHandle   = 1  // Go->Python: class u32, handle u64. Python->Go: handle u64
	ExtTime     = 2  // unix seconds i64, nanoseconds u32, UTC offset seconds i32
	ExtDuration = 3  // nanoseconds i64
	ExtComplex  = 4  // real f64, imaginary f64
	ExtBigInt   = 5  // sign byte (1 for negative), magnitude: integers beyond 64 bits
	ExtUUID     = 6  // the 16 bytes of a UUID
	ExtBigFloat = 7  // decimal text of a big.Float
	ExtIP       = 8  // 4 or 16 address bytes, then an IPv6 zone if any
	ExtCallback = 9  // Python->Go: a Python callable standing for a func, u64 id
	ExtNumbers  = 10 // an item format letter, then a slice's items in machine order (numbers.go)
	ExtBorrowed = 11 // the address and length of the other side's memory (borrow.go)
	ExtShared   = 12 // Python->Go: ExtBorrowed of a writable buffer Go may use in place (shared.go)
)

// EncodeTime appends a time.Time with its UTC offset, so Python gets an
// aware datetime in the same zone offset.
func EncodeTime(b []byte, v time.Time) []byte {
	_, offset := v.Zone()
	b = codec.AppendExtHeader(b, ExtTime, 16)
	b = binary.BigEndian.AppendUint64(b, uint64(v.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(v.Nanosecond()))
	return binary.BigEndian.AppendUint32(b, uint32(int32(offset)))
}

// DecodeTime reads an aware datetime.
func DecodeTime(r *codec.Reader, v *time.Time) error {
	data, err := readExt(r, ExtTime, 16, "datetime.datetime")
	if err != nil {
		return err
	}
	sec := int64(binary.BigEndian.Uint64(data))
	nsec := int64(binary.BigEndian.Uint32(data[8:]))
	offset := int(int32(binary.BigEndian.Uint32(data[12:])))
	loc := time.UTC
	if offset != 0 {
		loc = time.FixedZone("", offset)
	}
	*v = time.Unix(sec, nsec).In(loc)
	return nil
}

// EncodeDuration appends a time.Duration.
func EncodeDuration(b []byte, v time.Duration) []byte {
	b = codec.AppendExtHeader(b, ExtDuration, 8)
	return binary.BigEndian.AppendUint64(b, uint64(v))
}

// DecodeDuration reads a timedelta.
func DecodeDuration(r *codec.Reader, v *time.Duration) error {
	data, err := readExt(r, ExtDuration, 8, "datetime.timedelta")
	if err != nil {
		return err
	}
	*v = time.Duration(binary.BigEndian.Uint64(data))
	return nil
}

func appendComplex(b []byte, v complex128) []byte {
	b = codec.AppendExtHeader(b, ExtComplex, 16)
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(real(v)))
	return binary.BigEndian.AppendUint64(b, math.Float64bits(imag(v)))
}

// readComplex reads ExtComplex, or an int or float as a real number (see
// readReal for huge).
func readComplex(r *codec.Reader) (x complex128, huge *big.Int, err error) {
	if re, huge, err := readReal(r); err == nil {
		return complex(re, 0), huge, nil
	}
	data, err := readExt(r, ExtComplex, 16, "complex")
	if err != nil {
		return 0, nil, err
	}
	re := math.Float64frombits(binary.BigEndian.Uint64(data))
	im := math.Float64frombits(binary.BigEndian.Uint64(data[8:]))
	return complex(re, im), nil, nil
}

// readExt reads an extension value of the given type and payload size (any
// size when negative); anything else is a type error naming the Python type
// expected.
func readExt(r *codec.Reader, typ int8, size int, python string) ([]byte, error) {
	got, data, err := r.ReadExt()
	if err != nil {
		if k, kerr := r.NextKind(); kerr == nil {
			return nil, TypeMismatch(python, pythonName(k))
		}
		return nil, Fail(err, "")
	}
	if got != typ || (size >= 0 && len(data) != size) {
		return nil, TypeMismatch(python, extName(got))
	}
	return data, nil
}

// extName names what Python sent as an extension value.
func extName(typ int8) string {
	switch typ {
	case ExtHandle:
		return "a Go object handle"
	case ExtTime:
		return "datetime.datetime"
	case ExtDuration:
		return "datetime.timedelta"
	case ExtComplex:
		return "complex"
	case ExtBigInt:
		return "int beyond 64 bits"
	case ExtUUID:
		return "uuid.UUID"
	case ExtBigFloat:
		return "decimal.Decimal"
	case ExtIP:
		return "an IP address"
	case ExtNumbers:
		return "numbers"
	case ExtBorrowed, ExtShared:
		return "borrowed memory"
	case ExtCallback:
		return "a Python function"
	}
	return "an unknown object"
}

// EncodeBigInt appends a *big.Int: a plain integer when it fits 64 bits,
// else ExtBigInt. nil becomes None.
func EncodeBigInt(b []byte, v *big.Int) []byte {
	switch {
	case v == nil:
		return codec.AppendNil(b)
	case v.IsInt64():
		return codec.AppendInt(b, v.Int64())
	case v.IsUint64():
		return codec.AppendUint(b, v.Uint64())
	}
	sign := byte(0)
	if v.Sign() < 0 {
		sign = 1
	}
	magnitude := v.Bytes()
	b = codec.AppendExtHeader(b, ExtBigInt, 1+len(magnitude))
	return append(append(b, sign), magnitude...)
}

// EncodeBigIntValue appends a big.Int held by value.
func EncodeBigIntValue(b []byte, v big.Int) []byte { return EncodeBigInt(b, &v) }

// DecodeBigInt reads a Python int (or None) into a *big.Int.
func DecodeBigInt(r *codec.Reader, v **big.Int) error {
	if r.IsNil() {
		*v = nil
		return r.ReadNil()
	}
	x, err := readBigInt(r)
	if err != nil {
		return err
	}
	*v = x
	return nil
}

// DecodeBigIntValue reads a Python int into a big.Int held by value.
func DecodeBigIntValue(r *codec.Reader, v *big.Int) error {
	x, err := readBigInt(r)
	if err != nil {
		return err
	}
	v.Set(x)
	return nil
}

func readBigInt(r *codec.Reader) (*big.Int, error) {
	if i, err := r.ReadInt64(); err == nil {
		return big.NewInt(i), nil
	}
	if u, err := r.ReadUint64(); err == nil {
		return new(big.Int).SetUint64(u), nil
	}
	data, err := readExt(r, ExtBigInt, -1, "int")
	if err != nil {
		return nil, err
	}
	return bigFromExt(data)
}

func bigFromExt(data []byte) (*big.Int, error) {
	if len(data) < 1 || data[0] > 1 {
		return nil, Invalid("malformed big integer")
	}
	x := new(big.Int).SetBytes(data[1:])
	if data[0] == 1 {
		x.Neg(x)
	}
	return x, nil
}

// bigArgument reads an integer Python sent beyond 64 bits, so that a
// fixed-size integer parameter can report an overflow rather than a type
// mismatch. Anything else is left unread.
func bigArgument(r *codec.Reader) (*big.Int, bool) {
	probe := *r
	typ, data, err := probe.ReadExt()
	if err != nil || typ != ExtBigInt {
		return nil, false
	}
	x, err := bigFromExt(data)
	if err != nil {
		return nil, false
	}
	*r = probe
	return x, true
}

// EncodeUUID appends a UUID as ExtUUID.
func EncodeUUID[T ~[16]byte](b []byte, v T) []byte {
	raw := [16]byte(v)
	b = codec.AppendExtHeader(b, ExtUUID, 16)
	return append(b, raw[:]...)
}

// DecodeUUID reads a uuid.UUID.
func DecodeUUID[T ~[16]byte](r *codec.Reader, v *T) error {
	data, err := readExt(r, ExtUUID, 16, "uuid.UUID")
	if err != nil {
		return err
	}
	*v = T(data)
	return nil
}
