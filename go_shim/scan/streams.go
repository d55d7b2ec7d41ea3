package scan

import (
	"go/types"
)

// streamMethods are the methods of rt.PyStream, the Go side of a Python
// file object: an interface made only of these is satisfied by one
// (rt.DecodeStream).
var streamMethods = func() map[string]*types.Signature {
	bytesT := types.NewSlice(types.Typ[types.Byte])
	errT := types.Universe.Lookup("error").Type()
	v := func(ts ...types.Type) *types.Tuple {
		vars := make([]*types.Var, len(ts))
		for i, t := range ts {
			vars[i] = types.NewParam(0, nil, "", t)
		}
		return types.NewTuple(vars...)
	}
	sig := func(params, results *types.Tuple) *types.Signature {
		return types.NewSignatureType(nil, nil, nil, params, results, false)
	}
	intT, int64T := types.Typ[types.Int], types.Typ[types.Int64]
	return map[string]*types.Signature{
		"Read":        sig(v(bytesT), v(intT, errT)),
		"Write":       sig(v(bytesT), v(intT, errT)),
		"WriteString": sig(v(types.Typ[types.String]), v(intT, errT)),
		"ReadByte":    sig(v(), v(types.Typ[types.Byte], errT)),
		"ReadAt":      sig(v(bytesT, int64T), v(intT, errT)),
		"Seek":        sig(v(int64T, intT), v(int64T, errT)),
		"Close":       sig(v(), v(errT)),
		"Flush":       sig(v(), v(errT)),
	}
}()

// IsStream reports whether a Python file object can stand for the
// interface t: it has at least one method, all of them a PyStream's.
func IsStream(t types.Type) bool {
	it, ok := t.Underlying().(*types.Interface)
	if !ok || it.NumMethods() == 0 {
		return false
	}
	for i := 0; i < it.NumMethods(); i++ {
		m := it.Method(i)
		want, ok := streamMethods[m.Name()]
		if !ok || !types.Identical(m.Type(), want) {
			return false
		}
	}
	return true
}
