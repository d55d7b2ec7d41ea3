package rt

import (
	"crypto/rand"
	"encoding/binary"
	"unsafe"

	"usegolib.local/shim/codec"
)

// Large bytes and slices of numbers are not copied into MessagePack: they
// cross as ExtBorrowed, the address and length of memory the other side
// owns for the duration of the call.
//
//   - Python -> Go: address u64, length u64, the token below, then (for
//     numbers) the item format byte. Go copies the memory into a slice of
//     its own while the call runs (Python keeps the object alive until the
//     call returns). The token, which only this process's usegolib knows,
//     keeps a hand-made extension value from making Go read any address.
//   - Go -> Python: address u64, length u64, release id u64, then (for
//     numbers) the item format byte, of a pinned Go slice. Python copies it
//     while decoding the result and releases it with usegolib_release_result.
const BorrowMin = 64 << 10

var borrowToken = func() [8]byte {
	var t [8]byte
	if _, err := rand.Read(t[:]); err != nil {
		panic("usegolib: no randomness for the borrow token: " + err.Error())
	}
	return t
}()

// borrowTokenOf (builtin -8) gives Python the token.
func borrowTokenOf(c *Call) error {
	if err := c.Args(0); err != nil {
		return err
	}
	c.Out = codec.AppendBytes(c.Out, borrowToken[:])
	return nil
}

// borrowed is the memory an ExtBorrowed argument names, and the bytes of
// its payload after the token (the item format, for numbers).
func borrowed(data []byte) ([]byte, []byte, error) {
	if len(data) < 24 || string(data[16:24]) != string(borrowToken[:]) {
		return nil, nil, Invalid("borrowed memory without this process's token: pass bytes, arrays or lists")
	}
	addr := binary.LittleEndian.Uint64(data)
	n := binary.LittleEndian.Uint64(data[8:])
	if n == 0 {
		return nil, data[24:], nil
	}
	// The address is Python's; reading it through a pointer-typed view
	// of the integer is what converting a foreign address takes.
	p := *(*unsafe.Pointer)(unsafe.Pointer(&addr))
	return unsafe.Slice((*byte)(p), n), data[24:], nil
}

// appendBorrowed appends data as ExtBorrowed (with suffix, the item
// format of numbers), pinned until Python releases it.
func appendBorrowed(b []byte, data []byte, suffix ...byte) []byte {
	addr, id := pinResult(data)
	b = codec.AppendExtHeader(b, ExtBorrowed, 24+len(suffix))
	b = binary.LittleEndian.AppendUint64(b, uint64(addr))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(data)))
	b = binary.LittleEndian.AppendUint64(b, id)
	return append(b, suffix...)
}

// releaseBorrowed unpins the Go memory of an ExtBorrowed result Python will
// not read (the call failed, or its result could not be decoded).
func releaseBorrowed(data []byte) {
	if len(data) >= 24 {
		ReleaseResult(binary.LittleEndian.Uint64(data[16:]))
	}
}

// clone copies src into new Go memory (non-nil when empty). The compiler
// turns make-then-copy into an allocation it does not zero first.
func clone(src []byte) []byte {
	dst := make([]byte, len(src))
	copy(dst, src)
	return dst
}
