package rt

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"unsafe"

	"usegolib.local/shim/codec"
)

// fastCall runs slot 0 of fast through CallFast with an out buffer of
// capacity bytes, as C calls usegolib_call_fast.
func fastCall(fast []FastArgs, p [MaxFastArgs]unsafe.Pointer, v [MaxFastArgs]int64, capacity int) (int64, []byte) {
	out := make([]byte, HeaderSize+capacity)
	binary.LittleEndian.PutUint64(out, uint64(capacity))
	word := CallFast(fast, 0, unsafe.Pointer(&p), unsafe.Pointer(&v), unsafe.Pointer(&out[0]))
	if word&FlagBig != 0 {
		id := binary.LittleEndian.Uint64(out[offBigID:])
		pinned.Lock()
		payload := append([]byte{}, pinned.m[id].data...)
		pinned.Unlock()
		ReleaseResult(id)
		return word, payload
	}
	if word == NotTaken || word&15 == StatusInt {
		return word, nil
	}
	return word, out[HeaderSize : HeaderSize+int(word>>4)]
}

func upper(p *[MaxFastArgs]unsafe.Pointer, v *[MaxFastArgs]int64, out []byte) ([]byte, int64, bool) {
	s := FastString(p[0], v[0])
	n, ok := Narrow[int8](v[1])
	if !ok {
		return nil, 0, false
	}
	return EncodeString(out, strings.Repeat(strings.ToUpper(s), int(n))), 0, true
}

// A fast-args slot's words are the usual slot's: a result in the out
// buffer, or pinned when it outgrows it; an argument it cannot take is
// NotTaken; a panic is the same status as the usual slot's.
func TestCallFastGivesTheUsualWords(t *testing.T) {
	text := []byte("héllo")
	p := [MaxFastArgs]unsafe.Pointer{unsafe.Pointer(&text[0])}
	word, payload := fastCall([]FastArgs{upper}, p, [MaxFastArgs]int64{int64(len(text)), 2}, 64)
	if word&15 != StatusOK || !bytes.Equal(payload, codec.AppendString(nil, "HÉLLOHÉLLO")) {
		t.Fatal("in the buffer", word&15, payload)
	}
	word, payload = fastCall([]FastArgs{upper}, p, [MaxFastArgs]int64{int64(len(text)), 100}, 64)
	if word&15 != StatusOK|FlagBig || !bytes.Equal(payload, codec.AppendString(nil, strings.Repeat("HÉLLO", 100))) {
		t.Fatal("pinned", word&15, len(payload))
	}
	if word, _ := fastCall([]FastArgs{upper}, p, [MaxFastArgs]int64{int64(len(text)), 300}, 64); word != NotTaken {
		t.Fatal("300 is no int8", word)
	}
	if word, _ := fastCall([]FastArgs{nil}, p, [MaxFastArgs]int64{}, 64); word != NotTaken {
		t.Fatal("no fast slot", word)
	}
	boom := func(*[MaxFastArgs]unsafe.Pointer, *[MaxFastArgs]int64, []byte) ([]byte, int64, bool) { panic("boom") }
	word, payload = fastCall([]FastArgs{boom}, p, [MaxFastArgs]int64{}, 16)
	usual, _ := call(t, func(*Call) error { panic("boom") }, nil)
	// A panic's stack may outgrow the buffer (long paths): FlagBig is
	// allowed, so only the status bits are compared.
	if word&7 != StatusPanic || usual&7 != StatusPanic || !bytes.Contains(payload, []byte("boom")) {
		t.Fatal("panic", word&15, usual&15, string(payload))
	}
}

func TestFastArgumentsAreCopiesAndResultsAsTheUsualEncoders(t *testing.T) {
	data := []byte("abc")
	got := FastBytes(unsafe.Pointer(&data[0]), 3)
	data[0] = 'x'
	if string(got) != "abc" {
		t.Fatal("FastBytes shares the caller's memory", string(got))
	}
	if FastString(nil, 0) != "" || FastFloat(int64(math.Float64bits(-2.5))) != -2.5 {
		t.Fatal("empty string or float bits")
	}
	if res, word, _ := FastInt(nil, -7); res != nil || word != -7<<4|StatusInt {
		t.Fatal("small int", word)
	}
	if res, _, _ := FastInt(nil, math.MinInt64); !bytes.Equal(res, codec.AppendInt(nil, math.MinInt64)) {
		t.Fatal("big int", res)
	}
	if res, _, _ := FastUint(nil, math.MaxUint64); !bytes.Equal(res, codec.AppendUint(nil, math.MaxUint64)) {
		t.Fatal("big uint", res)
	}
}

// BenchmarkCallFastUpper is the Go side of a str call through the fast
// path (compare BenchmarkDispatch*).
func BenchmarkCallFastUpper(b *testing.B) {
	text := []byte("hello world")
	p := [MaxFastArgs]unsafe.Pointer{unsafe.Pointer(&text[0])}
	v := [MaxFastArgs]int64{int64(len(text)), 1}
	out := make([]byte, HeaderSize+1024)
	binary.LittleEndian.PutUint64(out, 1024)
	fast := []FastArgs{upper}
	for i := 0; i < b.N; i++ {
		CallFast(fast, 0, unsafe.Pointer(&p), unsafe.Pointer(&v), unsafe.Pointer(&out[0]))
	}
}
