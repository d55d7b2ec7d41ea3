package rt

import (
	"context"
	"sync"
	"time"
)

// A Go function whose first parameter is a context.Context gets one made
// by the call: Python sends [context id, timeout in ns] as the first
// argument. The id names a usegolib.Context on the Python side (0: none);
// cancelling it from any thread cancels every running call made with it,
// and the calls made with it afterwards start cancelled. A negative timeout
// means none.
var contexts = struct {
	sync.Mutex
	running  map[uint64]map[*Call]context.CancelFunc
	canceled map[uint64]bool // until Python forgets the id
}{running: map[uint64]map[*Call]context.CancelFunc{}, canceled: map[uint64]bool{}}

// ReadContext reads the context argument and makes the call's context.
func (c *Call) ReadContext() error {
	if n, err := c.In.ReadArrayHeader(); err != nil || n != 2 {
		return &ABIError{Msg: "context argument [id, timeout] expected"}
	}
	id, err := c.In.ReadUint64()
	if err != nil {
		return &ABIError{Msg: "context id expected"}
	}
	timeout, err := c.In.ReadInt64()
	if err != nil {
		return &ABIError{Msg: "context timeout expected"}
	}
	ctx, cancel := context.Background(), context.CancelFunc(nil)
	if timeout >= 0 {
		ctx, cancel = context.WithTimeout(ctx, time.Duration(timeout))
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	c.ctx, c.endContext, c.kept = ctx, cancel, true
	if id != 0 {
		c.endContext = registerContext(id, c, cancel)
	}
	return nil
}

// Ctx is the context of the call, made by ReadContext.
func (c *Call) Ctx() context.Context { return c.ctx }

func registerContext(id uint64, c *Call, cancel context.CancelFunc) func() {
	contexts.Lock()
	defer contexts.Unlock()
	if contexts.canceled[id] {
		cancel()
	}
	calls := contexts.running[id]
	if calls == nil {
		calls = map[*Call]context.CancelFunc{}
		contexts.running[id] = calls
	}
	calls[c] = cancel
	return func() {
		contexts.Lock()
		delete(calls, c)
		if len(calls) == 0 {
			delete(contexts.running, id)
		}
		contexts.Unlock()
		cancel()
	}
}

// cancelContext (builtin -5) cancels the calls running with a context id,
// and those that will.
func cancelContext(c *Call) error {
	id, err := contextID(c)
	if err != nil {
		return err
	}
	contexts.Lock()
	defer contexts.Unlock()
	contexts.canceled[id] = true
	for _, cancel := range contexts.running[id] {
		cancel()
	}
	return nil
}

// forgetContext (builtin -6): Python dropped a cancelled context; its id
// will not be used again.
func forgetContext(c *Call) error {
	id, err := contextID(c)
	if err != nil {
		return err
	}
	contexts.Lock()
	delete(contexts.canceled, id)
	contexts.Unlock()
	return nil
}

// contextCount (builtin -7): cancelled context ids still remembered and
// calls running with one, for leak checks.
func contextCount(c *Call) error {
	if err := c.Args(0); err != nil {
		return err
	}
	contexts.Lock()
	n := len(contexts.canceled) + len(contexts.running)
	contexts.Unlock()
	c.ReturnInt(int64(n))
	return nil
}

func contextID(c *Call) (uint64, error) { return idArgs(c, 1, "context id") }
