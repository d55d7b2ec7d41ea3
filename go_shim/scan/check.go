package scan

import (
	"fmt"
	"go/types"

	"usegolib.local/shim/adapt"
)

// unsupported returns why values of t cannot cross the bridge, or "" when
// they can. Every named struct that the bridge can name is bridgeable (as a
// record or, failing that, as a handle), so recursion only ever passes
// through types that are fine, and assuming "fine" for a type on the current
// path is sound.
func (s *scanner) unsupported(t types.Type) string {
	t = types.Unalias(t)
	key := typeKey(t)
	if reason, ok := s.checked[key]; ok {
		return reason
	}
	if s.visiting[key] {
		return ""
	}
	s.visiting[key] = true
	reason := s.whyUnsupported(t)
	delete(s.visiting, key)
	s.checked[key] = reason
	return reason
}

func (s *scanner) whyUnsupported(t types.Type) string {
	switch t := t.(type) {
	case *types.Basic:
		return basicReason(t)
	case *types.Named:
		return s.namedReason(t)
	case *types.Pointer:
		elem := types.Unalias(t.Elem())
		if _, ok := elem.(*types.Pointer); ok {
			return fmt.Sprintf("pointer to pointer %s is not supported", typeKey(t))
		}
		return s.unsupported(elem)
	case *types.Slice:
		return s.unsupported(t.Elem())
	case *types.Array:
		return s.unsupported(t.Elem())
	case *types.Map:
		if !isMapKey(t.Key()) {
			return fmt.Sprintf("map key type %s is not supported (keys must be strings, integers, floats or bools)", typeKey(t.Key()))
		}
		return s.unsupported(t.Elem())
	case *types.Struct:
		return s.anonymousStructReason(t)
	case *types.Interface:
		if !t.IsMethodSet() {
			return constraintReason
		}
		if t.NumMethods() == 0 {
			return ""
		}
		return "unnamed interface types with methods are not supported"
	case *types.Signature:
		return s.funcReason(t)
	case *types.Chan:
		if reason := s.unsupported(t.Elem()); reason != "" {
			return "channel of " + reason
		}
		if reason := SpellReason(t.Elem()); reason != "" {
			return "channel of " + reason
		}
		return ""
	case *types.TypeParam:
		return "generic type parameters are not supported yet"
	}
	return fmt.Sprintf("type %s is not supported", typeKey(t))
}

// constraintReason is why a type-set interface (interface{ ~int | ~float64 },
// comparable) is not bridged: Go allows it only as a constraint, so generated
// code that named it as a value type would not compile.
const constraintReason = "constraint interface: usable only as a type parameter constraint"

// funcReason tells why values of a func type cannot cross, if they cannot:
// a func the module's API never hands out could only come from Python.
// A func type crosses as a handle when the module's API hands out values of
// it, and a Python function can stand for it when its parameters and
// results cross (the Go func calling Python encodes and decodes them).
func (s *scanner) funcReason(t types.Type) string {
	if sig, ok := t.(*types.Signature); ok {
		if reason := SpellReason(sig); reason != "" {
			return reason
		}
	}
	if s.produced[typeKey(t)] {
		return ""
	}
	if reason := s.callbackReason(t.Underlying().(*types.Signature)); reason != "" {
		return fmt.Sprintf("func type %s: a Python function cannot stand for it: %s", typeKey(t), reason)
	}
	return ""
}

// callbackReason tells why a Python function cannot implement sig.
func (s *scanner) callbackReason(sig *types.Signature) string {
	params, results := sig.Params(), sig.Results()
	for i := 0; i < params.Len(); i++ {
		t := params.At(i).Type()
		if sig.Variadic() && i == params.Len()-1 {
			t = t.(*types.Slice).Elem()
		}
		if reason := s.unsupported(t); reason != "" {
			return fmt.Sprintf("parameter %s: %s", paramLabel(params.At(i), i), reason)
		}
	}
	n := results.Len()
	if n > 0 && isErrorType(results.At(n-1).Type()) {
		n--
	}
	for i := 0; i < n; i++ {
		if reason := s.unsupported(results.At(i).Type()); reason != "" {
			return fmt.Sprintf("result %d: %s", i+1, reason)
		}
	}
	return ""
}

