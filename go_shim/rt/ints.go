package rt

import (
	"unsafe"

	"usegolib.local/shim/codec"
)

// MaxIntArgs is the most arguments the integer entry points take
// (usegolib_call_ints0 … usegolib_call_ints4 in the bridge).
const MaxIntArgs = 4

// DispatchInts runs call id with integer arguments passed as C arguments
// rather than MessagePack: the fast path Python takes for functions whose
// parameters are all Go integers, saving it the packing and the out buffer
// (docs/abi.md, "Integer calls"). The arguments are encoded here, so the
// slot's own decoders check them exactly as on the usual path.
//
// An immediate integer comes back in the word. Anything else (no result
// gives size 0) stays in pinned Go memory: the word carries FlagBig and
// the release id, and usegolib_take_result tells Python where it is.
func DispatchInts(table []Func, id int32, args []int64) int64 {
	var in [1 + MaxIntArgs*9]byte // array header, then int64s of at most 9 bytes
	b := codec.AppendArrayHeader(in[:0], len(args))
	for _, a := range args {
		b = codec.AppendInt(b, a)
	}
	c := newCall(b, nil)
	status := c.dispatch(table, id)
	if word, ok := c.word(status); ok {
		return word
	}
	_, rid := pinResult(c.Out)
	return int64(rid)<<4 | FlagBig | status
}

// TakeResult writes where the pinned result with release id sits into the
// big-result fields of the out buffer header at out, as usegolib_call
// would have; false when no such result is pinned.
func TakeResult(id uint64, out unsafe.Pointer) bool {
	pinned.Lock()
	p, ok := pinned.m[id]
	pinned.Unlock()
	if !ok {
		return false
	}
	writeBigHeader(unsafe.Slice((*byte)(out), HeaderSize), uintptr(unsafe.Pointer(unsafe.SliceData(p.data))), len(p.data), id)
	return true
}
