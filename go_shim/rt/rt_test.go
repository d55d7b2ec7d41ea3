package rt

import (
	"encoding/binary"
	"errors"
	"math/big"
	"strings"
	"testing"
	"unsafe"

	"usegolib.local/shim/codec"
)

// call runs one slot through Dispatch with a small out buffer and returns
// the status word and the payload.
func call(t *testing.T, f Func, args []byte) (int64, []byte) {
	t.Helper()
	out := make([]byte, HeaderSize+64)
	binary.LittleEndian.PutUint64(out, 64)
	var argp unsafe.Pointer
	if len(args) > 0 {
		argp = unsafe.Pointer(&args[0])
	}
	word := Dispatch([]Func{f}, 0, argp, int32(len(args)), unsafe.Pointer(&out[0]))
	if word&FlagBig != 0 {
		id := binary.LittleEndian.Uint64(out[offBigID:])
		pinned.Lock()
		payload := pinned.m[id].data
		pinned.Unlock()
		if uint64(len(payload)) != binary.LittleEndian.Uint64(out[offBigLength:]) {
			t.Fatal("big result length mismatch")
		}
		payload = append([]byte{}, payload...)
		ReleaseResult(id)
		return word, payload
	}
	if word&7 == StatusInt {
		return word, nil
	}
	return word, out[HeaderSize : HeaderSize+int(word>>4)]
}

func array(values ...func([]byte) []byte) []byte {
	b := codec.AppendArrayHeader(nil, len(values))
	for _, v := range values {
		b = v(b)
	}
	return b
}

func TestPanicsBecomeStatusPanicWithTheStack(t *testing.T) {
	word, payload := call(t, func(c *Call) error { panic("boom") }, array())
	if word&7 != StatusPanic {
		t.Fatalf("status %d", word&7)
	}
	r := codec.NewReader(payload)
	if n, _ := r.ReadArrayHeader(); n != 3 {
		t.Fatalf("panic payload has %d items", n)
	}
	msg, _ := r.ReadString()
	typ, _ := r.ReadString()
	stack, _ := r.ReadString()
	if msg != "boom" || typ != "string" {
		t.Errorf("message %q type %q", msg, typ)
	}
	if !strings.HasPrefix(stack, "goroutine ") || strings.Contains(stack, "runtime/debug.Stack") || !strings.Contains(stack, "rt_test.go") {
		t.Errorf("stack not trimmed to the panicking code:\n%s", stack)
	}
}

func TestArgumentErrorsCarryTheirPath(t *testing.T) {
	f := func(c *Call) error {
		if err := c.Args(1); err != nil {
			return err
		}
		var v int8
		return Param(At(At(DecodeInt(&c.In, &v), Key("x")), Index(2)), "points")
	}
	word, payload := call(t, f, array(func(b []byte) []byte { return codec.AppendInt(b, 300) }))
	if word&7 != StatusArgError {
		t.Fatalf("status %d", word&7)
	}
	r := codec.NewReader(payload)
	r.ReadArrayHeader()
	kind, _ := r.ReadString()
	path, _ := r.ReadString()
	msg, _ := r.ReadString()
	if kind != KindOverflow || path != "points[2].x" || msg != "value 300 out of range for Go int8" {
		t.Errorf("got %q %q %q", kind, path, msg)
	}
}

func TestMapKeysAreSpelledLikePython(t *testing.T) {
	type key string
	for k, want := range map[any]string{"a": "['a']", key("it's"): `['it\'s']`, 3: "[3]", true: "[true]"} {
		if got := MapKey(k); got != want {
			t.Errorf("MapKey(%v) = %s, want %s", k, got, want)
		}
	}
}

func TestImmediateIntegersAndTheirLimits(t *testing.T) {
	for _, v := range []int64{0, -1, immediateLimit - 1, -immediateLimit} {
		word, _ := call(t, func(c *Call) error { c.ReturnInt(v); return nil }, nil)
		if word&7 != StatusInt || word>>4 != v {
			t.Errorf("ReturnInt(%d) gave word %x", v, word)
		}
	}
	word, payload := call(t, func(c *Call) error { c.ReturnInt(immediateLimit); return nil }, nil)
	r := codec.NewReader(payload)
	if v, _ := r.ReadInt64(); word&7 != StatusOK || v != immediateLimit {
		t.Errorf("large int came back as word %x payload %v", word, payload)
	}
}

