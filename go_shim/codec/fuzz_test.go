package codec

import (
	"bytes"
	"errors"
	"math"
	"math/bits"
	"testing"
)

// readAccepts lists, per read in allReads, the kinds it may succeed on.
var readAccepts = map[string][]Kind{
	"ReadNil":         {KindNil},
	"ReadBool":        {KindBool},
	"ReadInt64":       {KindInt, KindUint},
	"ReadUint64":      {KindInt, KindUint},
	"ReadFloat64":     {KindInt, KindUint, KindFloat32, KindFloat64},
	"ReadFloat32":     {KindInt, KindUint, KindFloat32, KindFloat64},
	"ReadStringBytes": {KindStr},
	"ReadString":      {KindStr},
	"ReadBinBytes":    {KindBin},
	"ReadArrayHeader": {KindArray},
	"ReadMapHeader":   {KindMap},
	"ReadExt":         {KindExt},
	"Skip": {KindNil, KindBool, KindInt, KindUint, KindFloat32, KindFloat64,
		KindStr, KindBin, KindArray, KindMap, KindExt},
}

func accepts(name string, k Kind) bool {
	for _, a := range readAccepts[name] {
		if a == k {
			return true
		}
	}
	return false
}

func FuzzReader(f *testing.F) {
	f.Add(sample())
	f.Add(nested(50))
	f.Add([]byte{})
	f.Add([]byte{0xc1})
	f.Add([]byte{0xdd, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0xdb, 0xff, 0xff, 0xff, 0xff, 'a'})
	f.Add([]byte{0xc9, 0x00, 0x00, 0x00, 0x02, 0x01, 0xaa, 0xbb})
	f.Add(AppendFloat64(AppendUint(nil, math.MaxUint64), 1e300))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Skip alone must either make progress or fail in place.
		r := NewReader(data)
		for r.Remaining() > 0 {
			start := r.Pos()
			if err := r.Skip(); err != nil {
				if r.Pos() != start {
					t.Fatalf("failed Skip moved %d -> %d", start, r.Pos())
				}
				break
			}
			if r.Pos() <= start || r.Pos() > len(data) {
				t.Fatalf("Skip from %d ended at %d", start, r.Pos())
			}
		}

		// Walk every value (stepping into containers) and try every read
		// on a copy of the reader at each position.
		r.Reset(data)
		for steps := 0; ; steps++ {
			start := r.Pos()
			k, kerr := r.NextKind()
			probe := r
			skipErr := probe.Skip()
			skipEnd := probe.Pos()
			checkReadsAt(t, r, k, kerr, skipErr, skipEnd)
			if err := advance(&r); err != nil {
				if r.Pos() != start {
					t.Fatalf("failed advance moved %d -> %d", start, r.Pos())
				}
				break
			}
			if r.Pos() <= start || steps > len(data) {
				t.Fatalf("no progress at %d", start)
			}
		}
	})
}

// checkReadsAt runs every read on copies of r and checks each outcome
// against NextKind and Skip at the same position.
func checkReadsAt(t *testing.T, r Reader, k Kind, kerr, skipErr error, skipEnd int) {
	start := r.Pos()
	for name, read := range allReads {
		c := r
		err := read(&c)
		if err != nil {
			if c.Pos() != start {
				t.Fatalf("%s failed (%v) but moved %d -> %d", name, err, start, c.Pos())
			}
			var te *TypeError
			if errors.As(err, &te) && (kerr != nil || te.Got != k || accepts(name, k)) {
				t.Fatalf("%s: %v, but NextKind = %v, %v", name, err, k, kerr)
			}
			continue
		}
		if kerr != nil || !accepts(name, k) {
			t.Fatalf("%s succeeded on kind %v (NextKind err %v)", name, k, kerr)
		}
		end := c.Pos()
		if end <= start || end > len(c.buf) {
			t.Fatalf("%s moved %d -> %d", name, start, end)
		}
		// A header read consumes only the header; any other read consumes
		// exactly one whole value, the same as Skip.
		container := name == "ReadArrayHeader" || name == "ReadMapHeader"
		if !container && (skipErr != nil || end != skipEnd) {
			t.Fatalf("%s ended at %d, Skip at %d (%v)", name, end, skipEnd, skipErr)
		}
		if container && skipErr == nil && end > skipEnd {
			t.Fatalf("%s header ends at %d past value end %d", name, end, skipEnd)
		}
	}
	// Conversions between the numeric reads must agree.
	a, b := r, r
	if i, err := a.ReadInt64(); err == nil {
		if f, err := b.ReadFloat64(); err != nil || f != float64(i) {
			t.Fatalf("ReadInt64 = %d but ReadFloat64 = %v, %v", i, f, err)
		}
	}
	a, b = r, r
	if s, err := a.ReadString(); err == nil {
		if sb, err := b.ReadStringBytes(); err != nil || string(sb) != s {
			t.Fatalf("ReadString and ReadStringBytes disagree")
		}
	}
}

