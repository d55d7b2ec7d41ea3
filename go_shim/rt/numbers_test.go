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
