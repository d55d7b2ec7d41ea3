// Package benchmod1000 is the wide module of the benchmark's
// warm-import-1000 row: 1000 exported functions of the shapes a real
// library has (numbers, strings, []byte, slices, maps, records, errors,
// a class with methods), so that importing it does the work a large
// package's import does. The functions are in funcs_gen.go, written by
// gen/ from gen/funcs.go.tmpl (go generate); the types they share are
// here.
package benchmod1000

//go:generate go run ./gen -o funcs_gen.go

import (
	"errors"
	"fmt"
)

// ErrOutOfRange is returned when a value falls outside what a function accepts.
var ErrOutOfRange = errors.New("value out of range")

// Point is a position in the plane: a dict in Python.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Stats summarizes a series of numbers.
type Stats struct {
	Count int     `json:"count"`
	Mean  float64 `json:"mean"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
}

// Entry is a keyed value with tags.
type Entry struct {
	Key   string   `json:"key"`
	Value int64    `json:"value"`
	Tags  []string `json:"tags"`
}

// Ledger keeps a running balance; its fields are private, so it crosses
// as a handle with methods. The Open functions make one.
type Ledger struct {
	name     string
	capacity int
	entries  []int64
	balance  int64
}

// Name returns the ledger's name.
func (l *Ledger) Name() string { return l.name }

// Balance returns the sum of the postings so far.
func (l *Ledger) Balance() int64 { return l.balance }

// Post adds amount to the ledger, or fails when it is full.
func (l *Ledger) Post(amount int64) error {
	if len(l.entries) >= l.capacity {
		return fmt.Errorf("ledger %s: %w: holds %d postings", l.name, ErrOutOfRange, l.capacity)
	}
	l.entries = append(l.entries, amount)
	l.balance += amount
	return nil
}

// Postings returns a copy of the amounts posted so far.
func (l *Ledger) Postings() []int64 { return append([]int64(nil), l.entries...) }
