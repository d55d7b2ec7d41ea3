// Package adapt is the table of Go types that have a Python counterpart of
// their own (SPEC §2): time.Time is a datetime, *big.Int an int, and so on.
// The scanner gives them their manifest kind from here and the generator
// their runtime codecs. Adding an adapter is a row here, a codec pair in
// package rt, and an entry in usegolib/runtime/values.py.
package adapt

import "usegolib.local/shim/model"

// Adapter describes one adapted Go type.
type Adapter struct {
	Package, Name string
	// Kind is the manifest kind Python dispatches on.
	Kind model.Kind
	// Codec names the rt functions for values of the type: rt.Encode<Codec>
	// and rt.Decode<Codec>, instantiated with the Go type when Generic.
	Codec   string
	Generic bool
	// PointerCodec, when set, names the codecs of *T, for types whose
	// pointer is their usual form (nil is None). Otherwise *T is an
	// optional T.
	PointerCodec string
}

// Table lists every adapter.
var Table = []Adapter{
	{Package: "time", Name: "Time", Kind: model.KindTime, Codec: "Time"},
	{Package: "time", Name: "Duration", Kind: model.KindDuration, Codec: "Duration"},
	{Package: "math/big", Name: "Int", Kind: model.KindBigInt, Codec: "BigIntValue", PointerCodec: "BigInt"},
	{Package: "math/big", Name: "Float", Kind: model.KindBigFloat, Codec: "BigFloatValue", PointerCodec: "BigFloat"},
	{Package: "github.com/google/uuid", Name: "UUID", Kind: model.KindUUID, Codec: "UUID", Generic: true},
	{Package: "net", Name: "IP", Kind: model.KindIP, Codec: "IP", Generic: true},
	{Package: "net/netip", Name: "Addr", Kind: model.KindIP, Codec: "Addr"},
}

// Lookup finds the adapter of the named type pkg.name.
func Lookup(pkg, name string) (Adapter, bool) {
	for _, a := range Table {
		if a.Package == pkg && a.Name == name {
			return a, true
		}
	}
	return Adapter{}, false
}
