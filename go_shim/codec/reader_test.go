package codec

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
)

// sample builds a message using every value family and several widths.
func sample() []byte {
	b := AppendMapHeader(nil, 2)
	b = AppendString(b, "ints")
	b = AppendArrayHeader(b, 6)
	b = AppendInt(b, 1)
	b = AppendInt(b, -200)
	b = AppendInt(b, 70000)
	b = AppendInt(b, math.MinInt64)
	b = AppendUint(b, math.MaxUint64)
	b = AppendNil(b)
	b = AppendString(b, "misc")
	b = AppendArrayHeader(b, 7)
	b = AppendBool(b, true)
	b = AppendFloat32(b, 1.5)
	b = AppendFloat64(b, -2.5)
	b = AppendString(b, strings.Repeat("s", 40))
	b = AppendBytes(b, []byte{1, 2, 3})
	b = AppendExt(b, 7, []byte{9, 9, 9})
	b = AppendExt(b, -2, []byte{1, 2, 3, 4})
	return b
}

// decodeSample reads sample() with the typed API, failing on any mismatch.
func decodeSample(r *Reader) error {
	check := func(ok bool, err error) error {
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("wrong value")
		}
		return nil
	}
	n, err := r.ReadMapHeader()
	if err := check(n == 2, err); err != nil {
		return err
	}
	s, err := r.ReadString()
	if err := check(s == "ints", err); err != nil {
		return err
	}
	n, err = r.ReadArrayHeader()
	if err := check(n == 6, err); err != nil {
		return err
	}
	for _, want := range []int64{1, -200, 70000, math.MinInt64} {
		v, err := r.ReadInt64()
		if err := check(v == want, err); err != nil {
			return err
		}
	}
	u, err := r.ReadUint64()
	if err := check(u == math.MaxUint64, err); err != nil {
		return err
	}
	if err := r.ReadNil(); err != nil {
		return err
	}
	sb, err := r.ReadStringBytes()
	if err := check(string(sb) == "misc", err); err != nil {
		return err
	}
	n, err = r.ReadArrayHeader()
	if err := check(n == 7, err); err != nil {
		return err
	}
	bv, err := r.ReadBool()
	if err := check(bv, err); err != nil {
		return err
	}
	f32, err := r.ReadFloat32()
	if err := check(f32 == 1.5, err); err != nil {
		return err
	}
	f64, err := r.ReadFloat64()
	if err := check(f64 == -2.5, err); err != nil {
		return err
	}
	s, err = r.ReadString()
	if err := check(len(s) == 40, err); err != nil {
		return err
	}
	bin, err := r.ReadBinBytes()
	if err := check(bytes.Equal(bin, []byte{1, 2, 3}), err); err != nil {
		return err
	}
	typ, data, err := r.ReadExt()
	if err := check(typ == 7 && bytes.Equal(data, []byte{9, 9, 9}), err); err != nil {
		return err
	}
	typ, data, err = r.ReadExt()
	return check(typ == -2 && len(data) == 4, err)
}

func TestDecodeSample(t *testing.T) {
	b := sample()
	r := NewReader(b)
	if err := decodeSample(&r); err != nil {
		t.Fatal(err)
	}
	if r.Remaining() != 0 {
		t.Fatalf("%d bytes left", r.Remaining())
	}
	r.Reset(b)
	if err := r.Skip(); err != nil || r.Pos() != len(b) {
		t.Fatalf("Skip: %v, pos %d of %d", err, r.Pos(), len(b))
	}
}

// Every proper prefix of a valid message must fail cleanly, both with typed
// reads and with Skip, and the failing read must not move the position.
func TestTruncatedPrefixes(t *testing.T) {
	full := sample()
	for i := 0; i < len(full); i++ {
		// Copy so the prefix has no spare capacity a buggy reader could
		// peek into.
		prefix := append([]byte(nil), full[:i]...)
		r := NewReader(prefix)
		if err := decodeSample(&r); err == nil {
			t.Fatalf("prefix %d: decoded without error", i)
		}
		r.Reset(prefix)
		if err := r.Skip(); err == nil {
			t.Fatalf("prefix %d: Skip succeeded", i)
		} else if r.Pos() != 0 {
			t.Fatalf("prefix %d: failed Skip moved to %d", i, r.Pos())
		}
		// Walking value by value must end in an error that leaves the
		// position where the truncated value starts.
		r.Reset(prefix)
		for {
			start := r.Pos()
			err := advance(&r)
			if err == nil {
				continue
			}
			if !isFormat(err) || r.Pos() != start {
				t.Fatalf("prefix %d: walk failed with %v at %d (started %d)", i, err, r.Pos(), start)
			}
			break
		}
	}
	// At the very end of input every read fails in place.
	r := NewReader(full)
	r.pos = len(full)
	checkAllReadsFailInPlace(t, &r)
}

