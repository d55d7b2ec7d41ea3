package rt

import (
	"testing"

	"usegolib.local/shim/codec"
)

// decodingCalls stand for generated calls: each decodes its arguments with
// the runtime's decoders, as generated code does, then uses them.
var decodingCalls = []Func{
	func(c *Call) error {
		if err := c.Args(3); err != nil {
			return err
		}
		var a int64
		var s string
		var b []byte
		if err := DecodeInt(&c.In, &a); err != nil {
			return Param(err, "a")
		}
		if err := DecodeString(&c.In, &s); err != nil {
			return Param(err, "s")
		}
		if err := DecodeBytes(&c.In, &b); err != nil {
			return Param(err, "b")
		}
		c.ReturnInt(a + int64(len(s)+len(b)))
		return nil
	},
	func(c *Call) error {
		if err := c.Args(2); err != nil {
			return err
		}
		var xs []float64
		var ns []int32
		if IsNumbers(&c.In) {
			if err := DecodeNumbers(&c.In, &xs); err != nil {
				return Param(err, "xs")
			}
		} else if err := c.In.Skip(); err != nil {
			return Param(err, "xs")
		}
		if IsNumbers(&c.In) {
			// As generated code reads a parameter Go does not keep.
			if _, err := DecodeSharedNumbers(&c.In, &ns, DecodeNumbers[[]int32]); err != nil {
				return Param(err, "ns")
			}
		} else if err := c.In.Skip(); err != nil {
			return Param(err, "ns")
		}
		c.Out = EncodeNumbers(c.Out, xs)
		return nil
	},
	func(c *Call) error {
		if err := c.Args(1); err != nil {
			return err
		}
		var v any
		if err := DecodeAny(&c.In, &v); err != nil {
			return Param(err, "v")
		}
		c.Out = EncodeAny(c.Out, v)
		return nil
	},
}

// FuzzArguments feeds arbitrary bytes to calls as their arguments: every
// outcome is a status Python understands, never a panic from decoding.
//
//	go test ./rt -run '^$' -fuzz FuzzArguments -fuzztime 10m
func FuzzArguments(f *testing.F) {
	f.Add(uint8(0), array(intArg(7), strArg("go"), func(b []byte) []byte { return codec.AppendBytes(b, []byte("x")) }))
	f.Add(uint8(1), array(func(b []byte) []byte { return EncodeNumbers(b, []float64{1, 2}) }, uintArg(3)))
	f.Add(uint8(2), array(strArg("any")))
	f.Add(uint8(1), []byte{0x92, 0xc7, 0x19, 0x0b})
	f.Fuzz(func(t *testing.T, which uint8, args []byte) {
		f := decodingCalls[int(which)%len(decodingCalls)]
		word, _ := call(t, f, args)
		switch status := word & 7; status {
		case StatusOK, StatusInt, StatusArgError, StatusABIError:
		default:
			t.Fatalf("status %d for %x", status, args)
		}
	})
}

func intArg(v int64) func([]byte) []byte {
	return func(b []byte) []byte { return codec.AppendInt(b, v) }
}
func strArg(s string) func([]byte) []byte {
	return func(b []byte) []byte { return codec.AppendString(b, s) }
}
