package rt

import (
	"bytes"
	"maps"
	"math/bits"
	"slices"
	"unsafe"

	"usegolib.local/shim/codec"
)

// Write-back: a Go caller sees a callee's writes into a slice's items or a
// map it passed by value, since both share their memory with the caller's
// copy. A Python list or dict crosses as a new Go slice or map, so the
// generated call keeps a shallow copy of each such argument (a snapshot),
// compares after the call, and sends the new value of every argument Go
// changed ahead of the results (StatusWrote); Python updates its object in
// place, or raises a TypeError naming the fix when the object cannot change
// (a tuple, bytes). Writes deeper down (into a slice inside a slice) and
// appends are not seen, as a Go caller does not see appends either.
//
// The comparison is of memory, item by item: an item nobody wrote keeps the
// very bits the snapshot copied, whatever its type (a string's pointer, an
// interface's words, a NaN), so no write is missed, and an item rewritten
// with an equal value at most sends back what Python already has.

// SliceBefore is the snapshot of a slice argument.
type SliceBefore[S ~[]E, E any] struct {
	items S
	// source: the memory the argument was copied from (the argument
	// buffer, or memory Python lent), still as it was: no snapshot needed.
	source []byte
	off    bool // the slice is Python's own memory (rt/shared.go): writes land there
}

// SnapshotSlice remembers the items of s, an argument Go may write into,
// just decoded from c.In.
func SnapshotSlice[S ~[]E, E any](c *Call, s S) SliceBefore[S, E] {
	if source, writable, ok := c.copiedFrom(itemBytes(s)); ok {
		if !writable {
			// bytes, or numbers of a read-only buffer: Python's object
			// cannot change, and Go's writes are its own, as into a
			// []byte(s) conversion.
			return SliceBefore[S, E]{off: true}
		}
		return SliceBefore[S, E]{source: source}
	}
	return SliceBefore[S, E]{items: slices.Clone(s)}
}

// SnapshotSharedSlice is SnapshotSlice for a parameter that may take a
// Python buffer in place, which needs no snapshot when it did.
func SnapshotSharedSlice[S ~[]E, E any](c *Call, s S, shared bool) SliceBefore[S, E] {
	if shared {
		return SliceBefore[S, E]{off: true}
	}
	return SnapshotSlice(c, s)
}

// Changed tells whether Go wrote into the items of now, the argument the
// snapshot was taken of.
func (b SliceBefore[S, E]) Changed(now S) bool {
	switch {
	case b.off:
		return false
	case b.source != nil:
		return !bytes.Equal(itemBytes(now), b.source)
	case len(now) != len(b.items):
		return true // a callee cannot change its caller's length; be safe
	}
	return len(now) > 0 && !bytes.Equal(itemBytes(b.items), itemBytes(now))
}

// copied notes that the decoder of an argument copied it from source (a
// []byte or numbers), which stays as it is until the call returns;
// writable when it is the memory of a Python object that can change (lent
// as ExtShared: a bytearray, an array), whose changes go back to it.
func copied(r *codec.Reader, source, dup []byte, writable bool) {
	if c, ok := r.Context.(*Call); ok {
		c.lastSource, c.lastCopy, c.lastWritable = source, dup, writable
	}
}

// copiedFrom is the source of memory the last argument decoded was copied
// from, if it was copied from one.
func (c *Call) copiedFrom(memory []byte) (source []byte, writable, ok bool) {
	source, dup, writable := c.lastSource, c.lastCopy, c.lastWritable
	c.lastSource, c.lastCopy = nil, nil
	if dup == nil || len(dup) != len(memory) || unsafe.SliceData(dup) != unsafe.SliceData(memory) {
		return nil, false, false
	}
	return source, writable, true
}

// MapBefore is the snapshot of a map argument.
type MapBefore[M ~map[K]V, K comparable, V any] struct{ items M }

// SnapshotMap copies a map argument Go may write into (c: as SnapshotSlice).
func SnapshotMap[M ~map[K]V, K comparable, V any](_ *Call, m M) MapBefore[M, K, V] {
	return MapBefore[M, K, V]{items: maps.Clone(m)}
}

// Changed tells whether Go added, removed or assigned a key of now.
func (b MapBefore[M, K, V]) Changed(now M) bool {
	if len(now) != len(b.items) {
		return true
	}
	for k, v := range now {
		old, ok := b.items[k]
		if !ok || !sameBits(&old, &v) {
			return true
		}
	}
	return false
}

func itemBytes[E any](s []E) []byte {
	var zero E
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(zero)))
}

func sameBits[T any](a, b *T) bool {
	size := int(unsafe.Sizeof(*a))
	return bytes.Equal(unsafe.Slice((*byte)(unsafe.Pointer(a)), size), unsafe.Slice((*byte)(unsafe.Pointer(b)), size))
}

// Written is the set of arguments Go changed, by their order among the
// call's write-back parameters.
type Written uint64

// Note adds write-back parameter i when changed is true.
func (w *Written) Note(i int, changed bool) {
	if changed {
		*w |= 1 << i
	}
}

// Has tells whether write-back parameter i changed.
func (w Written) Has(i int) bool { return w&(1<<i) != 0 }

// BeginWrites starts the StatusWrote payload, [{position: value}, result],
// when some argument changed: the generated call then appends each changed
// argument's position in the argument array and new value, then the result
// (nil for none, with EndWrites).
func (c *Call) BeginWrites(w Written) bool {
	if w == 0 {
		return false
	}
	c.wrote = true
	c.Out = codec.AppendArrayHeader(c.Out, 2)
	c.Out = codec.AppendMapHeader(c.Out, bits.OnesCount64(uint64(w)))
	return true
}

// EndWrites completes the payload of a call with no result.
func (c *Call) EndWrites() {
	if c.wrote {
		c.Out = codec.AppendNil(c.Out)
	}
}