// advance steps into containers and over everything else, visiting every
// value of the message once.
func advance(r *Reader) error {
	k, err := r.NextKind()
	if err != nil {
		return err
	}
	switch k {
	case KindArray:
		_, err = r.ReadArrayHeader()
	case KindMap:
		_, err = r.ReadMapHeader()
	default:
		err = r.Skip()
	}
	return err
}

// checkAllReadsFailInPlace asserts every read fails at end of input without
// moving the position.
func checkAllReadsFailInPlace(t *testing.T, r *Reader) {
	t.Helper()
	start := r.Pos()
	for name, read := range allReads {
		if err := read(r); err == nil {
			t.Fatalf("%s succeeded at end of input", name)
		} else if !isFormat(err) {
			t.Fatalf("%s at end of input: %T %v", name, err, err)
		}
		if r.Pos() != start {
			t.Fatalf("%s moved position to %d", name, r.Pos())
		}
	}
}

func isFormat(err error) bool {
	var fe *FormatError
	return errors.As(err, &fe)
}

// allReads wraps every consuming read with a uniform signature.
var allReads = map[string]func(r *Reader) error{
	"ReadNil":         func(r *Reader) error { return r.ReadNil() },
	"ReadBool":        func(r *Reader) error { _, err := r.ReadBool(); return err },
	"ReadInt64":       func(r *Reader) error { _, err := r.ReadInt64(); return err },
	"ReadUint64":      func(r *Reader) error { _, err := r.ReadUint64(); return err },
	"ReadFloat64":     func(r *Reader) error { _, err := r.ReadFloat64(); return err },
	"ReadFloat32":     func(r *Reader) error { _, err := r.ReadFloat32(); return err },
	"ReadStringBytes": func(r *Reader) error { _, err := r.ReadStringBytes(); return err },
	"ReadString":      func(r *Reader) error { _, err := r.ReadString(); return err },
	"ReadBinBytes":    func(r *Reader) error { _, err := r.ReadBinBytes(); return err },
	"ReadArrayHeader": func(r *Reader) error { _, err := r.ReadArrayHeader(); return err },
	"ReadMapHeader":   func(r *Reader) error { _, err := r.ReadMapHeader(); return err },
	"ReadExt":         func(r *Reader) error { _, _, err := r.ReadExt(); return err },
	"Skip":            func(r *Reader) error { return r.Skip() },
}

// Each value truncated by one byte or more must fail with a FormatError
// from every read that accepts its kind, and leave the position alone.
func TestTruncatedSingleValues(t *testing.T) {
	values := [][]byte{
		AppendInt(nil, 200), AppendInt(nil, -200), AppendInt(nil, 70000),
		AppendInt(nil, math.MinInt64), AppendUint(nil, math.MaxUint64),
		AppendFloat32(nil, 1), AppendFloat64(nil, 1),
		AppendString(nil, "abc"), AppendString(nil, strings.Repeat("x", 300)),
		AppendString(nil, strings.Repeat("x", 70000)),
		AppendBytes(nil, []byte("abc")), AppendBytes(nil, make([]byte, 300)),
		AppendBytes(nil, make([]byte, 70000)),
		AppendExt(nil, 1, []byte{1}), AppendExt(nil, 1, make([]byte, 3)),
		AppendExt(nil, 1, make([]byte, 300)), AppendExt(nil, 1, make([]byte, 70000)),
		append(AppendArrayHeader(nil, 20), make([]byte, 20)...),
		append(AppendArrayHeader(nil, 70000), make([]byte, 70000)...),
		append(AppendMapHeader(nil, 20), make([]byte, 40)...),
		append(AppendMapHeader(nil, 70000), make([]byte, 140000)...),
	}
	for _, v := range values {
		for i := 0; i < len(v); i++ {
			r := NewReader(v[:i])
			for name, read := range allReads {
				err := read(&r)
				if err == nil {
					t.Fatalf("% x truncated to %d: %s succeeded", v[:min(len(v), 6)], i, name)
				}
				if r.Pos() != 0 {
					t.Fatalf("% x truncated to %d: %s moved to %d", v[:min(len(v), 6)], i, name, r.Pos())
				}
			}
		}
	}
}

