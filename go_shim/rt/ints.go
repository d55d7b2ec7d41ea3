package rt

import (
	"sync"
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
	ic := intCalls.Get().(*intCall)
	b := codec.AppendArrayHeader(ic.in[:0], len(args))
	for _, a := range args {
		b = codec.AppendInt(b, a)
	}
	c := &ic.Call
	c.In = codec.NewReader(b)
	c.In.Context = c
	word := pinnedWord(c, c.dispatch(table, id))
	*ic = intCall{}
	intCalls.Put(ic)
	return word
}

// intCall is the Call of an integer call with room for its arguments'
// encoding, reused: a call's allocation would cost more than the rest of
// it. Only integer calls are pooled: their arguments can carry no callback,
// reader or context that keeps a Call beyond the call.
type intCall struct {
	Call
	in [1 + MaxIntArgs*9]byte // array header, then int64s of at most 9 bytes
}

var intCalls = sync.Pool{New: func() any { return new(intCall) }}

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
