package rt

import (
	"math"
	"testing"

	"usegolib.local/shim/codec"
)

func TestSliceSnapshotSeesItemWrites(t *testing.T) {
	nan := math.NaN()
	xs := []float64{3, nan, 1}
	before := SnapshotSlice(newCall(nil, nil), xs)
	if before.Changed(xs) {
		t.Fatal("an unchanged slice (holding a NaN) reported changed")
	}
	xs[2] = 2
	if !before.Changed(xs) {
		t.Fatal("an item write was missed")
	}
}

func TestSliceSnapshotOfInterfacesAndStrings(t *testing.T) {
	items := []any{map[string]any{"a": 1}, []any{1}, "s"}
	before := SnapshotSlice(newCall(nil, nil), items)
	if before.Changed(items) {
		t.Fatal("unchanged interfaces holding maps and slices reported changed")
	}
	items[1] = []any{1}
	if !before.Changed(items) {
		t.Fatal("a replaced item was missed")
	}
	words := []string{"a", "b"}
	strings := SnapshotSlice(newCall(nil, nil), words)
	words[0], words[1] = words[1], words[0]
	if !strings.Changed(words) {
		t.Fatal("a swap was missed")
	}
}

func TestSharedSliceNeedsNoSnapshot(t *testing.T) {
	xs := []byte("abc")
	before := SnapshotSharedSlice(newCall(nil, nil), xs, true)
	xs[0] = 'x'
	if before.Changed(xs) {
		t.Fatal("Python's own memory reported as a write to send back")
	}
}

func TestMapSnapshotSeesAddsDeletesAndAssignments(t *testing.T) {
	for name, change := range map[string]func(map[string]any){
		"add":    func(m map[string]any) { m["c"] = 3 },
		"delete": func(m map[string]any) { delete(m, "a") },
		"assign": func(m map[string]any) { m["b"] = []any{2} },
		"swap":   func(m map[string]any) { m["a"], m["b"] = m["b"], m["a"] },
	} {
		m := map[string]any{"a": 1, "b": []any{1}}
		before := SnapshotMap(nil, m)
		if before.Changed(m) {
			t.Fatalf("%s: unchanged map reported changed", name)
		}
		change(m)
		if !before.Changed(m) {
			t.Fatalf("%s: missed", name)
		}
	}
}

func TestWritesPayload(t *testing.T) {
	c := newCall(nil, nil)
	var w Written
	w.Note(0, false)
	w.Note(1, true)
	if c.BeginWrites(0) || !w.Has(1) || w.Has(0) {
		t.Fatal("wrong written set")
	}
	if !c.BeginWrites(w) {
		t.Fatal("writes not begun")
	}
	c.ReturnInt(5)
	if c.hasInt || len(c.Out) != 3 || c.Out[0] != 0x92 || c.Out[1] != 0x81 || c.Out[2] != 5 {
		t.Fatalf("payload % x (immediate %v)", c.Out, c.hasInt)
	}
}

func TestBytesOfAnImmutableObjectAreNotChecked(t *testing.T) {
	c := newCall(codec.AppendBytes(nil, []byte("abc")), nil)
	var b []byte
	if err := DecodeBytes(&c.In, &b); err != nil {
		t.Fatal(err)
	}
	before := SnapshotSlice(c, b)
	b[1] = 'x'
	if before.items != nil || before.Changed(b) {
		t.Fatal("Python bytes, which cannot change, were snapshotted or checked")
	}
}

func TestLentWritableMemoryIsComparedInPlace(t *testing.T) {
	backing := []byte("abcdefgh")
	c := newCall(lentArg(ExtShared, backing, borrowToken[:]), nil)
	var b []byte
	if err := DecodeBytes(&c.In, &b); err != nil {
		t.Fatal(err)
	}
	before := SnapshotSlice(c, b)
	if before.source == nil || before.items != nil {
		t.Fatal("a copy of lent memory was snapshotted again")
	}
	if before.Changed(b) {
		t.Fatal("unchanged bytes reported changed")
	}
	b[1] = 'x'
	if !before.Changed(b) || backing[1] != 'b' {
		t.Fatal("a write was missed, or went into the lent memory")
	}
	if SnapshotSlice(c, []byte("abc")).source != nil {
		t.Fatal("the source of another slice was used")
	}
}