// wantIntSize computes the minimal encoded size independently of AppendInt.
func wantIntSize(v int64) int {
	n := bits.Len64(uint64(v)) // magnitude bits of a non-negative value
	if v < 0 {
		if v >= -32 {
			return 1
		}
		n = bits.Len64(uint64(^v)) + 1 // bits including the sign bit
		n = max(n, 8)
	} else if n <= 7 {
		return 1
	}
	switch {
	case n <= 8:
		return 2
	case n <= 16:
		return 3
	case n <= 32:
		return 5
	}
	return 9
}

func wantLenHeader(n, fix int) int {
	switch {
	case n < fix:
		return 1
	case n <= math.MaxUint8 && fix == 32: // only str has an 8-bit form here
		return 2
	case n <= math.MaxUint16:
		return 3
	}
	return 5
}

func FuzzRoundTrip(f *testing.F) {
	f.Add(int64(0), uint64(0), "", []byte{}, 0.0)
	f.Add(int64(-33), uint64(128), "hello", []byte{0xc1}, 1.5)
	f.Add(int64(math.MinInt64), uint64(math.MaxUint64), "\xff\xfe", make([]byte, 300), math.Inf(-1))
	f.Add(int64(-129), uint64(65536), string(make([]byte, 40)), make([]byte, 16), 1e300)
	f.Fuzz(func(t *testing.T, i int64, u uint64, s string, p []byte, fl float64) {
		if got, want := len(AppendInt(nil, i)), wantIntSize(i); got != want {
			t.Fatalf("AppendInt(%d): %d bytes, want %d", i, got, want)
		}
		if u <= math.MaxInt64 {
			if got, want := len(AppendUint(nil, u)), wantIntSize(int64(u)); got != want {
				t.Fatalf("AppendUint(%d): %d bytes, want %d", u, got, want)
			}
		}
		if got, want := len(AppendString(nil, s)), wantLenHeader(len(s), 32)+len(s); got != want {
			t.Fatalf("AppendString len %d: %d bytes, want %d", len(s), got, want)
		}
		if got, want := len(AppendArrayHeader(nil, len(s))), wantLenHeader(len(s), 16); got != want {
			t.Fatalf("AppendArrayHeader(%d): %d bytes, want %d", len(s), got, want)
		}

		// Each scalar piece alone: Skip consumes exactly it.
		pieces := [][]byte{
			AppendInt(nil, i), AppendUint(nil, u), AppendString(nil, s),
			AppendStringBytes(nil, p), AppendBytes(nil, p), AppendExt(nil, int8(i), p),
			AppendFloat64(nil, fl), AppendFloat32(nil, float32(fl)),
		}
		for _, piece := range pieces {
			r := NewReader(piece)
			if err := r.Skip(); err != nil || r.Remaining() != 0 {
				t.Fatalf("Skip(% x): %v, %d left", piece[:min(len(piece), 9)], err, r.Remaining())
			}
		}

		// Headers come first so their counts pass the sanity check.
		b := AppendArrayHeader(nil, len(s))
		b = AppendMapHeader(b, len(p))
		for _, piece := range pieces {
			b = append(b, piece...)
		}
		r := NewReader(b)
		if n, err := r.ReadArrayHeader(); err != nil || n != len(s) {
			t.Fatalf("array header %d, %v", n, err)
		}
		if n, err := r.ReadMapHeader(); err != nil || n != len(p) {
			t.Fatalf("map header %d, %v", n, err)
		}
		if v, err := r.ReadInt64(); err != nil || v != i {
			t.Fatalf("int %d: got %d, %v", i, v, err)
		}
		if v, err := r.ReadUint64(); err != nil || v != u {
			t.Fatalf("uint %d: got %d, %v", u, v, err)
		}
		if v, err := r.ReadString(); err != nil || v != s {
			t.Fatalf("str %q: got %q, %v", s, v, err)
		}
		if v, err := r.ReadStringBytes(); err != nil || !bytes.Equal(v, p) {
			t.Fatalf("str bytes: got %x, %v", v, err)
		}
		if v, err := r.ReadBinBytes(); err != nil || !bytes.Equal(v, p) {
			t.Fatalf("bin: got %x, %v", v, err)
		}
		if typ, v, err := r.ReadExt(); err != nil || typ != int8(i) || !bytes.Equal(v, p) {
			t.Fatalf("ext: got %d %x, %v", typ, v, err)
		}
		if v, err := r.ReadFloat64(); err != nil || math.Float64bits(v) != math.Float64bits(fl) {
			t.Fatalf("float64 %v: got %v, %v", fl, v, err)
		}
		if v, err := r.ReadFloat32(); err != nil || !(v == float32(fl) || v != v) {
			t.Fatalf("float32 %v: got %v, %v", float32(fl), v, err)
		}
		if r.Remaining() != 0 {
			t.Fatalf("%d bytes left", r.Remaining())
		}
	})
}
