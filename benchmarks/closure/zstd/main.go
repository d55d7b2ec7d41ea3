// Command zstd exports a zstd round trip to C, written by hand.
package main

import "C"

import (
	"unsafe"

	"github.com/klauspost/compress/zstd"
)

//export RoundTrip
func RoundTrip(data *C.char, n C.int) C.int {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		return -1
	}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		return -1
	}
	back, err := dec.DecodeAll(enc.EncodeAll(C.GoBytes(unsafe.Pointer(data), n), nil), nil)
	if err != nil {
		return -1
	}
	return C.int(len(back))
}

func main() {}
