package rt

import (
	"reflect"

	"usegolib.local/shim/codec"
	"usegolib.local/shim/jsontag"
)

// encodeReflected is the fallback for values inside `any` whose dynamic type
// the bridge has no generated code for (named types of other packages,
// composite literals). Reflection is confined to this path: values whose
// static type is known never come here. Plain data becomes its natural
// Python value; anything with behaviour or hidden state becomes an opaque
// handle, so nothing is lost.
func encodeReflected(b []byte, v any, depth int) []byte {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Bool:
		return codec.AppendBool(b, rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return codec.AppendInt(b, rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return codec.AppendUint(b, rv.Uint())
	case reflect.Float32:
		return codec.AppendFloat32(b, float32(rv.Float()))
	case reflect.Float64:
		return codec.AppendFloat64(b, rv.Float())
	case reflect.Complex64, reflect.Complex128:
		return appendComplex(b, rv.Complex())
	case reflect.String:
		return codec.AppendString(b, rv.String())
	case reflect.Slice, reflect.Array:
		return encodeReflectedList(b, rv, depth)
	case reflect.Map:
		b = codec.AppendMapHeader(b, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			b = encodeAny(b, iter.Key().Interface(), depth+1)
			b = encodeAny(b, iter.Value().Interface(), depth+1)
		}
		return b
	case reflect.Pointer:
		if rv.IsNil() {
			return codec.AppendNil(b)
		}
		if rv.Elem().Kind() != reflect.Struct || isPlainStruct(rv.Elem().Type()) {
			return encodeAny(b, rv.Elem().Interface(), depth+1)
		}
	case reflect.Struct:
		if isPlainStruct(rv.Type()) {
			return encodeReflectedStruct(b, rv, depth)
		}
	case reflect.Func:
		if rv.IsNil() {
			return codec.AppendNil(b)
		}
		return AppendHandle(b, FuncClass, v, nil) // callable from Python (callAnyFunc)
	}
	return AppendHandle(b, OpaqueClass, v, nil)
}

func encodeReflectedList(b []byte, rv reflect.Value, depth int) []byte {
	if rv.Type().Elem().Kind() == reflect.Uint8 {
		if rv.Kind() == reflect.Slice {
			return codec.AppendBytes(b, rv.Bytes())
		}
		buf := make([]byte, rv.Len())
		reflect.Copy(reflect.ValueOf(buf), rv)
		return codec.AppendBytes(b, buf)
	}
	b = codec.AppendArrayHeader(b, rv.Len())
	for i := 0; i < rv.Len(); i++ {
		b = encodeAny(b, rv.Index(i).Interface(), depth+1)
	}
	return b
}

// isPlainStruct approximates the scanner's record rule for structs met only
// at run time: exported fields and no exported methods (reflection cannot
// see unexported ones). Structs with embedded fields are kept whole as
// handles rather than flattened by rules that could differ from a record's.
func isPlainStruct(t reflect.Type) bool {
	if reflect.PointerTo(t).NumMethod() > 0 {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); !f.IsExported() || f.Anonymous {
			return false
		}
	}
	return true
}

func encodeReflectedStruct(b []byte, rv reflect.Value, depth int) []byte {
	t := rv.Type()
	type kv struct {
		key   string
		value reflect.Value
	}
	fields := make([]kv, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		name, _, skip := jsontag.Name(string(t.Field(i).Tag), t.Field(i).Name)
		if !skip {
			fields = append(fields, kv{name, rv.Field(i)})
		}
	}
	b = codec.AppendMapHeader(b, len(fields))
	for _, f := range fields {
		b = codec.AppendString(b, f.key)
		b = encodeAny(b, f.value.Interface(), depth+1)
	}
	return b
}
