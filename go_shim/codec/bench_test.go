package codec

import "testing"

var benchInts = []int64{0, 1, -1, 100, -100, 1000, -1000, 1 << 20, -1 << 20, 1 << 40}

func BenchmarkAppendInt(b *testing.B) {
	buf := make([]byte, 0, 128)
	for i := 0; i < b.N; i++ {
		buf = buf[:0]
		for _, v := range benchInts {
			buf = AppendInt(buf, v)
		}
	}
}

func BenchmarkReadInt64(b *testing.B) {
	var msg []byte
	for _, v := range benchInts {
		msg = AppendInt(msg, v)
	}
	var r Reader
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		r.Reset(msg)
		for r.Remaining() > 0 {
			if _, err := r.ReadInt64(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkAppendString(b *testing.B) {
	buf := make([]byte, 0, 128)
	for i := 0; i < b.N; i++ {
		buf = AppendString(buf[:0], "a typical field name")
	}
}

func BenchmarkReadStringBytes(b *testing.B) {
	msg := AppendString(nil, "a typical field name")
	var r Reader
	for i := 0; i < b.N; i++ {
		r.Reset(msg)
		if _, err := r.ReadStringBytes(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSkip(b *testing.B) {
	msg := sample()
	var r Reader
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		r.Reset(msg)
		if err := r.Skip(); err != nil {
			b.Fatal(err)
		}
	}
}
