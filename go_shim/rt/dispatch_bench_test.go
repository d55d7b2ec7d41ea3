package rt

import (
	"encoding/binary"
	"testing"
	"unsafe"

	"usegolib.local/shim/codec"
)

func addInt(c *Call) error {
	if err := c.Args(2); err != nil {
		return err
	}
	var a, b int
	if err := DecodeInt[int](&c.In, &a); err != nil {
		return Param(err, "a")
	}
	if err := DecodeInt[int](&c.In, &b); err != nil {
		return Param(err, "b")
	}
	c.ReturnInt(int64(a + b))
	return nil
}

func BenchmarkDispatchAddInt(b *testing.B) {
	table := []Func{addInt}
	args := codec.AppendInt(codec.AppendInt(codec.AppendArrayHeader(nil, 2), 1), 2)
	out := make([]byte, HeaderSize+1024)
	binary.LittleEndian.PutUint64(out, 1024)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w := Dispatch(table, 0, unsafe.Pointer(&args[0]), int32(len(args)), unsafe.Pointer(&out[0]))
		if w != 3<<4|StatusInt {
			b.Fatal(w)
		}
	}
}

func BenchmarkDispatchIntsAddInt(b *testing.B) {
	table := []Func{addInt}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if w := DispatchInts(table, 0, []int64{1, 2}); w != 3<<4|StatusInt {
			b.Fatal(w)
		}
	}
}

func fastAddInt(v [MaxIntArgs]int64) (int64, bool) {
	a, ok := Narrow[int](v[0])
	if !ok {
		return 0, false
	}
	b, ok := Narrow[int](v[1])
	if !ok {
		return 0, false
	}
	return IntWord(int64(a + b))
}

func BenchmarkCallIntsFastAddInt(b *testing.B) {
	table, fast := []Func{addInt}, []FastInts{fastAddInt}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if w := CallInts(table, fast, 0, [MaxIntArgs]int64{1, 2}, 2); w != 3<<4|StatusInt {
			b.Fatal(w)
		}
	}
}