// SpellReason tells why generated code cannot spell an unnamed type, if it
// cannot: it mentions a type outside the bridge's reach.
func SpellReason(t types.Type) string {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		return accessReason(t.Obj())
	case *types.Pointer:
		return SpellReason(t.Elem())
	case *types.Slice:
		return SpellReason(t.Elem())
	case *types.Array:
		return SpellReason(t.Elem())
	case *types.Chan:
		return SpellReason(t.Elem())
	case *types.Map:
		if reason := SpellReason(t.Key()); reason != "" {
			return reason
		}
		return SpellReason(t.Elem())
	case *types.Signature:
		for _, tuple := range []*types.Tuple{t.Params(), t.Results()} {
			for i := 0; i < tuple.Len(); i++ {
				if reason := SpellReason(tuple.At(i).Type()); reason != "" {
					return reason
				}
			}
		}
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if !t.Field(i).Exported() {
				return "a struct type with unexported fields cannot be spelled outside its package"
			}
			if reason := SpellReason(t.Field(i).Type()); reason != "" {
				return reason
			}
		}
	}
	return ""
}

func basicReason(t *types.Basic) string {
	switch {
	case t.Kind() == types.UnsafePointer:
		return "unsafe.Pointer is not bridgeable"
	case t.Info()&types.IsUntyped != 0:
		return "untyped values are not bridgeable"
	}
	return ""
}

func (s *scanner) namedReason(t *types.Named) string {
	if t.TypeParams().Len() > 0 && t.TypeArgs().Len() == 0 {
		return fmt.Sprintf("generic type %s: %s", typeKey(t), instantiateHow)
	}
	if reason := accessReason(t.Obj()); reason != "" {
		return reason
	}
	for i := 0; i < t.TypeArgs().Len(); i++ {
		if reason := s.unsupported(t.TypeArgs().At(i)); reason != "" {
			return fmt.Sprintf("type argument of %s: %s", typeKey(t), reason)
		}
	}
	if isAdapted(t) {
		return ""
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		return "" // a record, or else a handle
	case *types.Interface:
		if !u.IsMethodSet() {
			return constraintReason // no value ever has such a type
		}
		return "" // any, or a handle of the dynamic type
	case *types.Pointer:
		return fmt.Sprintf("named pointer type %s is not supported", typeKey(t))
	case *types.Signature:
		return s.funcReason(t)
	default:
		return s.unsupported(u)
	}
}

// accessReason tells why generated code outside the module cannot name the
// type, if it cannot.
func accessReason(obj *types.TypeName) string {
	if obj.Pkg() == nil {
		return "" // predeclared: error
	}
	if !obj.Exported() {
		return fmt.Sprintf("unexported type %s.%s is not supported yet", obj.Pkg().Path(), obj.Name())
	}
	if isInternal(obj.Pkg().Path()) {
		return fmt.Sprintf("type %s.%s lives in an internal package, which code outside its module cannot name", obj.Pkg().Path(), obj.Name())
	}
	if obj.Parent() != obj.Pkg().Scope() {
		return fmt.Sprintf("type %s is declared inside a function", obj.Name())
	}
	return ""
}

func (s *scanner) anonymousStructReason(t *types.Struct) string {
	for i := 0; i < t.NumFields(); i++ {
		f := t.Field(i)
		if !f.Exported() {
			return "anonymous struct with unexported fields is not supported"
		}
		if reason := s.unsupported(f.Type()); reason != "" {
			return fmt.Sprintf("field %s: %s", f.Name(), reason)
		}
	}
	return ""
}

// isMapKey reports whether a key type has a natural Python dict key.
func isMapKey(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	if !ok {
		return false
	}
	return b.Info()&(types.IsString|types.IsInteger|types.IsFloat|types.IsBoolean) != 0 && b.Info()&types.IsUntyped == 0
}

// isRecord reports whether a named struct is plain data: every field
// exported and bridgeable, and no methods on T or *T. Anything else is
// a class whose values travel as handles.
func (s *scanner) isRecord(t *types.Named) bool {
	if _, ok := t.Underlying().(*types.Struct); !ok {
		return false
	}
	if types.NewMethodSet(types.NewPointer(t)).Len() > 0 {
		return false
	}
	return s.anonymousStructReason(t.Underlying().(*types.Struct)) == ""
}

func isNamed(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

func isContext(t types.Type) bool { return isNamed(t, "context", "Context") }

// adapterOf finds the adapter (package adapt) of a named type with a Python
// counterpart of its own, which is neither a record nor a class.
func adapterOf(t types.Type) (adapt.Adapter, bool) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return adapt.Adapter{}, false
	}
	return adapt.Lookup(n.Obj().Pkg().Path(), n.Obj().Name())
}

func isAdapted(t types.Type) bool {
	_, ok := adapterOf(t)
	return ok
}

// isErrorType reports whether t is the predeclared error interface.
func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// typeKey spells a type with full package paths; equal keys mean identical
// types for everything the bridge supports.
func typeKey(t types.Type) string { return types.TypeString(t, nil) }
