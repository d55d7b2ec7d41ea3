package codec

import (
	"encoding/binary"
	"math"
	"strconv"
)

// Reader decodes MessagePack values from a byte slice. Every method either
// succeeds and advances past what it read, or fails and leaves the position
// unchanged, so callers can peek, try one type, and fall back to another.
// Returned byte slices alias the input and are capped at their own length,
// so appending to them cannot overwrite later input.
type Reader struct {
	buf []byte
	pos int // invariant: 0 <= pos <= len(buf)
	// Context is what the message belongs to, for decoders that need more
	// than the bytes (the runtime keeps its call here); the codec ignores it.
	Context any
}

// NewReader returns a Reader positioned at the start of b.
func NewReader(b []byte) Reader { return Reader{buf: b} }

// Reset reuses r for b, avoiding a new Reader per message.
func (r *Reader) Reset(b []byte) { r.buf, r.pos = b, 0 }

// Pos returns the offset of the next unread byte.
func (r *Reader) Pos() int { return r.pos }

// Remaining returns the number of unread bytes.
func (r *Reader) Remaining() int { return len(r.buf) - r.pos }

func (r *Reader) errEOF() error { return &FormatError{Pos: r.pos, Msg: msgEOF} }

// typeErr explains why lead byte c is not a `want`; 0xc1 is malformed input
// rather than a wrong type.
func (r *Reader) typeErr(want string, c byte) error {
	if k := kindOf[c]; k != KindInvalid {
		return &TypeError{Want: want, Got: k}
	}
	return &FormatError{Pos: r.pos, Msg: msgReserved}
}

// body returns the n bytes after the lead byte, or false if input is short.
func (r *Reader) body(n int) ([]byte, bool) {
	p := r.pos + 1
	if len(r.buf)-p < n {
		return nil, false
	}
	return r.buf[p : p+n], true
}

