package scan

import (
	"fmt"
	"go/types"
	"strings"

	"usegolib.local/shim/model"
)

// Opaque types are named types generated code cannot spell: unexported,
// in an internal package, or declared inside a function. Exported functions
// still take and return them (`func New() *impl`), so the generator lets Go
// infer them as type parameters of a generic call wrapper, and their values
// cross as handles of an "opaque" class, or as their value when that is of
// a basic type (an internal `type MIB uint16` travels as an int). Only a
// parameter or result may be opaque; inside a slice, map or struct the
// type would have to be spelled.

// OpaqueNamed returns the named type behind t (t itself, or what it points
// to) when generated code cannot spell it.
func OpaqueNamed(t types.Type) (*types.Named, bool) {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.TypeParams().Len() > 0 || n.TypeArgs().Len() > 0 {
		return nil, false
	}
	return n, accessReason(n.Obj()) != ""
}

// OpaqueBasic returns the underlying basic type of an opaque named type
// held by value whose values cross as that basic type.
func OpaqueBasic(t types.Type) (*types.Basic, bool) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return nil, false
	}
	if _, opaque := OpaqueNamed(n); !opaque {
		return nil, false
	}
	b, ok := n.Underlying().(*types.Basic)
	return b, ok && basicReason(b) == ""
}

// signatureTypeReason is unsupported(t) for a type in a signature, where an
// opaque type may stand; variadic marks the element of a variadic
// parameter, which the wrapper cannot convert element by element.
func (s *scanner) signatureTypeReason(t types.Type, variadic bool) string {
	if _, opaque := OpaqueNamed(t); opaque {
		if _, basic := OpaqueBasic(t); basic && variadic {
			return fmt.Sprintf("variadic parameter of %s, a type generated code cannot name", typeKey(t))
		}
		return ""
	}
	return s.unsupported(t)
}

// refSignatureType is ref(t) for a type in a signature: an opaque basic
// type is its basic type; another opaque type is an opaque class.
func (s *scanner) refSignatureType(t types.Type) int {
	if b, ok := OpaqueBasic(t); ok {
		return s.ref(b)
	}
	if n, opaque := OpaqueNamed(t); opaque {
		return s.opaqueClass(types.Unalias(t), n)
	}
	return s.ref(t)
}

// opaqueClass returns the class of handles holding values of the opaque
// type t (a named type or a pointer to one), creating it.
func (s *scanner) opaqueClass(t types.Type, n *types.Named) int {
	key := typeKey(t)
	if info, ok := s.byKey[key]; ok {
		s.reach(info)
		return info.Model.ID
	}
	info := s.add(key, t, &model.Type{
		Kind: model.KindOpaque, Go: key, Name: n.Obj().Name(), Package: n.Obj().Pkg().Path(),
		Doc: s.typeDoc(n.Obj()),
	})
	s.pending = append(s.pending, info)
	return info.Model.ID
}

// bridgeOpaque bridges the exported methods of an opaque class. Generated
// code reaches them through an unnamed interface holding just the method,
// which it can spell when the method's signature names only types it can.
// The method set is that of the type held: a *T has all of T's methods,
// a T value those with value receivers.
func (s *scanner) bridgeOpaque(info *TypeInfo) {
	named, _ := OpaqueNamed(info.Go)
	ms := types.NewMethodSet(info.Go)
	for i := 0; i < ms.Len(); i++ {
		m := ms.At(i).Obj().(*types.Func)
		if !m.Exported() {
			continue
		}
		if reason := SpellReason(m.Type()); reason != "" {
			info.Model.Skipped = append(info.Model.Skipped, model.Skip{Name: m.Name(), Kind: "method", Reason: "its signature names a type generated code cannot name: " + reason})
			continue
		}
		s.bridgeMethod(info, named.Obj(), m, CallOpaqueMethod)
	}
}

// MethodSpec spells the method m as an interface element, "M(int) string",
// with spell spelling its signature.
func MethodSpec(m *types.Func, spell func(types.Type) string) string {
	return m.Name() + strings.TrimPrefix(spell(m.Type()), "func")
}
