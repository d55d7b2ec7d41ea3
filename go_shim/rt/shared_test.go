package rt

import (
	"encoding/binary"
	"testing"
	"unsafe"

	"usegolib.local/shim/codec"
)

// shareArg encodes memory as Python lends a writable buffer (ExtShared).
func shareArg(memory []byte, token []byte, format ...byte) []byte {
	return lentArg(ExtShared, memory, token, format...)
}

// lentArg encodes memory as Python lends it, with extension code ext.
func lentArg(ext int8, memory []byte, token []byte, format ...byte) []byte {
	payload := binary.LittleEndian.AppendUint64(nil, uint64(uintptr(unsafe.Pointer(unsafe.SliceData(memory)))))
	payload = binary.LittleEndian.AppendUint64(payload, uint64(len(memory)))
	payload = append(append(payload, token...), format...)
	b := codec.AppendExtHeader(nil, ext, len(payload))
	return append(b, payload...)
}

func TestSharedNumbersAreUsedInPlace(t *testing.T) {
	backing := make([]float64, 4)
	memory := unsafe.Slice((*byte)(unsafe.Pointer(&backing[0])), 32)
	r := codec.NewReader(shareArg(memory, borrowToken[:], 'd'))
	var got []float64
	shared, err := DecodeSharedNumbers(&r, &got, DecodeNumbers[[]float64])
	if err != nil || !shared {
		t.Fatal(shared, err)
	}
	got[2] = 7
	if backing[2] != 7 || len(got) != 4 {
		t.Fatalf("not the same memory: %v", backing)
	}
}

func TestSharedMemoryThatCannotBeUsedInPlaceIsCopied(t *testing.T) {
	backing := make([]byte, 8*3+1)
	for name, arg := range map[string][]byte{
		"misaligned": shareArg(backing[1:], borrowToken[:], 'd'),
		"borrowed":   lentArg(ExtBorrowed, backing[:8], borrowToken[:], 'd'),
	} {
		r := codec.NewReader(arg)
		var got []float64
		if shared, err := DecodeSharedNumbers(&r, &got, DecodeNumbers[[]float64]); err != nil || shared {
			t.Fatalf("%s: %v (shared %v)", name, err, shared)
		}
		got[0] = 1
		for _, c := range backing {
			if c != 0 {
				t.Fatalf("%s: Go wrote into memory it had to copy", name)
			}
		}
	}
}

func TestSharedMemoryWithoutTheTokenIsRefusedByTheUsualDecoder(t *testing.T) {
	r := codec.NewReader(shareArg(make([]byte, 8), []byte("12345678")))
	var got []byte
	if _, err := DecodeSharedBytes(&r, &got, DecodeBytes[[]byte]); err == nil {
		t.Fatal("forged shared memory accepted")
	}
}
