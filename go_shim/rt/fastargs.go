package rt

import (
	"encoding/binary"
	"math"
	"unsafe"

	"usegolib.local/shim/codec"
)

// MaxFastArgs is the most arguments a fast-args slot takes.
const MaxFastArgs = 4

// NotTaken is the word of usegolib_call_fast when the call did not run: no
// fast slot, or an argument its parameter cannot hold. The caller then
// makes the usual call (usegolib_call), which converts or reports it. It
// is no word a call returns: status 15 does not exist.
const NotTaken = 15

// FastArgs is a generated call of a plain function whose parameters are
// strings, []byte, bools, float64s or integers and whose result is one of
// those or nothing: C passes each argument as it holds it (p: the address
// of a str's UTF-8 or a bytes' data, v: its length, or the number itself),
// with no MessagePack and no Call. The result is a MessagePack value
// appended to out (the caller's out buffer), or an immediate word when res
// is nil. ok is false, before the function runs, when an argument does not
// fit its parameter.
type FastArgs func(p *[MaxFastArgs]unsafe.Pointer, v *[MaxFastArgs]int64, out []byte) (res []byte, word int64, ok bool)

// CallFast runs call id through its fast-args slot: the body of the
// exported usegolib_call_fast. The word means what usegolib_call's means
// (a big result's address is in the out header), or NotTaken.
func CallFast(fast []FastArgs, id int32, p, v, out unsafe.Pointer) int64 {
	if id < 0 || int(id) >= len(fast) || fast[id] == nil {
		return NotTaken
	}
	header, base := outBuffer(out)
	res, word, ok, c := runFastArgs(fast[id], id, (*[MaxFastArgs]unsafe.Pointer)(p), (*[MaxFastArgs]int64)(v), base)
	switch {
	case c != nil: // it panicked: c holds what the panic says
		return c.finish(header, base, word)
	case !ok:
		return NotTaken
	case res == nil:
		return word
	default:
		return bufferWord(header, base, res, StatusOK)
	}
}

// runFastArgs calls f; a panic comes back as the Call that reports it and
// its status.
func runFastArgs(f FastArgs, id int32, p *[MaxFastArgs]unsafe.Pointer, v *[MaxFastArgs]int64, base []byte) (
	res []byte, word int64, ok bool, c *Call,
) {
	returned := false
	defer func() {
		if returned {
			return
		}
		failed := newCall(nil, base)
		if status, panicked := failed.recovered(id, recover(), false); panicked {
			word, c = status, failed
		}
	}()
	res, word, ok = f(p, v, base)
	returned = true
	return res, word, ok, nil
}

// outBuffer is the header and the (empty) data of the caller's out buffer.
func outBuffer(out unsafe.Pointer) (header, base []byte) {
	header = unsafe.Slice((*byte)(out), HeaderSize)
	capacity := binary.LittleEndian.Uint64(header[offCapacity:])
	return header, unsafe.Slice((*byte)(unsafe.Add(out, HeaderSize)), int(capacity))[:0]
}

// finish is the word of a call that ended with status, its result in
// c.Out; c is then recycled.
func (c *Call) finish(header, base []byte, status int64) int64 {
	word, ok := c.word(status)
	if !ok {
		word = bufferWord(header, base, c.Out, status)
	}
	c.recycle()
	return word
}

// bufferWord is the word of a result res appended to base, the caller's out
// buffer: in place, or in pinned memory (its address in the header) when
// it outgrew it.
func bufferWord(header, base, res []byte, status int64) int64 {
	if len(res) == 0 || unsafe.SliceData(res) == unsafe.SliceData(base) {
		return int64(len(res))<<4 | status
	}
	addr, rid := pinResult(res)
	writeBigHeader(header, addr, len(res), rid)
	return status | FlagBig
}

// FastString is a copy of the n bytes at p as a string: Go code may keep
// it, and Python frees its memory after the call (as DecodeString copies).
func FastString(p unsafe.Pointer, n int64) string {
	if n == 0 {
		return ""
	}
	return string(unsafe.Slice((*byte)(p), n))
}

// FastBytes is a copy of the n bytes at p (as DecodeBytes copies).
func FastBytes(p unsafe.Pointer, n int64) []byte {
	return clone(unsafe.Slice((*byte)(p), n))
}

// BorrowString is the n bytes at p as a string, without a copy: for a
// parameter its function keeps nowhere but in its results (scan/borrow.go),
// which the slot encodes before the call returns, while the caller still
// holds the Python str whose UTF-8 p is.
func BorrowString(p unsafe.Pointer, n int64) string {
	if n == 0 {
		return ""
	}
	return unsafe.String((*byte)(p), n)
}

// BorrowBytes is the n bytes at p as a slice, without a copy: for a
// parameter its function keeps nowhere but in its results and never writes
// through (scan/borrow.go); a Python bytes object is immutable. Its
// capacity is its length, so an append makes new memory.
func BorrowBytes(p unsafe.Pointer, n int64) []byte {
	if n == 0 {
		return []byte{}
	}
	return unsafe.Slice((*byte)(p), n)
}

// FastFloat is the float64 whose bits C passed.
func FastFloat(v int64) float64 { return math.Float64frombits(uint64(v)) }

// FastInt is the result of a call returning v: immediate when small, else
// appended to out.
func FastInt(out []byte, v int64) ([]byte, int64, bool) {
	if v >= -immediateLimit && v < immediateLimit {
		return nil, v<<4 | StatusInt, true
	}
	return codec.AppendInt(out, v), 0, true
}

// FastUint is FastInt for unsigned results.
func FastUint(out []byte, v uint64) ([]byte, int64, bool) {
	if v < immediateLimit {
		return nil, int64(v)<<4 | StatusInt, true
	}
	return codec.AppendUint(out, v), 0, true
}
