//go:build go1.23

package rt

import (
	"iter"
	"sync"
)

// An iteration of an iter.Seq or iter.Seq2 handle, pulled by Python one
// step per call. iter.Pull runs the sequence as a coroutine, so a Python
// loop may stop at any point; the pull is stopped when the sequence ends or
// when Python releases the handle.

// Puller1 pulls an iter.Seq.
type Puller1[V any] struct {
	id   uint64
	next func() (V, bool)
	stop func()
}

// Next returns the next value and whether there was one.
func (p *Puller1[V]) Next() (V, bool) {
	v, ok := p.next()
	if !ok {
		stopPull(p.id)
	}
	return v, ok
}

// Puller2 pulls an iter.Seq2.
type Puller2[K, V any] struct {
	id   uint64
	next func() (K, V, bool)
	stop func()
}

// Next returns the next pair and whether there was one.
func (p *Puller2[K, V]) Next() (K, V, bool) {
	k, v, ok := p.next()
	if !ok {
		stopPull(p.id)
	}
	return k, v, ok
}

var pulls = struct {
	sync.Mutex
	m map[uint64]any // *Puller1 or *Puller2, by handle id
}{m: map[uint64]any{}}

// SeqPuller finds or starts the pull of the iter.Seq handle that receives
// the call.
func SeqPuller[V any](c *Call) (*Puller1[V], error) {
	id, seq, err := seqReceiver[iter.Seq[V]](c)
	if err != nil {
		return nil, err
	}
	return pullOf(id, func() *Puller1[V] {
		next, stop := iter.Pull(seq)
		return &Puller1[V]{id: id, next: next, stop: stop}
	})
}

// Seq2Puller finds or starts the pull of an iter.Seq2 handle.
func Seq2Puller[K, V any](c *Call) (*Puller2[K, V], error) {
	id, seq, err := seqReceiver[iter.Seq2[K, V]](c)
	if err != nil {
		return nil, err
	}
	return pullOf(id, func() *Puller2[K, V] {
		next, stop := iter.Pull2(seq)
		return &Puller2[K, V]{id: id, next: next, stop: stop}
	})
}

func seqReceiver[S any](c *Call) (uint64, S, error) {
	var zero S
	id, err := c.In.ReadUint64()
	if err != nil {
		return 0, zero, &ABIError{Msg: "method receiver must be a handle id: " + err.Error()}
	}
	h, err := handleByID(id)
	if err != nil {
		return 0, zero, Param(err, "self")
	}
	seq, ok := h.obj.(S)
	if !ok {
		return 0, zero, Param(handleMismatch[S](h), "self")
	}
	return id, seq, nil
}

func pullOf[P any](id uint64, start func() P) (P, error) {
	pulls.Lock()
	defer pulls.Unlock()
	if p, ok := pulls.m[id].(P); ok {
		return p, nil
	}
	p := start()
	pulls.m[id] = p
	return p, nil
}

// stopPull ends the pull of handle id, if one runs: the sequence's deferred
// cleanup runs and its coroutine exits.
func stopPull(id uint64) {
	pulls.Lock()
	p, ok := pulls.m[id]
	delete(pulls.m, id)
	pulls.Unlock()
	if !ok {
		return
	}
	switch p := p.(type) {
	case interface{ stopPull() }:
		p.stopPull()
	}
}

func (p *Puller1[V]) stopPull()    { p.stop() }
func (p *Puller2[K, V]) stopPull() { p.stop() }
