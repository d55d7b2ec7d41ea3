package rt

import "usegolib.local/shim/codec"

// FastInts is a generated call of a plain function of Go integers (at most
// MaxIntArgs) returning one Go integer or nothing: it takes the integer
// entry points' arguments as they come from C, with no Call, no
// MessagePack and no pool. ok is false, before the function is called,
// when an argument does not fit its parameter's type: the usual slot then
// reports it (CallInts).
type FastInts func(v [MaxIntArgs]int64) (word int64, ok bool)

// CallInts runs call id with n integer arguments: through its fast slot when
// the table has one, else (or when an argument does not fit) as
// DispatchInts does. The word is the same either way.
func CallInts(table []Func, fast []FastInts, id int32, v [MaxIntArgs]int64, n int) int64 {
	if id >= 0 && int(id) < len(fast) && fast[id] != nil {
		if word, ok := runFast(fast[id], id, v); ok {
			return word
		}
	}
	return DispatchInts(table, id, v[:n])
}

// runFast calls f, turning a panic into the word run would have made of it.
func runFast(f FastInts, id int32, v [MaxIntArgs]int64) (word int64, ok bool) {
	returned := false
	defer func() {
		if returned {
			return
		}
		c := newCall(nil, nil) // no out buffer: what the panic says is pinned
		if status, panicked := c.recovered(id, recover(), false); panicked {
			word, ok = pinnedWord(c, status), true
		}
		c.recycle()
	}()
	word, ok = f(v)
	returned = true
	return word, ok
}

// pinnedWord is the word of a call whose result c.Out holds in pinned memory.
func pinnedWord(c *Call, status int64) int64 {
	if word, ok := c.word(status); ok {
		return word
	}
	_, rid := pinResult(c.Out)
	return int64(rid)<<4 | FlagBig | status
}

// Narrow is v as a T, or false when T cannot hold it.
func Narrow[T ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr](
	v int64,
) (T, bool) {
	t := T(v)
	return t, int64(t) == v && (t >= 0) == (v >= 0)
}

// IntWord is the word of a call returning v.
func IntWord(v int64) (int64, bool) {
	if v >= -immediateLimit && v < immediateLimit {
		return v<<4 | StatusInt, true
	}
	_, rid := pinResult(codec.AppendInt(nil, v))
	return int64(rid)<<4 | FlagBig | StatusOK, true
}

// UintWord is the word of a call returning v.
func UintWord(v uint64) (int64, bool) {
	if v < immediateLimit {
		return int64(v)<<4 | StatusInt, true
	}
	_, rid := pinResult(codec.AppendUint(nil, v))
	return int64(rid)<<4 | FlagBig | StatusOK, true
}
