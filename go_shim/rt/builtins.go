package rt

import (
	"fmt"

	"usegolib.local/shim/codec"
)

// builtins are calls every bridge has, reached with negative ids: id -1 is
// builtins[0]. docs/abi.md lists them.
var builtins = []Func{
	handleTypeName,    // -1: the Go type of a handle's value, for repr()
	handleCount,       // -2: live handles, for leak checks
	releaseIn,         // -3: release the handles of a result Python could not decode
	releasedCallbacks, // -4: ids of Python callbacks Go no longer holds
	cancelContext,     // -5: cancel the calls of a usegolib.Context
	forgetContext,     // -6: forget a cancelled usegolib.Context
	contextCount,      // -7: contexts remembered, for leak checks
	borrowTokenOf,     // -8: the token of borrowed memory
	pinnedCount,       // -9: results and borrowed memory still pinned, for leak checks
	refValue,          // -10: what a usegolib.Ref points to
	releaseRef,        // -11: forget a usegolib.Ref
	refCount,          // -12: live Refs, for leak checks
	streamReadFrom,    // -13: read from a handle's io.Reader
	streamWriteTo,     // -14: write to a handle's io.Writer
	callAnyFunc,       // -15: call a Go func found inside any
	handleText,        // -16: Error() or String() of a handle's value
}

func pinnedCount(c *Call) error {
	if err := c.Args(0); err != nil {
		return err
	}
	pinned.Lock()
	n := len(pinned.m)
	pinned.Unlock()
	c.ReturnInt(int64(n))
	return nil
}

func handleTypeName(c *Call) error {
	v, err := handleArgs(c, 1)
	if err != nil {
		return err
	}
	c.Out = codec.AppendString(c.Out, fmt.Sprintf("%T", v))
	return nil
}

func handleCount(c *Call) error {
	if err := c.Args(0); err != nil {
		return err
	}
	c.ReturnInt(int64(HandleCount()))
	return nil
}

func releaseIn(c *Call) error {
	if err := c.Args(1); err != nil {
		return err
	}
	payload, err := c.In.ReadBinBytes()
	if err != nil {
		return &ABIError{Msg: "encoded result expected"}
	}
	releaseHandlesIn(payload)
	return nil
}

// handleText (builtin) is the Error() or String() text of a handle's Go
// value, or nil when it has neither: str() of handles without a class of
// their own (an error of an unexported type inside any).
func handleText(c *Call) error {
	v, err := handleArgs(c, 1)
	if err != nil {
		return err
	}
	switch x := v.(type) {
	case error:
		c.Out = codec.AppendString(c.Out, x.Error())
	case interface{ String() string }:
		c.Out = codec.AppendString(c.Out, x.String())
	default:
		c.Out = codec.AppendNil(c.Out)
	}
	return nil
}

// idArgs checks a builtin's argument count and reads its first argument,
// an id (what names it in the error: "handle id", "Ref token").
func idArgs(c *Call, n int, what string) (uint64, error) {
	if err := c.Args(n); err != nil {
		return 0, err
	}
	id, err := c.In.ReadUint64()
	if err != nil {
		return 0, &ABIError{Msg: what + " expected"}
	}
	return id, nil
}
