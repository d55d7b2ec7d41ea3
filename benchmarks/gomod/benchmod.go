// Package benchmod is the Go module the usegolib benchmarks call: one
// function per measured row, each doing as little Go work as possible so
// that the figures are the cost of crossing the bridge.
package benchmod

import "strings"

// AddInt adds two ints.
func AddInt(a, b int) int { return a + b }

// Rec is a plain record of ten fields: a dict in Python.
type Rec struct {
	ID     int     `json:"id"`
	Count  int     `json:"count"`
	Age    int     `json:"age"`
	Score  float64 `json:"score"`
	Ratio  float64 `json:"ratio"`
	Weight float64 `json:"weight"`
	Name   string  `json:"name"`
	Email  string  `json:"email"`
	Active bool    `json:"active"`
	Admin  bool    `json:"admin"`
}

// EchoRec returns its record.
func EchoRec(r Rec) Rec { return r }

// Upper returns s in upper case.
func Upper(s string) string { return strings.ToUpper(s) }

// EchoBytes returns its bytes.
func EchoBytes(b []byte) []byte { return b }

// SumFloats adds up xs.
func SumFloats(xs []float64) float64 {
	total := 0.0
	for _, x := range xs {
		total += x
	}
	return total
}

// roundsPerMs is how many xorshift rounds take about a millisecond on a
// 2020s x86-64 core. The work is a fixed count rather than "until the
// clock says so": two threads time-sharing one core would otherwise look
// as fast as two threads on two cores.
const roundsPerMs = 400_000

// Burn computes for about ms milliseconds without sleeping or allocating,
// and returns a checksum of the work so that it cannot be optimized away.
func Burn(ms int) int {
	state := xorshiftRounds(88172645463325252, ms*roundsPerMs)
	return int(state >> 4)
}

// xorshiftRounds is the unit of Burn's work: pure arithmetic on registers.
func xorshiftRounds(state uint64, rounds int) uint64 {
	for i := 0; i < rounds; i++ {
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
	}
	return state
}

// Thing has a method, so it crosses the bridge as a handle.
type Thing struct {
	n int
}

// NewThing makes a Thing.
func NewThing() *Thing { return &Thing{n: 1} }

// Value returns the Thing's number.
func (t *Thing) Value() int { return t.n }
