package rt

import (
	"fmt"
	"reflect"

	"usegolib.local/shim/codec"
)

// Funcs inside `any`, both ways (docs/type-mapping.md, "Funcs inside any").
// A Python callable where Go wants `any` is a func(args ...any) (any,
// error), the shape Go libraries that call funcs they are given by
// reflection accept (goja, text/template). A Go func found inside `any`
// (a template.FuncMap's values) is a handle of FuncClass, which Python
// calls with builtin -15: its types are known only at run time, so this
// one path converts arguments by reflection.

// FuncClass is the class id of a Go func value found inside `any`.
const FuncClass = 0xFFFFFFFE

// AnyFunc is the Go func a Python callable stands for inside `any`.
func (cb *Callback) AnyFunc() func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		b := codec.AppendArrayHeader(nil, len(args))
		for _, a := range args {
			b = EncodeAny(b, a)
		}
		res, settle, err := cb.Invoke(b)
		defer settle()
		if err != nil {
			return nil, err
		}
		if res.Remaining() == 0 {
			return nil, nil // the callable returned None
		}
		return decodeAny(&res, 0)
	}
}

// callAnyFunc (builtin) calls the Go func behind a FuncClass handle with
// [handle, [args...]] and returns its results: one value, or a list of
// several; a final non-nil error is a Go error.
func callAnyFunc(c *Call) error {
	v, err := handleArgs(c, 2)
	if err != nil {
		return err
	}
	fn := reflect.ValueOf(v)
	if fn.Kind() != reflect.Func || fn.IsNil() {
		return TypeMismatch("a Go func", fmt.Sprintf("Go %T", v))
	}
	var raw any
	if err := DecodeAny(&c.In, &raw); err != nil {
		return err
	}
	list, ok := raw.([]any)
	if !ok && raw != nil {
		return &ABIError{Msg: "an argument list expected"}
	}
	args, err := funcArgs(fn.Type(), list)
	if err != nil {
		return err
	}
	return encodeFuncResults(c, fn.Type(), fn.Call(args))
}

// funcArgs converts Python's arguments to the func's parameter types.
func funcArgs(t reflect.Type, values []any) ([]reflect.Value, error) {
	fixed := t.NumIn()
	if t.IsVariadic() {
		fixed--
	}
	if len(values) < fixed || (!t.IsVariadic() && len(values) > fixed) {
		return nil, &ConvError{Kind: KindType, Msg: fmt.Sprintf("the Go func %s takes %d arguments, got %d", t, t.NumIn(), len(values))}
	}
	args := make([]reflect.Value, len(values))
	for i, v := range values {
		want := t.In(min(i, t.NumIn()-1))
		if i >= fixed {
			want = t.In(t.NumIn() - 1).Elem()
		}
		arg, err := convertTo(v, want)
		if err != nil {
			return nil, At(err, Index(i))
		}
		args[i] = arg
	}
	return args, nil
}

// convertTo makes a Go value of type t from a natural Go value (what
// DecodeAny gives): assigned as it is, converted between numbers, or built
// item by item for slices and maps.
func convertTo(v any, t reflect.Type) (reflect.Value, error) {
	if v == nil {
		switch t.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
			return reflect.Zero(t), nil
		}
		return reflect.Value{}, TypeMismatch("Go "+t.String(), "None")
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.Type().AssignableTo(t):
		return rv, nil
	case isNumber(rv.Kind()) && isNumber(t.Kind()):
		out := rv.Convert(t)
		if !out.Convert(rv.Type()).Equal(rv) {
			return reflect.Value{}, Overflow(v, t.String())
		}
		return out, nil
	case rv.Kind() == reflect.Slice && t.Kind() == reflect.Slice:
		out := reflect.MakeSlice(t, rv.Len(), rv.Len())
		for i := range rv.Len() {
			item, err := convertTo(rv.Index(i).Interface(), t.Elem())
			if err != nil {
				return reflect.Value{}, At(err, Index(i))
			}
			out.Index(i).Set(item)
		}
		return out, nil
	case rv.Kind() == reflect.Map && t.Kind() == reflect.Map:
		out := reflect.MakeMapWithSize(t, rv.Len())
		for iter := rv.MapRange(); iter.Next(); {
			key, err := convertTo(iter.Key().Interface(), t.Key())
			if err != nil {
				return reflect.Value{}, At(err, "[key]")
			}
			value, err := convertTo(iter.Value().Interface(), t.Elem())
			if err != nil {
				return reflect.Value{}, At(err, MapKey(iter.Key().Interface()))
			}
			out.SetMapIndex(key, value)
		}
		return out, nil
	}
	return reflect.Value{}, TypeMismatch("Go "+t.String(), pythonNameOf(v))
}

func isNumber(k reflect.Kind) bool {
	return (k >= reflect.Int && k <= reflect.Uintptr) || k == reflect.Float32 || k == reflect.Float64
}

// pythonNameOf names the Python type a natural Go value came from.
func pythonNameOf(v any) string {
	switch v.(type) {
	case string:
		return "str"
	case []byte:
		return "bytes"
	case bool:
		return "bool"
	case int, int64, uint64:
		return "int"
	case float64:
		return "float"
	case []any:
		return "list"
	case map[string]any, map[any]any:
		return "dict"
	}
	return fmt.Sprintf("Go %T", v)
}

var errorType = reflect.TypeFor[error]()

func encodeFuncResults(c *Call, t reflect.Type, results []reflect.Value) error {
	if n := len(results); n > 0 && t.Out(n-1) == errorType {
		if err, _ := results[n-1].Interface().(error); err != nil {
			return GoErr(err)
		}
		results = results[:n-1]
	}
	switch len(results) {
	case 0:
		return nil
	case 1:
		c.Out = EncodeAny(c.Out, results[0].Interface())
		return nil
	}
	c.Out = codec.AppendArrayHeader(c.Out, len(results))
	for _, r := range results {
		c.Out = EncodeAny(c.Out, r.Interface())
	}
	return nil
}
