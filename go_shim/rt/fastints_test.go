package rt

import (
	"math"
	"testing"
)

func TestNarrowRefusesWhatTheTypeCannotHold(t *testing.T) {
	if v, ok := Narrow[int8](-128); !ok || v != -128 {
		t.Fatal("int8 -128", v, ok)
	}
	for _, v := range []int64{128, -129} {
		if _, ok := Narrow[int8](v); ok {
			t.Fatal("int8 took", v)
		}
	}
	if _, ok := Narrow[uint](-1); ok {
		t.Fatal("uint took -1")
	}
	if _, ok := Narrow[uint32](-1); ok {
		t.Fatal("uint32 took -1")
	}
	if v, ok := Narrow[uint16](math.MaxUint16); !ok || v != math.MaxUint16 {
		t.Fatal("uint16 max", v, ok)
	}
	type weekday int8 // a named type, as a library's
	if v, ok := Narrow[weekday](6); !ok || v != 6 {
		t.Fatal("weekday", v, ok)
	}
}

// A fast slot's words are the usual slot's: an argument it cannot take
// goes to the usual slot, and a panic comes back as the same status.
func TestCallIntsGivesTheUsualSlotsWords(t *testing.T) {
	usual := 0
	table := []Func{func(c *Call) error { usual++; return addInt(c) }, func(*Call) error { panic("boom") }}
	narrow := func(v [MaxIntArgs]int64) (int64, bool) {
		a, ok := Narrow[int8](v[0])
		if !ok {
			return 0, false
		}
		return IntWord(int64(a) + v[1])
	}
	boom := func([MaxIntArgs]int64) (int64, bool) { panic("boom") }
	fast := []FastInts{narrow, boom}
	if w := CallInts(table, fast, 0, [MaxIntArgs]int64{1, 2}, 2); w != 3<<4|StatusInt || usual != 0 {
		t.Fatal("fast", w, usual)
	}
	if w := CallInts(table, fast, 0, [MaxIntArgs]int64{300, 2}, 2); w != 302<<4|StatusInt || usual != 1 {
		t.Fatal("not an int8: the usual slot", w, usual)
	}
	fastWord := CallInts(table, fast, 1, [MaxIntArgs]int64{}, 0)
	usualWord := DispatchInts(table, 1, nil)
	if fastWord&15 != StatusPanic|FlagBig || usualWord&15 != fastWord&15 {
		t.Fatal("panic words", fastWord&15, usualWord&15)
	}
	ReleaseResult(uint64(fastWord >> 4))
	ReleaseResult(uint64(usualWord >> 4))
	w, _ := IntWord(math.MaxInt64)
	if w&15 != FlagBig|StatusOK {
		t.Fatal("a big result is pinned", w&15)
	}
	ReleaseResult(uint64(w >> 4))
}
