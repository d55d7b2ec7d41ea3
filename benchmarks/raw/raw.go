// Package main is the floor the usegolib benchmarks compare with: the same
// Go work as example.com/benchmod behind hand-written cgo exports, called
// through plain ctypes with no encoding at all.
package main

import "C"

import (
	"strings"
	"unsafe"
)

//export AddInt
func AddInt(a, b C.longlong) C.longlong { return a + b }

//export EchoBytes
func EchoBytes(p unsafe.Pointer, n C.longlong, out unsafe.Pointer) {
	copy(unsafe.Slice((*byte)(out), int(n)), unsafe.Slice((*byte)(p), int(n)))
}

// Upper writes strings.ToUpper of the n bytes at p to out, which has room
// for them: the callers pass ASCII, which keeps its length.
//
//export Upper
func Upper(p unsafe.Pointer, n C.longlong, out unsafe.Pointer) C.longlong {
	upper := strings.ToUpper(unsafe.String((*byte)(p), int(n)))
	return C.longlong(copy(unsafe.Slice((*byte)(out), int(n)), upper))
}

//export SumFloats
func SumFloats(p *C.double, n C.longlong) C.double {
	total := 0.0
	for _, x := range unsafe.Slice((*float64)(unsafe.Pointer(p)), int(n)) {
		total += x
	}
	return C.double(total)
}

// roundsPerMs is the same as benchmod's: both Burns do the same work.
const roundsPerMs = 400_000

//export Burn
func Burn(ms C.longlong) C.longlong {
	state := xorshiftRounds(88172645463325252, int(ms)*roundsPerMs)
	return C.longlong(state >> 4)
}

func xorshiftRounds(state uint64, rounds int) uint64 {
	for i := 0; i < rounds; i++ {
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
	}
	return state
}

func main() {}
