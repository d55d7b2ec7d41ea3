package rt

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"reflect"
	"time"

	"usegolib.local/shim/codec"
)

// maxAnyDepth bounds nesting inside `any` values in both directions, so
// neither a hostile argument nor a cyclic Go value can exhaust the stack. It
// stays under the 1024 levels Python's MessagePack decoder accepts.
const maxAnyDepth = 1000

// knownEncoder is set by the generated bridge: a type switch over the
// module's records and classes, so that such values inside `any` keep their
// shape (a dict, a handle of the right class).
var knownEncoder func(b []byte, v any) ([]byte, bool)

// SetKnownEncoder installs the bridge's encoder for its own types.
func SetKnownEncoder(f func(b []byte, v any) ([]byte, bool)) { knownEncoder = f }

// uuidValue turns a Python uuid.UUID inside `any` into the module's UUID
// type; the runtime cannot import github.com/google/uuid itself, so a bridge
// whose module uses it installs this. Without it the value is a [16]byte.
var uuidValue = func(b [16]byte) any { return b }

// SetUUIDType installs the conversion to github.com/google/uuid.UUID.
func SetUUIDType(f func(b [16]byte) any) { uuidValue = f }

// DecodeAny reads any Python value into its natural Go form: nil, bool,
// int (uint64 above MaxInt64), float64, string, []byte, []any,
// map[string]any (map[any]any when a key is not a string), the Go value of
// a handle, time.Time, time.Duration or complex128.
func DecodeAny(r *codec.Reader, v *any) error {
	x, err := decodeAny(r, 0)
	if err != nil {
		return err
	}
	*v = x
	return nil
}

func decodeAny(r *codec.Reader, depth int) (any, error) {
	if depth > maxAnyDepth {
		return nil, Invalid(fmt.Sprintf("value nested deeper than %d levels", maxAnyDepth))
	}
	kind, err := r.NextKind()
	if err != nil {
		return nil, Fail(err, "")
	}
	switch kind {
	case codec.KindNil:
		return nil, r.ReadNil()
	case codec.KindBool:
		return r.ReadBool()
	case codec.KindInt, codec.KindUint:
		return readNaturalInt(r)
	case codec.KindFloat32, codec.KindFloat64:
		return r.ReadFloat64()
	case codec.KindStr:
		return r.ReadString()
	case codec.KindBin:
		b, err := r.ReadBinBytes()
		return append([]byte{}, b...), err
	case codec.KindArray:
		return decodeAnyList(r, depth)
	case codec.KindMap:
		return decodeAnyMap(r, depth)
	case codec.KindExt:
		return decodeAnyExt(r)
	}
	return nil, Invalid("malformed value")
}

func readNaturalInt(r *codec.Reader) (any, error) {
	if i, err := r.ReadInt64(); err == nil {
		if int64(int(i)) == i {
			return int(i), nil
		}
		return i, nil
	}
	u, err := r.ReadUint64()
	if err != nil {
		return nil, Fail(err, "")
	}
	return u, nil
}

func decodeAnyList(r *codec.Reader, depth int) (any, error) {
	n, err := r.ReadArrayHeader()
	if err != nil {
		return nil, Fail(err, "")
	}
	out := make([]any, n)
	for i := range out {
		if out[i], err = decodeAny(r, depth+1); err != nil {
			return nil, At(err, Index(i))
		}
	}
	return out, nil
}

func decodeAnyMap(r *codec.Reader, depth int) (any, error) {
	n, err := r.ReadMapHeader()
	if err != nil {
		return nil, Fail(err, "")
	}
	keys := make([]any, n)
	values := make([]any, n)
	allStrings := true
	for i := 0; i < n; i++ {
		if keys[i], err = decodeAny(r, depth+1); err != nil {
			return nil, err
		}
		switch k := keys[i].(type) {
		case string:
		case []byte:
			keys[i], allStrings = string(k), false // Go cannot key a map by a slice
		case []any, map[string]any, map[any]any:
			return nil, Invalid("dict keys must be hashable scalars")
		default:
			allStrings = false
		}
		if values[i], err = decodeAny(r, depth+1); err != nil {
			return nil, At(err, MapKey(keys[i]))
		}
	}
	if allStrings {
		m := make(map[string]any, n)
		for i, k := range keys {
			m[k.(string)] = values[i]
		}
		return m, nil
	}
	m := make(map[any]any, n)
	for i, k := range keys {
		m[k] = values[i]
	}
	return m, nil
}

