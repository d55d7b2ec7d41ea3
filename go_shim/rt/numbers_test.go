package rt

import (
	"errors"
	"testing"

	"usegolib.local/shim/codec"
)

func TestNumbersRoundTripAsMemory(t *testing.T) {
	type vector []float64
	r := codec.NewReader(EncodeNumbers(nil, vector{1.5, -2, 3}))
	if !IsNumbers(&r) {
		t.Fatal("not recognised as numbers")
	}
	var got vector
	if err := DecodeNumbers(&r, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != 1.5 || got[1] != -2 || got[2] != 3 {
		t.Fatalf("got %v", got)
	}
}

func TestNumbersOfAnotherFormatAreRefused(t *testing.T) {
	r := codec.NewReader(EncodeNumbers(nil, []float32{1}))
	var got []float64
	var ce *ConvError
	if err := DecodeNumbers(&r, &got); !errors.As(err, &ce) || ce.Kind != KindType {
		t.Fatalf("err %v", err)
	}
}

func TestBytesAreReadAsItemsOfWholeSize(t *testing.T) {
	r := codec.NewReader(codec.AppendBytes(nil, []byte{1, 0, 0, 0, 2, 0, 0, 0}))
	var got []int32
	if err := DecodeNumbers(&r, &got); err != nil || len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("got %v, %v", got, err)
	}
	r = codec.NewReader(codec.AppendBytes(nil, []byte{1, 2, 3}))
	var ce *ConvError
	if err := DecodeNumbers(&r, &got); !errors.As(err, &ce) || ce.Kind != KindValue {
		t.Fatalf("err %v", err)
	}
}

func TestNumberFormatsMatchPythons(t *testing.T) {
	got := string([]byte{
		numberFormat[float64](), numberFormat[float32](), numberFormat[int64](), numberFormat[int32](),
		numberFormat[int16](), numberFormat[int8](), numberFormat[uint64](), numberFormat[uint32](),
		numberFormat[uint16](),
	})
	if got != "dfqihbQIH" {
		t.Fatalf("formats %s", got)
	}
}

func TestRunesAndBytesTakeOneCharacter(t *testing.T) {
	var r rune
	for _, tc := range []struct {
		in   []byte
		want rune
	}{{codec.AppendString(nil, "つ"), 'つ'}, {codec.AppendInt(nil, 'a'), 'a'}} {
		in := codec.Reader{}
		in.Reset(tc.in)
		if err := DecodeRune(&in, &r); err != nil || r != tc.want {
			t.Errorf("DecodeRune(%x) = %q, %v; want %q", tc.in, r, err, tc.want)
		}
	}
	for _, bad := range []string{"", "ab"} {
		in := codec.Reader{}
		in.Reset(codec.AppendString(nil, bad))
		if err := DecodeRune(&in, &r); err == nil {
			t.Errorf("DecodeRune(%q) took it as %q", bad, r)
		}
	}
	var b byte
	in := codec.Reader{}
	in.Reset(codec.AppendBytes(nil, []byte("q")))
	if err := DecodeByte(&in, &b); err != nil || b != 'q' {
		t.Errorf("DecodeByte(b\"q\") = %q, %v", b, err)
	}
	in.Reset(codec.AppendBytes(nil, []byte("qq")))
	if err := DecodeByte(&in, &b); err == nil {
		t.Errorf("DecodeByte(b\"qq\") took it as %q", b)
	}
}
