package rt

import (
	"encoding/binary"
	"math"
	"time"

	"usegolib.local/shim/codec"
)

// MessagePack extension types of the ABI (docs/abi.md). All integers in
// extension payloads are big-endian.
const (
	ExtHandle   = 1 // Go->Python: class u32, handle u64. Python->Go: handle u64
	ExtTime     = 2 // unix seconds i64, nanoseconds u32, UTC offset seconds i32
	ExtDuration = 3 // nanoseconds i64
	ExtComplex  = 4 // real f64, imaginary f64
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

// readComplex reads ExtComplex, or a plain int or float as a real number.
func readComplex(r *codec.Reader) (complex128, error) {
	if k, _ := r.NextKind(); k != codec.KindExt {
		f, err := r.ReadFloat64()
		return complex(f, 0), err
	}
	data, err := readExt(r, ExtComplex, 16, "complex")
	if err != nil {
		return 0, err
	}
	re := math.Float64frombits(binary.BigEndian.Uint64(data))
	im := math.Float64frombits(binary.BigEndian.Uint64(data[8:]))
	return complex(re, im), nil
}

// readExt reads an extension value of the given type and payload size;
// anything else is a type error naming the Python type expected.
func readExt(r *codec.Reader, typ int8, size int, python string) ([]byte, error) {
	got, data, err := r.ReadExt()
	if err != nil {
		if k, kerr := r.NextKind(); kerr == nil {
			return nil, TypeMismatch(python, pythonName(k))
		}
		return nil, Fail(err, "")
	}
	if got != typ || len(data) != size {
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
	}
	return "an unknown object"
}