func decodeAnyExt(r *codec.Reader) (any, error) {
	typ, data, err := r.ReadExt()
	if err != nil {
		return nil, Fail(err, "")
	}
	switch {
	case typ == ExtHandle && len(data) == 8:
		h, err := handleByID(binary.BigEndian.Uint64(data))
		if err != nil {
			return nil, err
		}
		return h.goValue(), nil
	case typ == ExtCallback && len(data) == 8:
		return newCallback(binary.BigEndian.Uint64(data), r).AnyFunc(), nil
	case typ == ExtRef:
		arg, err := parseRef(data)
		if err != nil {
			return nil, err
		}
		return decodeAnyRef(arg)
	case typ == ExtTime && len(data) == 16:
		var t time.Time
		err := DecodeTime(extReader(typ, data), &t)
		return t, err
	case typ == ExtDuration && len(data) == 8:
		return time.Duration(binary.BigEndian.Uint64(data)), nil
	case typ == ExtBigInt:
		return bigFromExt(data)
	case typ == ExtUUID && len(data) == 16:
		return uuidValue([16]byte(data)), nil
	case typ == ExtBigFloat:
		return parseBigFloat(data)
	case typ == ExtIP:
		return readAddr(extReader(typ, data))
	case typ == ExtComplex && len(data) == 16:
		return complex(math.Float64frombits(binary.BigEndian.Uint64(data)), math.Float64frombits(binary.BigEndian.Uint64(data[8:]))), nil
	}
	return nil, TypeMismatch("a value Go can hold in an interface", extName(typ))
}

// extReader re-wraps an extension value that has been read already, to
// reuse the typed decoder.
func extReader(typ int8, data []byte) *codec.Reader {
	r := codec.NewReader(codec.AppendExt(nil, typ, data))
	return &r
}

// EncodeAny appends a Go value held in an interface in its natural form.
func EncodeAny(b []byte, v any) []byte { return encodeAny(b, v, 0) }

func encodeAny(b []byte, v any, depth int) []byte {
	if depth > maxAnyDepth {
		panic(fmt.Sprintf("usegolib: value nested deeper than %d levels (a cycle?)", maxAnyDepth))
	}
	if out, ok := encodeBasicAny(b, v); ok {
		return out
	}
	switch x := v.(type) {
	case []any:
		b = codec.AppendArrayHeader(b, len(x))
		for _, e := range x {
			b = encodeAny(b, e, depth+1)
		}
		return b
	case map[string]any:
		b = codec.AppendMapHeader(b, len(x))
		for k, e := range x {
			b = codec.AppendString(b, k)
			b = encodeAny(b, e, depth+1)
		}
		return b
	case map[any]any:
		b = codec.AppendMapHeader(b, len(x))
		for k, e := range x {
			b = encodeAny(b, k, depth+1)
			b = encodeAny(b, e, depth+1)
		}
		return b
	}
	if knownEncoder != nil {
		if out, ok := knownEncoder(b, v); ok {
			return out
		}
	}
	return encodeReflected(b, v, depth)
}

// encodeBasicAny covers the predeclared types without reflection.
func encodeBasicAny(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case nil:
		return codec.AppendNil(b), true
	case bool:
		return codec.AppendBool(b, x), true
	case int:
		return codec.AppendInt(b, int64(x)), true
	case int8:
		return codec.AppendInt(b, int64(x)), true
	case int16:
		return codec.AppendInt(b, int64(x)), true
	case int32:
		return codec.AppendInt(b, int64(x)), true
	case int64:
		return codec.AppendInt(b, x), true
	case uint:
		return codec.AppendUint(b, uint64(x)), true
	case uint8:
		return codec.AppendUint(b, uint64(x)), true
	case uint16:
		return codec.AppendUint(b, uint64(x)), true
	case uint32:
		return codec.AppendUint(b, uint64(x)), true
	case uint64:
		return codec.AppendUint(b, x), true
	case uintptr:
		return codec.AppendUint(b, uint64(x)), true
	case float32:
		return codec.AppendFloat32(b, x), true
	case float64:
		return codec.AppendFloat64(b, x), true
	case complex64:
		return appendComplex(b, complex128(x)), true
	case complex128:
		return appendComplex(b, x), true
	case string:
		return codec.AppendString(b, x), true
	case []byte:
		return codec.AppendBytes(b, x), true
	case time.Time:
		return EncodeTime(b, x), true
	case time.Duration:
		return EncodeDuration(b, x), true
	case *big.Int:
		return EncodeBigInt(b, x), true
	case big.Int:
		return EncodeBigInt(b, &x), true
	case *big.Float:
		return EncodeBigFloat(b, x), true
	case big.Float:
		return EncodeBigFloat(b, &x), true
	case netip.Addr:
		return EncodeAddr(b, x), true
	}
	if ip, ok := netIP(v); ok {
		return EncodeIP(b, ip), true
	}
	return b, false
}

// netIP is the bytes of a net.IP, known by its type's name: the runtime
// does not import net (EncodeIP says why). A net.IP can only be here when
// the library imports net itself.
func netIP(v any) ([]byte, bool) {
	t := reflect.TypeOf(v)
	if t == nil || t.PkgPath() != "net" || t.Name() != "IP" {
		return nil, false
	}
	return reflect.ValueOf(v).Bytes(), true
}