func TestTypeErrors(t *testing.T) {
	r := NewReader(AppendString(nil, "x"))
	_, err := r.ReadInt64()
	var te *TypeError
	if !errors.As(err, &te) || te.Want != "int" || te.Got != KindStr {
		t.Fatalf("ReadInt64 on str: %#v", err)
	}
	if err.Error() != "expected int, got str" {
		t.Fatalf("message %q", err.Error())
	}
	if r.Pos() != 0 {
		t.Fatal("failed read moved position")
	}

	// Each kind read with each wrong reader; the Want word is checked too.
	values := map[Kind][]byte{
		KindNil: AppendNil(nil), KindBool: AppendBool(nil, false),
		KindInt: AppendInt(nil, -5), KindUint: AppendUint(nil, 5),
		KindFloat32: AppendFloat32(nil, 1), KindFloat64: AppendFloat64(nil, 1),
		KindStr: AppendString(nil, "a"), KindBin: AppendBytes(nil, []byte("a")),
		KindArray: AppendArrayHeader(nil, 0), KindMap: AppendMapHeader(nil, 0),
		KindExt: AppendExt(nil, 1, []byte{1}),
	}
	readers := []struct {
		want    string
		read    func(*Reader) error
		accepts []Kind
	}{
		{"nil", allReads["ReadNil"], []Kind{KindNil}},
		{"bool", allReads["ReadBool"], []Kind{KindBool}},
		{"int", allReads["ReadInt64"], []Kind{KindInt, KindUint}},
		{"int", allReads["ReadUint64"], []Kind{KindUint}}, // -5 overflows instead
		{"float", allReads["ReadFloat64"], []Kind{KindInt, KindUint, KindFloat32, KindFloat64}},
		{"float", allReads["ReadFloat32"], []Kind{KindInt, KindUint, KindFloat32, KindFloat64}},
		{"str", allReads["ReadString"], []Kind{KindStr}},
		{"str", allReads["ReadStringBytes"], []Kind{KindStr}},
		{"bin", allReads["ReadBinBytes"], []Kind{KindBin}},
		{"array", allReads["ReadArrayHeader"], []Kind{KindArray}},
		{"map", allReads["ReadMapHeader"], []Kind{KindMap}},
		{"ext", allReads["ReadExt"], []Kind{KindExt}},
	}
	for _, rd := range readers {
		for k, b := range values {
			r := NewReader(b)
			if got, err := r.NextKind(); got != k || err != nil {
				t.Fatalf("NextKind(% x) = %v, %v; want %v", b, got, err, k)
			}
			err := rd.read(&r)
			accepted := false
			for _, a := range rd.accepts {
				accepted = accepted || a == k
			}
			if accepted {
				if err != nil {
					t.Errorf("read %s of %v: %v", rd.want, k, err)
				}
				continue
			}
			if r.Pos() != 0 {
				t.Errorf("read %s of %v moved position", rd.want, k)
			}
			if k == KindInt && rd.want == "int" {
				var oe *OverflowError
				if !errors.As(err, &oe) {
					t.Errorf("ReadUint64(-5): %v", err)
				}
				continue
			}
			if !errors.As(err, &te) || te.Want != rd.want || te.Got != k {
				t.Errorf("read %s of %v: %#v", rd.want, k, err)
			}
		}
	}
}

func TestKindString(t *testing.T) {
	want := map[Kind]string{
		KindInvalid: "invalid", KindNil: "nil", KindBool: "bool", KindInt: "int", KindUint: "int",
		KindFloat32: "float", KindFloat64: "float", KindStr: "str", KindBin: "bin",
		KindArray: "array", KindMap: "map", KindExt: "ext", Kind(99): "Kind(99)",
	}
	for k, s := range want {
		if k.String() != s {
			t.Errorf("Kind(%d).String() = %q, want %q", k, k.String(), s)
		}
	}
}

