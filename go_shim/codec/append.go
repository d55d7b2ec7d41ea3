package codec

import (
	"math"
	"strconv"
)

// checkLen rejects lengths MessagePack cannot express. Truncating instead
// would silently corrupt the stream and let payload bytes be parsed as
// values, so this is treated as a programming error.
func checkLen(n int) {
	if uint64(n) > math.MaxUint32 {
		badLen(n)
	}
}

// badLen is kept out of line so checkLen stays cheap to inline.
//
//go:noinline
func badLen(n int) {
	panic("codec: length " + strconv.Itoa(n) + " out of range for MessagePack")
}

// AppendNil appends nil.
func AppendNil(b []byte) []byte { return append(b, 0xc0) }

// AppendBool appends true or false.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 0xc3)
	}
	return append(b, 0xc2)
}

// AppendInt appends v in its smallest form. Non-negative values use the
// unsigned forms, as msgpack-python does, so both sides produce equal bytes.
func AppendInt(b []byte, v int64) []byte {
	if v >= -32 && v <= 127 {
		return append(b, byte(v)) // fixint; small enough to inline
	}
	return appendIntSlow(b, v)
}

// appendIntSlow handles values outside the fixint range.
func appendIntSlow(b []byte, v int64) []byte {
	if v >= 0 {
		return AppendUint(b, uint64(v))
	}
	switch {
	case v >= math.MinInt8:
		return append(b, 0xd0, byte(v))
	case v >= math.MinInt16:
		return append(b, 0xd1, byte(v>>8), byte(v))
	case v >= math.MinInt32:
		return append(b, 0xd2, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return append(b, 0xd3, byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32),
		byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// AppendUint appends v in its smallest form.
func AppendUint(b []byte, v uint64) []byte {
	switch {
	case v <= 0x7f:
		return append(b, byte(v)) // positive fixint
	case v <= math.MaxUint8:
		return append(b, 0xcc, byte(v))
	case v <= math.MaxUint16:
		return append(b, 0xcd, byte(v>>8), byte(v))
	case v <= math.MaxUint32:
		return append(b, 0xce, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return append(b, 0xcf, byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32),
		byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// AppendFloat32 appends v as float32.
func AppendFloat32(b []byte, v float32) []byte {
	u := math.Float32bits(v)
	return append(b, 0xca, byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}

// AppendFloat64 appends v as float64.
func AppendFloat64(b []byte, v float64) []byte {
	u := math.Float64bits(v)
	return append(b, 0xcb, byte(u>>56), byte(u>>48), byte(u>>40), byte(u>>32),
		byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}

// appendStrHeader appends a str-family header for n payload bytes.
func appendStrHeader(b []byte, n int) []byte {
	switch {
	case n < 32:
		return append(b, 0xa0|byte(n))
	case n <= math.MaxUint8:
		return append(b, 0xd9, byte(n))
	case n <= math.MaxUint16:
		return append(b, 0xda, byte(n>>8), byte(n))
	}
	checkLen(n)
	return append(b, 0xdb, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// AppendString appends s as str. The bytes are written as-is: validating
// UTF-8 is the caller's policy, not the wire format's.
func AppendString(b []byte, s string) []byte {
	return append(appendStrHeader(b, len(s)), s...)
}

// AppendStringBytes appends s as str (not bin).
func AppendStringBytes(b []byte, s []byte) []byte {
	return append(appendStrHeader(b, len(s)), s...)
}

// AppendBytes appends v as bin.
func AppendBytes(b []byte, v []byte) []byte {
	n := len(v)
	switch {
	case n <= math.MaxUint8:
		b = append(b, 0xc4, byte(n))
	case n <= math.MaxUint16:
		b = append(b, 0xc5, byte(n>>8), byte(n))
	default:
		checkLen(n)
		b = append(b, 0xc6, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(b, v...)
}

// AppendArrayHeader appends the header of an array of n elements.
// n must be in [0, MaxUint32].
func AppendArrayHeader(b []byte, n int) []byte {
	switch {
	case uint(n) < 16:
		return append(b, 0x90|byte(n))
	case uint(n) <= math.MaxUint16:
		return append(b, 0xdc, byte(n>>8), byte(n))
	}
	checkLen(n) // also rejects negative n
	return append(b, 0xdd, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// AppendMapHeader appends the header of a map of n key/value pairs.
// n must be in [0, MaxUint32].
func AppendMapHeader(b []byte, n int) []byte {
	switch {
	case uint(n) < 16:
		return append(b, 0x80|byte(n))
	case uint(n) <= math.MaxUint16:
		return append(b, 0xde, byte(n>>8), byte(n))
	}
	return AppendMapHeader32(b, n)
}

// AppendMapHeader32 always appends the 5-byte map32 header, so that the
// count can be patched with PutMapHeader32 once it is known.
func AppendMapHeader32(b []byte, n int) []byte {
	checkLen(n)
	return append(b, 0xdf, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// PutMapHeader32 overwrites the map32 header at b[0:5] with count n; b must
// hold at least 5 bytes. b is normally out[start:], where start is the
// length of out before AppendMapHeader32.
func PutMapHeader32(b []byte, n int) {
	checkLen(n)
	_ = b[4] // one bounds check instead of five
	b[0] = 0xdf
	b[1] = byte(n >> 24)
	b[2] = byte(n >> 16)
	b[3] = byte(n >> 8)
	b[4] = byte(n)
}

// AppendExtHeader appends the header of an ext value of type typ carrying n
// data bytes; the caller appends the data. Fixext forms are used when n fits.
func AppendExtHeader(b []byte, typ int8, n int) []byte {
	t := byte(typ)
	switch n {
	case 1:
		return append(b, 0xd4, t)
	case 2:
		return append(b, 0xd5, t)
	case 4:
		return append(b, 0xd6, t)
	case 8:
		return append(b, 0xd7, t)
	case 16:
		return append(b, 0xd8, t)
	}
	switch {
	case uint(n) <= math.MaxUint8:
		return append(b, 0xc7, byte(n), t)
	case uint(n) <= math.MaxUint16:
		return append(b, 0xc8, byte(n>>8), byte(n), t)
	}
	checkLen(n)
	return append(b, 0xc9, byte(n>>24), byte(n>>16), byte(n>>8), byte(n), t)
}

// AppendExt appends a complete ext value.
func AppendExt(b []byte, typ int8, data []byte) []byte {
	return append(AppendExtHeader(b, typ, len(data)), data...)
}