func TestResultsLargerThanTheBufferArePinnedGoMemory(t *testing.T) {
	big := strings.Repeat("x", 1000)
	word, payload := call(t, func(c *Call) error { c.Out = codec.AppendString(c.Out, big); return nil }, nil)
	if word&FlagBig == 0 {
		t.Fatal("a 1000-byte result fit a 64-byte buffer")
	}
	r := codec.NewReader(payload)
	if s, _ := r.ReadString(); s != big {
		t.Error("big result corrupted")
	}
	pinned.Lock()
	defer pinned.Unlock()
	if len(pinned.m) != 0 {
		t.Errorf("%d results still pinned after release", len(pinned.m))
	}
}

func TestUnknownCallIDsAreABIErrors(t *testing.T) {
	out := make([]byte, HeaderSize+64)
	binary.LittleEndian.PutUint64(out, 64)
	if word := Dispatch(nil, 7, nil, 0, unsafe.Pointer(&out[0])); word&7 != StatusABIError {
		t.Errorf("status %d", word&7)
	}
}

type shape interface{ Area() int }

type square struct{ side int }

func (s square) Area() int { return s.side * s.side }

func TestHandlesKeepValueSemanticsThroughInterfaces(t *testing.T) {
	b := EncodeHandleValue(nil, square{3}, 1)
	id := binary.BigEndian.Uint64(b[len(b)-8:])
	defer ReleaseHandle(id)
	arg := codec.AppendExt(nil, ExtHandle, binary.BigEndian.AppendUint64(nil, id))
	r := codec.NewReader(arg)
	var s shape
	if err := DecodeInterface(&r, &s); err != nil {
		t.Fatal(err)
	}
	if _, isValue := s.(square); !isValue || s.Area() != 9 {
		t.Errorf("got %#v", s)
	}
	r = codec.NewReader(arg)
	var p *square
	if err := DecodeHandlePtr(&r, &p); err != nil || p.side != 3 {
		t.Errorf("as pointer: %v %v", p, err)
	}
	r = codec.NewReader(arg)
	var wrong *big.Int
	var ce *ConvError
	if err := DecodeHandlePtr(&r, &wrong); !errors.As(err, &ce) || ce.Kind != KindType {
		t.Errorf("wrong handle type gave %v", err)
	}
}

func TestReleasedHandlesAreValueErrors(t *testing.T) {
	b := EncodeHandlePtr(nil, &square{1}, 1)
	id := binary.BigEndian.Uint64(b[len(b)-8:])
	ReleaseHandle(id)
	r := codec.NewReader(codec.AppendExt(nil, ExtHandle, binary.BigEndian.AppendUint64(nil, id)))
	var p *square
	var ce *ConvError
	if err := DecodeHandlePtr(&r, &p); !errors.As(err, &ce) || ce.Kind != KindValue {
		t.Errorf("released handle gave %v", err)
	}
}

func TestAnyRefusesHostileNesting(t *testing.T) {
	var deep []byte
	for i := 0; i <= maxAnyDepth+1; i++ {
		deep = codec.AppendArrayHeader(deep, 1)
	}
	deep = codec.AppendNil(deep)
	r := codec.NewReader(deep)
	var v any
	if err := DecodeAny(&r, &v); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("got %v", err)
	}
}

func TestBigIntegersRoundTrip(t *testing.T) {
	for _, s := range []string{"0", "-1", "18446744073709551615", "-18446744073709551616", "123456789012345678901234567890"} {
		want, _ := new(big.Int).SetString(s, 10)
		b := EncodeBigInt(nil, want)
		r := codec.NewReader(b)
		var got *big.Int
		if err := DecodeBigInt(&r, &got); err != nil || got.Cmp(want) != 0 {
			t.Errorf("%s came back as %v (%v)", s, got, err)
		}
	}
	r := codec.NewReader(EncodeBigInt(nil, new(big.Int).Lsh(big.NewInt(1), 80)))
	var small int64
	var ce *ConvError
	if err := DecodeInt(&r, &small); !errors.As(err, &ce) || ce.Kind != KindOverflow {
		t.Errorf("2**80 into int64 gave %v", err)
	}
}

func TestHandlesOfAFailedResultAreReleased(t *testing.T) {
	before := HandleCount()
	word, _ := call(t, func(c *Call) error {
		c.Out = codec.AppendArrayHeader(c.Out, 3)
		c.Out = EncodeHandlePtr(c.Out, &square{1}, 1)
		c.Out = EncodeHandlePtr(c.Out, &square{2}, 1)
		panic("while encoding results")
	}, nil)
	if word&7 != StatusPanic {
		t.Fatalf("status %d", word&7)
	}
	if after := HandleCount(); after != before {
		t.Errorf("%d handles leaked", after-before)
	}
}