func TestOverflow(t *testing.T) {
	r := NewReader(AppendUint(nil, math.MaxInt64+1))
	_, err := r.ReadInt64()
	var oe *OverflowError
	if !errors.As(err, &oe) || oe.Type != "int64" || oe.Value != "9223372036854775808" || r.Pos() != 0 {
		t.Fatalf("ReadInt64(MaxInt64+1): %v", err)
	}
	if err.Error() != "value 9223372036854775808 out of range for int64" {
		t.Fatalf("message %q", err.Error())
	}
	if v, err := r.ReadUint64(); err != nil || v != math.MaxInt64+1 {
		t.Fatalf("ReadUint64 after overflow: %d, %v", v, err)
	}

	r.Reset(AppendInt(nil, -1))
	if _, err := r.ReadUint64(); !errors.As(err, &oe) || oe.Type != "uint64" || oe.Value != "-1" || r.Pos() != 0 {
		t.Fatalf("ReadUint64(-1): %v", err)
	}

	for _, f := range []float64{math.MaxFloat64, -1e39, math.Nextafter(math.MaxFloat32, math.Inf(1))} {
		r.Reset(AppendFloat64(nil, f))
		if _, err := r.ReadFloat32(); !errors.As(err, &oe) || oe.Type != "float32" || r.Pos() != 0 {
			t.Fatalf("ReadFloat32(%v): %v", f, err)
		}
	}
	for _, f := range []float64{math.MaxFloat32, -math.MaxFloat32, math.Inf(-1), 1e-50} {
		r.Reset(AppendFloat64(nil, f))
		if v, err := r.ReadFloat32(); err != nil || float64(v) != float64(float32(f)) {
			t.Fatalf("ReadFloat32(%v) = %v, %v", f, v, err)
		}
	}
	r.Reset(AppendUint(nil, math.MaxUint64))
	if v, err := r.ReadFloat32(); err != nil || v != float32(math.MaxUint64) {
		t.Fatalf("ReadFloat32(MaxUint64) = %v, %v", v, err)
	}

	// Custom narrowing done by callers uses the same type.
	if s := (&OverflowError{Value: "300", Type: "uint8"}).Error(); s != "value 300 out of range for uint8" {
		t.Fatalf("message %q", s)
	}
}

func TestHeaderSanityCheck(t *testing.T) {
	cases := [][]byte{
		{0xdd, 0xff, 0xff, 0xff, 0xff},       // array32 of 4G elements, no body
		{0xdf, 0xff, 0xff, 0xff, 0xff},       // map32 of 4G pairs
		{0xdc, 0x00, 0x03, 0xc0, 0xc0},       // array16 of 3 with 2 bytes left
		{0xde, 0x00, 0x02, 0xc0, 0xc0, 0xc0}, // map16 of 2 pairs with 3 bytes left
		{0x92, 0xc0},                         // fixarray of 2 with 1 byte left
		{0x81, 0xc0},                         // fixmap of 1 with 1 byte left
	}
	for _, b := range cases {
		r := NewReader(b)
		var err error
		if kindOf[b[0]] == KindArray {
			_, err = r.ReadArrayHeader()
		} else {
			_, err = r.ReadMapHeader()
		}
		var fe *FormatError
		if !errors.As(err, &fe) || fe.Msg != msgTooLarge || fe.Pos != 0 || r.Pos() != 0 {
			t.Errorf("% x: %v, pos %d", b, err, r.Pos())
		}
		if err := r.Skip(); !errors.As(err, &fe) || r.Pos() != 0 {
			t.Errorf("Skip % x: %v", b, err)
		}
	}
	// Exactly enough bytes is fine.
	r := NewReader([]byte{0x82, 1, 2, 3, 4})
	if n, err := r.ReadMapHeader(); n != 2 || err != nil {
		t.Fatalf("ReadMapHeader = %d, %v", n, err)
	}
}

func TestMalformed(t *testing.T) {
	var fe *FormatError
	r := NewReader(nil)
	if k, err := r.NextKind(); k != KindInvalid || !errors.As(err, &fe) || fe.Msg != msgEOF {
		t.Fatalf("NextKind at end: %v, %v", k, err)
	}
	if r.IsNil() {
		t.Fatal("IsNil at end of input")
	}
	r.Reset([]byte{0xc1})
	if _, err := r.NextKind(); !errors.As(err, &fe) || fe.Msg != msgReserved {
		t.Fatalf("NextKind(0xc1): %v", err)
	}
	for name, read := range allReads {
		if err := read(&r); !errors.As(err, &fe) || fe.Msg != msgReserved || r.Pos() != 0 {
			t.Errorf("%s(0xc1): %v", name, err)
		}
	}
	// Reserved byte nested inside a container.
	r.Reset([]byte{0x93, 0x01, 0xc1, 0x02})
	if err := r.Skip(); !errors.As(err, &fe) || fe.Pos != 2 || r.Pos() != 0 {
		t.Fatalf("Skip nested 0xc1: %v", err)
	}
	if s := (&FormatError{Pos: 7, Msg: "bad"}).Error(); s != "msgpack: bad at offset 7" {
		t.Fatalf("message %q", s)
	}
}