// be decodes a 1, 2, 4 or 8 byte big-endian unsigned integer.
func be(b []byte) uint64 {
	switch len(b) {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.BigEndian.Uint16(b))
	case 4:
		return uint64(binary.BigEndian.Uint32(b))
	case 8:
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

// lenField reads the w-byte length that follows the lead byte.
func (r *Reader) lenField(w int) (uint64, bool) {
	b, ok := r.body(w)
	if !ok {
		return 0, false
	}
	return be(b), true
}

// payload consumes an h-byte header plus n payload bytes and returns the
// payload. The caller must have checked that the header itself is present.
func (r *Reader) payload(h int, n uint64) ([]byte, error) {
	start := r.pos + h
	if uint64(len(r.buf)-start) < n {
		return nil, r.errEOF()
	}
	end := start + int(n)
	r.pos = end
	return r.buf[start:end:end], nil
}

// NextKind reports the kind of the next value without consuming it. Only
// the lead byte is inspected; a truncated body is reported by the read.
func (r *Reader) NextKind() (Kind, error) {
	if r.pos >= len(r.buf) {
		return KindInvalid, r.errEOF()
	}
	k := kindOf[r.buf[r.pos]]
	if k == KindInvalid {
		return k, &FormatError{Pos: r.pos, Msg: msgReserved}
	}
	return k, nil
}

// IsNil reports whether the next value is nil, without consuming it.
func (r *Reader) IsNil() bool {
	return r.pos < len(r.buf) && r.buf[r.pos] == 0xc0
}

// ReadNil consumes a nil.
func (r *Reader) ReadNil() error {
	if r.pos >= len(r.buf) {
		return r.errEOF()
	}
	if c := r.buf[r.pos]; c != 0xc0 {
		return r.typeErr("nil", c)
	}
	r.pos++
	return nil
}

// ReadBool consumes a bool.
func (r *Reader) ReadBool() (bool, error) {
	if r.pos >= len(r.buf) {
		return false, r.errEOF()
	}
	switch c := r.buf[r.pos]; c {
	case 0xc2:
		r.pos++
		return false, nil
	case 0xc3:
		r.pos++
		return true, nil
	default:
		return false, r.typeErr("bool", c)
	}
}

// intAt decodes the integer at r.pos without consuming it. raw holds the
// value's two's-complement bits and signed tells how to interpret them;
// n is the encoded size.
func (r *Reader) intAt(want string) (raw uint64, signed bool, n int, err error) {
	if r.pos >= len(r.buf) {
		return 0, false, 0, r.errEOF()
	}
	c := r.buf[r.pos]
	if c <= 0x7f {
		return uint64(c), false, 1, nil
	}
	if c >= 0xe0 {
		return uint64(int64(int8(c))), true, 1, nil
	}
	var w int
	switch c {
	case 0xcc, 0xd0:
		w = 1
	case 0xcd, 0xd1:
		w = 2
	case 0xce, 0xd2:
		w = 4
	case 0xcf, 0xd3:
		w = 8
	default:
		return 0, false, 0, r.typeErr(want, c)
	}
	b, ok := r.body(w)
	if !ok {
		return 0, false, 0, r.errEOF()
	}
	raw = be(b)
	if signed = c >= 0xd0; signed {
		shift := uint(64 - 8*w) // sign-extend from w bytes
		raw = uint64(int64(raw<<shift) >> shift)
	}
	return raw, signed, 1 + w, nil
}

// ReadInt64 consumes an integer in any encoding.
func (r *Reader) ReadInt64() (int64, error) {
	// Fixints are the common case: read as int8 they are exactly the
	// values >= -32 (0x00..0x7f and 0xe0..0xff).
	if p := r.pos; p < len(r.buf) {
		if v := int8(r.buf[p]); v >= -32 {
			r.pos = p + 1
			return int64(v), nil
		}
	}
	raw, signed, n, err := r.intAt("int")
	if err != nil {
		return 0, err
	}
	if !signed && raw > math.MaxInt64 {
		return 0, &OverflowError{Value: strconv.FormatUint(raw, 10), Type: "int64"}
	}
	r.pos += n
	return int64(raw), nil
}

// ReadUint64 consumes a non-negative integer in any encoding.
func (r *Reader) ReadUint64() (uint64, error) {
	raw, signed, n, err := r.intAt("int")
	if err != nil {
		return 0, err
	}
	if signed && int64(raw) < 0 {
		return 0, &OverflowError{Value: strconv.FormatInt(int64(raw), 10), Type: "uint64"}
	}
	r.pos += n
	return raw, nil
}

// ReadFloat64 consumes a float or an integer, since Python callers often
// pass 1 where 1.0 is meant.
func (r *Reader) ReadFloat64() (float64, error) {
	if r.pos < len(r.buf) {
		switch r.buf[r.pos] {
		case 0xca:
			b, ok := r.body(4)
			if !ok {
				return 0, r.errEOF()
			}
			r.pos += 5
			return float64(math.Float32frombits(binary.BigEndian.Uint32(b))), nil
		case 0xcb:
			b, ok := r.body(8)
			if !ok {
				return 0, r.errEOF()
			}
			r.pos += 9
			return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
		}
	}
	raw, signed, n, err := r.intAt("float")
	if err != nil {
		return 0, err
	}
	r.pos += n
	if signed {
		return float64(int64(raw)), nil
	}
	return float64(raw), nil
}

// ReadFloat32 is ReadFloat64 narrowed to float32. Finite values beyond
// float32's range are an error rather than silently becoming Inf.
func (r *Reader) ReadFloat32() (float32, error) {
	if r.pos < len(r.buf) && r.buf[r.pos] == 0xca {
		// Decode directly so NaN payloads survive bit-for-bit.
		b, ok := r.body(4)
		if !ok {
			return 0, r.errEOF()
		}
		r.pos += 5
		return math.Float32frombits(binary.BigEndian.Uint32(b)), nil
	}
	p := r.pos
	f, err := r.ReadFloat64()
	if err != nil {
		return 0, err
	}
	if math.Abs(f) > math.MaxFloat32 && !math.IsInf(f, 0) {
		r.pos = p
		return 0, &OverflowError{Value: strconv.FormatFloat(f, 'g', -1, 64), Type: "float32"}
	}
	return float32(f), nil
}

// ReadStringBytes consumes a str and returns its payload without copying.
func (r *Reader) ReadStringBytes() ([]byte, error) {
	if r.pos >= len(r.buf) {
		return nil, r.errEOF()
	}
	c := r.buf[r.pos]
	if c&0xe0 == 0xa0 {
		return r.payload(1, uint64(c&0x1f))
	}
	var w int
	switch c {
	case 0xd9:
		w = 1
	case 0xda:
		w = 2
	case 0xdb:
		w = 4
	default:
		return nil, r.typeErr("str", c)
	}
	n, ok := r.lenField(w)
	if !ok {
		return nil, r.errEOF()
	}
	return r.payload(1+w, n)
}

// ReadString consumes a str and returns a copy of its payload.
func (r *Reader) ReadString() (string, error) {
	b, err := r.ReadStringBytes()
	return string(b), err
}

// ReadBinBytes consumes a bin and returns its payload without copying.
func (r *Reader) ReadBinBytes() ([]byte, error) {
	if r.pos >= len(r.buf) {
		return nil, r.errEOF()
	}
	var w int
	switch c := r.buf[r.pos]; c {
	case 0xc4:
		w = 1
	case 0xc5:
		w = 2
	case 0xc6:
		w = 4
	default:
		return nil, r.typeErr("bin", c)
	}
	n, ok := r.lenField(w)
	if !ok {
		return nil, r.errEOF()
	}
	return r.payload(1+w, n)
}

// count consumes an h-byte container header announcing n entries of per
// values each. Every value takes at least one byte, so a count larger than
// the remaining input is rejected before a caller can allocate for it.
func (r *Reader) count(h int, n, per uint64) (int, error) {
	if n*per > uint64(len(r.buf)-r.pos-h) {
		return 0, &FormatError{Pos: r.pos, Msg: msgTooLarge}
	}
	r.pos += h
	return int(n), nil
}

// ReadArrayHeader consumes an array header and returns its element count.
func (r *Reader) ReadArrayHeader() (int, error) {
	return r.containerHeader(0x90, 0xdc, 0xdd, 1, "array")
}

// ReadMapHeader consumes a map header and returns its pair count.
func (r *Reader) ReadMapHeader() (int, error) {
	return r.containerHeader(0x80, 0xde, 0xdf, 2, "map")
}

// containerHeader reads an array or map header: the fix form (fix | n), or
// the 16- and 32-bit forms. Each entry needs at least per bytes, which bounds
// the count by the remaining input.
func (r *Reader) containerHeader(fix, code16, code32 byte, per uint64, want string) (int, error) {
	if r.pos >= len(r.buf) {
		return 0, r.errEOF()
	}
	c := r.buf[r.pos]
	if c&0xf0 == fix {
		return r.count(1, uint64(c&0x0f), per)
	}
	var w int
	switch c {
	case code16:
		w = 2
	case code32:
		w = 4
	default:
		return 0, r.typeErr(want, c)
	}
	n, ok := r.lenField(w)
	if !ok {
		return 0, r.errEOF()
	}
	return r.count(1+w, n, per)
}

// ReadExt consumes an ext value; data aliases the input.
func (r *Reader) ReadExt() (typ int8, data []byte, err error) {
	if r.pos >= len(r.buf) {
		return 0, nil, r.errEOF()
	}
	h, n := 1, uint64(0) // header bytes before the type byte, data length
	switch c := r.buf[r.pos]; c {
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
		n = 1 << (c - 0xd4) // fixext 1, 2, 4, 8, 16
	case 0xc7, 0xc8, 0xc9:
		w := 1 << (c - 0xc7) // ext 8, 16, 32
		var ok bool
		if n, ok = r.lenField(w); !ok {
			return 0, nil, r.errEOF()
		}
		h += w
	default:
		return 0, nil, r.typeErr("ext", c)
	}
	if len(r.buf)-r.pos <= h {
		return 0, nil, r.errEOF()
	}
	typ = int8(r.buf[r.pos+h])
	data, err = r.payload(h+1, n)
	if err != nil {
		return 0, nil, err
	}
	return typ, data, nil
}

// PeekExtType reports the type of the next value if it is an ext, without
// consuming it.
func (r *Reader) PeekExtType() (int8, bool) {
	if r.pos >= len(r.buf) || kindOf[r.buf[r.pos]] != KindExt {
		return 0, false
	}
	save := r.pos
	typ, _, err := r.ReadExt()
	r.pos = save
	return typ, err == nil
}
