package codec

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// Known encodings written by hand from the MessagePack spec.
func TestKnownEncodings(t *testing.T) {
	cases := []struct {
		name string
		got  []byte
		want []byte
	}{
		{"nil", AppendNil(nil), []byte{0xc0}},
		{"false", AppendBool(nil, false), []byte{0xc2}},
		{"true", AppendBool(nil, true), []byte{0xc3}},
		{"int 0", AppendInt(nil, 0), []byte{0x00}},
		{"int 127", AppendInt(nil, 127), []byte{0x7f}},
		{"int 128", AppendInt(nil, 128), []byte{0xcc, 0x80}},
		{"int 256", AppendInt(nil, 256), []byte{0xcd, 0x01, 0x00}},
		{"int 65536", AppendInt(nil, 65536), []byte{0xce, 0, 1, 0, 0}},
		{"int 2^32", AppendInt(nil, 1<<32), []byte{0xcf, 0, 0, 0, 1, 0, 0, 0, 0}},
		{"int -1", AppendInt(nil, -1), []byte{0xff}},
		{"int -32", AppendInt(nil, -32), []byte{0xe0}},
		{"int -33", AppendInt(nil, -33), []byte{0xd0, 0xdf}},
		{"int -129", AppendInt(nil, -129), []byte{0xd1, 0xff, 0x7f}},
		{"int -32769", AppendInt(nil, -32769), []byte{0xd2, 0xff, 0xff, 0x7f, 0xff}},
		{"int min", AppendInt(nil, math.MinInt64), []byte{0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0}},
		{"uint max", AppendUint(nil, math.MaxUint64), []byte{0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{"float32 1.5", AppendFloat32(nil, 1.5), []byte{0xca, 0x3f, 0xc0, 0, 0}},
		{"float64 1.5", AppendFloat64(nil, 1.5), []byte{0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0}},
		{"str a", AppendString(nil, "a"), []byte{0xa1, 'a'}},
		{"str empty", AppendString(nil, ""), []byte{0xa0}},
		{"strbytes a", AppendStringBytes(nil, []byte("a")), []byte{0xa1, 'a'}},
		{"str invalid utf8", AppendString(nil, "\xff"), []byte{0xa1, 0xff}},
		{"bin empty", AppendBytes(nil, nil), []byte{0xc4, 0}},
		{"bin 1", AppendBytes(nil, []byte{7}), []byte{0xc4, 1, 7}},
		{"array 0", AppendArrayHeader(nil, 0), []byte{0x90}},
		{"array 15", AppendArrayHeader(nil, 15), []byte{0x9f}},
		{"array 16", AppendArrayHeader(nil, 16), []byte{0xdc, 0, 16}},
		{"array 65536", AppendArrayHeader(nil, 65536), []byte{0xdd, 0, 1, 0, 0}},
		{"map 15", AppendMapHeader(nil, 15), []byte{0x8f}},
		{"map 16", AppendMapHeader(nil, 16), []byte{0xde, 0, 16}},
		{"map 65536", AppendMapHeader(nil, 65536), []byte{0xdf, 0, 1, 0, 0}},
		{"map32 1", AppendMapHeader32(nil, 1), []byte{0xdf, 0, 0, 0, 1}},
		{"fixext1", AppendExt(nil, 5, []byte{9}), []byte{0xd4, 5, 9}},
		{"fixext2", AppendExtHeader(nil, -1, 2), []byte{0xd5, 0xff}},
		{"fixext4", AppendExtHeader(nil, -1, 4), []byte{0xd6, 0xff}},
		{"fixext8", AppendExtHeader(nil, -1, 8), []byte{0xd7, 0xff}},
		{"fixext16", AppendExtHeader(nil, -1, 16), []byte{0xd8, 0xff}},
		{"ext8 0", AppendExt(nil, 1, nil), []byte{0xc7, 0, 1}},
		{"ext8 3", AppendExtHeader(nil, 1, 3), []byte{0xc7, 3, 1}},
		{"ext16", AppendExtHeader(nil, 1, 256), []byte{0xc8, 1, 0, 1}},
		{"ext32", AppendExtHeader(nil, 1, 65536), []byte{0xc9, 0, 1, 0, 0, 1}},
	}
	for _, c := range cases {
		if !bytes.Equal(c.got, c.want) {
			t.Errorf("%s: got % x, want % x", c.name, c.got, c.want)
		}
	}
}

// Appending must extend, never overwrite, what is already in the buffer.
func TestAppendPreservesPrefix(t *testing.T) {
	b := AppendString([]byte{1, 2}, "xy")
	if !bytes.Equal(b, []byte{1, 2, 0xa2, 'x', 'y'}) {
		t.Fatalf("got % x", b)
	}
}

func TestStringBoundaries(t *testing.T) {
	for _, c := range []struct{ n, hdr int }{
		{0, 1}, {31, 1}, {32, 2}, {255, 2}, {256, 3}, {65535, 3}, {65536, 5},
	} {
		s := strings.Repeat("x", c.n)
		b := AppendString(nil, s)
		if len(b) != c.hdr+c.n {
			t.Errorf("str len %d: encoded %d bytes, want %d", c.n, len(b), c.hdr+c.n)
		}
		if !bytes.Equal(b, AppendStringBytes(nil, []byte(s))) {
			t.Errorf("str len %d: AppendString and AppendStringBytes differ", c.n)
		}
		r := NewReader(b)
		got, err := r.ReadString()
		if err != nil || got != s || r.Remaining() != 0 {
			t.Errorf("str len %d: read %d bytes, err %v, remaining %d", c.n, len(got), err, r.Remaining())
		}
	}
}

func TestBinBoundaries(t *testing.T) {
	for _, c := range []struct{ n, hdr int }{
		{0, 2}, {255, 2}, {256, 3}, {65535, 3}, {65536, 5},
	} {
		v := bytes.Repeat([]byte{0xab}, c.n)
		b := AppendBytes(nil, v)
		if len(b) != c.hdr+c.n {
			t.Errorf("bin len %d: encoded %d bytes, want %d", c.n, len(b), c.hdr+c.n)
		}
		r := NewReader(b)
		got, err := r.ReadBinBytes()
		if err != nil || !bytes.Equal(got, v) || r.Remaining() != 0 {
			t.Errorf("bin len %d: err %v, remaining %d", c.n, err, r.Remaining())
		}
	}
}

func TestHeaderBoundaries(t *testing.T) {
	for _, c := range []struct{ n, hdr int }{
		{0, 1}, {15, 1}, {16, 3}, {65535, 3}, {65536, 5}, {math.MaxUint32, 5},
	} {
		if got := len(AppendArrayHeader(nil, c.n)); got != c.hdr {
			t.Errorf("array %d: header %d bytes, want %d", c.n, got, c.hdr)
		}
		if got := len(AppendMapHeader(nil, c.n)); got != c.hdr {
			t.Errorf("map %d: header %d bytes, want %d", c.n, got, c.hdr)
		}
		// Round trip with enough (nil) elements to pass the sanity check.
		if c.n > 1<<17 {
			continue
		}
		arr := AppendArrayHeader(nil, c.n)
		arr = append(arr, make([]byte, c.n)...)
		r := NewReader(arr)
		if n, err := r.ReadArrayHeader(); err != nil || n != c.n || r.Pos() != c.hdr {
			t.Errorf("array %d: read %d, %v, pos %d", c.n, n, err, r.Pos())
		}
		m := AppendMapHeader(nil, c.n)
		m = append(m, make([]byte, 2*c.n)...)
		r = NewReader(m)
		if n, err := r.ReadMapHeader(); err != nil || n != c.n || r.Pos() != c.hdr {
			t.Errorf("map %d: read %d, %v, pos %d", c.n, n, err, r.Pos())
		}
	}
}

func TestExtRoundTrip(t *testing.T) {
	for _, c := range []struct{ n, hdr int }{
		{0, 3}, {1, 2}, {2, 2}, {3, 3}, {4, 2}, {8, 2}, {16, 2}, {17, 3},
		{255, 3}, {256, 4}, {65535, 4}, {65536, 6},
	} {
		data := bytes.Repeat([]byte{0x5a}, c.n)
		for _, typ := range []int8{-128, -1, 0, 127} {
			b := AppendExt(nil, typ, data)
			if len(b) != c.hdr+c.n {
				t.Errorf("ext len %d: encoded %d bytes, want %d", c.n, len(b), c.hdr+c.n)
			}
			r := NewReader(b)
			gt, gd, err := r.ReadExt()
			if err != nil || gt != typ || !bytes.Equal(gd, data) || r.Remaining() != 0 {
				t.Errorf("ext len %d type %d: got type %d, err %v", c.n, typ, gt, err)
			}
		}
	}
}

func TestPutMapHeader32(t *testing.T) {
	b := []byte{0x01} // unrelated prefix
	start := len(b)
	b = AppendMapHeader32(b, 0)
	for i := 0; i < 3; i++ {
		b = AppendInt(b, int64(i))
		b = AppendNil(b)
	}
	PutMapHeader32(b[start:], 3)
	if !bytes.Equal(b[:start+5], []byte{0x01, 0xdf, 0, 0, 0, 3}) {
		t.Fatalf("patched header % x", b[:start+5])
	}
	r := NewReader(b[start:])
	if n, err := r.ReadMapHeader(); n != 3 || err != nil {
		t.Fatalf("ReadMapHeader = %d, %v", n, err)
	}
}

func TestAppendLengthOutOfRangePanics(t *testing.T) {
	for name, f := range map[string]func(){
		"array negative": func() { AppendArrayHeader(nil, -1) },
		"map negative":   func() { AppendMapHeader(nil, -1) },
		"map32 negative": func() { AppendMapHeader32(nil, -1) },
		"put negative":   func() { PutMapHeader32(make([]byte, 5), -1) },
		"ext negative":   func() { AppendExtHeader(nil, 0, -1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestIntRoundTrip(t *testing.T) {
	cases := []struct {
		v    int64
		size int
	}{
		{0, 1}, {1, 1}, {127, 1}, {128, 2}, {255, 2}, {256, 3}, {65535, 3},
		{65536, 5}, {math.MaxUint32, 5}, {math.MaxUint32 + 1, 9}, {math.MaxInt64, 9},
		{-1, 1}, {-32, 1}, {-33, 2}, {-128, 2}, {-129, 3}, {-32768, 3},
		{-32769, 5}, {math.MinInt32, 5}, {math.MinInt32 - 1, 9}, {math.MinInt64, 9},
	}
	for _, c := range cases {
		b := AppendInt(nil, c.v)
		if len(b) != c.size {
			t.Errorf("AppendInt(%d): %d bytes, want %d", c.v, len(b), c.size)
		}
		r := NewReader(b)
		got, err := r.ReadInt64()
		if err != nil || got != c.v || r.Remaining() != 0 {
			t.Errorf("ReadInt64(%d) = %d, %v", c.v, got, err)
		}
		r.Reset(b)
		f, err := r.ReadFloat64()
		if err != nil || f != float64(c.v) {
			t.Errorf("ReadFloat64(int %d) = %v, %v", c.v, f, err)
		}
		if c.v >= 0 {
			r.Reset(b)
			u, err := r.ReadUint64()
			if err != nil || u != uint64(c.v) {
				t.Errorf("ReadUint64(%d) = %d, %v", c.v, u, err)
			}
			if !bytes.Equal(b, AppendUint(nil, uint64(c.v))) {
				t.Errorf("AppendInt(%d) != AppendUint", c.v)
			}
		}
	}
}

func TestUintRoundTrip(t *testing.T) {
	cases := []struct {
		v    uint64
		size int
	}{
		{0, 1}, {127, 1}, {128, 2}, {255, 2}, {256, 3}, {65535, 3}, {65536, 5},
		{math.MaxUint32, 5}, {math.MaxUint32 + 1, 9}, {math.MaxInt64 + 1, 9}, {math.MaxUint64, 9},
	}
	for _, c := range cases {
		b := AppendUint(nil, c.v)
		if len(b) != c.size {
			t.Errorf("AppendUint(%d): %d bytes, want %d", c.v, len(b), c.size)
		}
		r := NewReader(b)
		got, err := r.ReadUint64()
		if err != nil || got != c.v || r.Remaining() != 0 {
			t.Errorf("ReadUint64(%d) = %d, %v", c.v, got, err)
		}
	}
}

// Signed encodings of non-negative values are legal (other encoders emit
// them), so both integer reads must accept them.
func TestNonMinimalIntegersAccepted(t *testing.T) {
	cases := []struct {
		b []byte
		v int64
	}{
		{[]byte{0xd0, 0x05}, 5},
		{[]byte{0xd1, 0x00, 0x05}, 5},
		{[]byte{0xd2, 0, 0, 0, 5}, 5},
		{[]byte{0xd3, 0, 0, 0, 0, 0, 0, 0, 5}, 5},
		{[]byte{0xcc, 0x05}, 5},
		{[]byte{0xcf, 0, 0, 0, 0, 0, 0, 0, 5}, 5},
		{[]byte{0xd1, 0xff, 0xff}, -1},
	}
	for _, c := range cases {
		r := NewReader(c.b)
		if v, err := r.ReadInt64(); err != nil || v != c.v || r.Remaining() != 0 {
			t.Errorf("ReadInt64(% x) = %d, %v", c.b, v, err)
		}
		if c.v >= 0 {
			r.Reset(c.b)
			if v, err := r.ReadUint64(); err != nil || v != uint64(c.v) {
				t.Errorf("ReadUint64(% x) = %d, %v", c.b, v, err)
			}
		}
	}
}

func TestFloatRoundTrip(t *testing.T) {
	f64 := []float64{0, math.Copysign(0, -1), 1.5, -2.25, math.MaxFloat64, math.SmallestNonzeroFloat64,
		math.Inf(1), math.Inf(-1)}
	for _, v := range f64 {
		b := AppendFloat64(nil, v)
		if len(b) != 9 {
			t.Errorf("AppendFloat64(%v): %d bytes", v, len(b))
		}
		r := NewReader(b)
		got, err := r.ReadFloat64()
		if err != nil || math.Float64bits(got) != math.Float64bits(v) {
			t.Errorf("ReadFloat64(%v) = %v, %v", v, got, err)
		}
	}
	f32 := []float32{0, 1.5, -2.25, math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32,
		float32(math.Inf(1)), math.Float32frombits(0x7fc00001)}
	for _, v := range f32 {
		b := AppendFloat32(nil, v)
		if len(b) != 5 {
			t.Errorf("AppendFloat32(%v): %d bytes", v, len(b))
		}
		r := NewReader(b)
		got, err := r.ReadFloat32()
		if err != nil || math.Float32bits(got) != math.Float32bits(v) {
			t.Errorf("ReadFloat32(%v) = %v, %v", v, got, err)
		}
		r.Reset(b)
		got64, err := r.ReadFloat64()
		if err != nil || (got64 != float64(v) && !math.IsNaN(got64)) {
			t.Errorf("ReadFloat64(float32 %v) = %v, %v", v, got64, err)
		}
	}
	// float64 that fits float32 narrows; NaN passes through.
	r := NewReader(AppendFloat64(AppendFloat64(nil, 0.5), math.NaN()))
	if v, err := r.ReadFloat32(); err != nil || v != 0.5 {
		t.Errorf("ReadFloat32(float64 0.5) = %v, %v", v, err)
	}
	if v, err := r.ReadFloat32(); err != nil || !math.IsNaN(float64(v)) {
		t.Errorf("ReadFloat32(float64 NaN) = %v, %v", v, err)
	}
}

func TestAppendDoesNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 1024)
	s := "hello, world"
	p := []byte(s)
	allocs := testing.AllocsPerRun(100, func() {
		b := buf[:0]
		b = AppendNil(b)
		b = AppendBool(b, true)
		b = AppendInt(b, -123456)
		b = AppendUint(b, 1<<40)
		b = AppendFloat32(b, 1.5)
		b = AppendFloat64(b, 2.5)
		b = AppendString(b, s)
		b = AppendStringBytes(b, p)
		b = AppendBytes(b, p)
		b = AppendArrayHeader(b, 3)
		b = AppendMapHeader(b, 70000)
		b = AppendMapHeader32(b, 0)
		PutMapHeader32(b[len(b)-5:], 9)
		_ = AppendExt(b, 3, p)
	})
	if allocs != 0 {
		t.Fatalf("append allocated %v times", allocs)
	}
}