func TestPeekDoesNotConsume(t *testing.T) {
	r := NewReader([]byte{0xc0, 0x01})
	if !r.IsNil() || r.Pos() != 0 {
		t.Fatal("IsNil")
	}
	if k, err := r.NextKind(); k != KindNil || err != nil || r.Pos() != 0 {
		t.Fatal("NextKind")
	}
	if err := r.ReadNil(); err != nil || r.Pos() != 1 || r.Remaining() != 1 {
		t.Fatal("ReadNil")
	}
	if r.IsNil() {
		t.Fatal("IsNil on int")
	}
}

// Aliased payloads must not let an append by the caller clobber later input.
func TestAliasedSlicesAreCapped(t *testing.T) {
	b := AppendString(nil, "ab")
	b = AppendInt(b, 5)
	r := NewReader(b)
	s, _ := r.ReadStringBytes()
	_ = append(s, 'X')
	if v, err := r.ReadInt64(); v != 5 || err != nil {
		t.Fatalf("input clobbered: %d, %v", v, err)
	}
}

func nested(depth int) []byte {
	b := bytes.Repeat([]byte{0x91}, depth) // fixarray of one element
	return append(b, 0xc0)
}

func TestSkipDepth(t *testing.T) {
	for _, d := range []int{1, 100, MaxDepth} {
		b := nested(d)
		r := NewReader(b)
		if err := r.Skip(); err != nil || r.Remaining() != 0 {
			t.Fatalf("depth %d: %v", d, err)
		}
	}
	for _, d := range []int{MaxDepth + 1, 20000, 1_000_000} {
		r := NewReader(nested(d))
		var fe *FormatError
		if err := r.Skip(); !errors.As(err, &fe) || fe.Msg != msgTooDeep || r.Pos() != 0 {
			t.Fatalf("depth %d: %v", d, err)
		}
	}
	// Maps nest too.
	b := bytes.Repeat([]byte{0x81, 0xc0}, MaxDepth+1)
	b = append(b, 0xc0)
	r := NewReader(b)
	if err := r.Skip(); err == nil {
		t.Fatal("deep maps accepted")
	}
}

func TestSkipEveryKind(t *testing.T) {
	var b []byte
	b = AppendNil(b)
	values := 1
	add := func(v []byte) { b = append(b, v...); values++ }
	add(AppendBool(nil, true))
	for _, v := range []int64{0, -1, 200, -200, 70000, -70000, 1 << 40, -1 << 40} {
		add(AppendInt(nil, v))
	}
	add(AppendUint(nil, math.MaxUint64))
	add(AppendFloat32(nil, 1))
	add(AppendFloat64(nil, 1))
	for _, n := range []int{0, 31, 32, 256, 70000} {
		add(AppendString(nil, strings.Repeat("z", n)))
		add(AppendBytes(nil, make([]byte, n)))
	}
	for _, n := range []int{0, 1, 2, 3, 4, 8, 16, 300, 70000} {
		add(AppendExt(nil, 3, make([]byte, n)))
	}
	add(append(AppendArrayHeader(nil, 16), make([]byte, 16)...))
	add(append(AppendArrayHeader(nil, 70000), make([]byte, 70000)...))
	add(append(AppendMapHeader(nil, 16), make([]byte, 32)...))
	add(append(AppendMapHeader32(nil, 2), 1, 2, 3, 4))

	r := NewReader(b)
	for i := 0; i < values; i++ {
		start := r.Pos()
		if err := r.Skip(); err != nil {
			t.Fatalf("value %d at %d: %v", i, start, err)
		}
	}
	if r.Remaining() != 0 {
		t.Fatalf("%d bytes left", r.Remaining())
	}
}

func TestReadsDoNotAllocate(t *testing.T) {
	b := sample()
	r := NewReader(b)
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(b)
		_, _ = r.ReadMapHeader()
		_, _ = r.ReadStringBytes()
		_, _ = r.ReadArrayHeader()
		_, _ = r.ReadInt64()
		_, _ = r.ReadInt64()
		_, _ = r.ReadFloat64()
		_, _ = r.ReadInt64()
		_, _ = r.ReadUint64()
		_ = r.ReadNil()
		_ = r.Skip()
		_ = r.Skip()
	})
	if allocs != 0 {
		t.Fatalf("reads allocated %v times", allocs)
	}
}
