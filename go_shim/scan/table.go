package scan

import (
	"go/types"

	"usegolib.local/shim/model"
)

// TypeInfo pairs a type table entry with the Go type it describes, which the
// generator needs to spell the type in code.
type TypeInfo struct {
	Model *model.Type
	Go    types.Type
	// RecordFields holds, for records, the Go access path of every key.
	RecordFields []RecordField
	// depth is how far from the module's own API a class was reached; it
	// decides whether the methods of a class from another module are
	// bridged (see bridgeClasses).
	depth int
	done  bool
}

// ref returns the type id for t, adding entries for t and everything it
// contains. The caller has checked that unsupported(t) == "".
func (s *scanner) ref(t types.Type) int {
	t = types.Unalias(t)
	key := typeKey(t)
	if info, ok := s.byKey[key]; ok {
		s.reach(info)
		return info.Model.ID
	}
	info := s.add(key, t, &model.Type{Go: key})
	s.fill(info, t)
	return info.Model.ID
}

// add appends an entry to the type table under key.
func (s *scanner) add(key string, t types.Type, m *model.Type) *TypeInfo {
	m.ID = len(s.types)
	info := &TypeInfo{Model: m, Go: t, depth: s.depth}
	s.types = append(s.types, info)
	s.byKey[key] = info
	return info
}

// reach lowers the depth of a class reached again from closer to the module.
func (s *scanner) reach(info *TypeInfo) {
	if s.depth < info.depth {
		info.depth = s.depth
	}
}

// fill sets kind-specific fields. Entries are registered before their
// elements are filled so that recursive types refer back to themselves.
func (s *scanner) fill(info *TypeInfo, t types.Type) {
	m := info.Model
	switch t := t.(type) {
	case *types.Basic:
		s.fillBasic(m, t)
	case *types.Named:
		s.fillNamed(info, t)
	case *types.Pointer:
		s.fillPointer(m, t)
	case *types.Slice:
		s.fillSequence(m, t.Elem(), nil)
	case *types.Array:
		n := int(t.Len())
		s.fillSequence(m, t.Elem(), &n)
	case *types.Map:
		m.Kind = model.KindMap
		m.Key = intPtr(s.ref(t.Key()))
		m.Elem = intPtr(s.ref(t.Elem()))
	case *types.Struct:
		m.Kind = model.KindRecord
		s.fillRecord(info, t)
	case *types.Interface:
		m.Kind = model.KindAny
	case *types.Signature:
		s.fillFunc(info, "")
	case *types.Chan:
		s.fillChan(info, t)
	}
}

// fillChan makes a channel type a handle class of its own; its methods
// (Recv, Send, Close, as its direction allows) are bridged later.
func (s *scanner) fillChan(info *TypeInfo, t *types.Chan) {
	m := info.Model
	m.Kind = model.KindChan
	m.Elem = intPtr(s.ref(t.Elem()))
	if m.Name == "" {
		m.Name = "Chan"
	}
	s.pending = append(s.pending, info)
}

// fillFunc makes a func type a handle class of its own; its Call method
// and, for a named func type, its methods are bridged later.
func (s *scanner) fillFunc(info *TypeInfo, doc string) {
	m := info.Model
	m.Kind = model.KindFunc
	m.Doc = doc
	if m.Name == "" {
		m.Name = "Func"
	}
	s.pending = append(s.pending, info)
}

func (s *scanner) fillBasic(m *model.Type, t *types.Basic) {
	info := t.Info()
	switch {
	case info&types.IsBoolean != 0:
		m.Kind = model.KindBool
	case info&types.IsString != 0:
		m.Kind = model.KindString
	case info&types.IsUnsigned != 0:
		m.Kind, m.Bits = model.KindUint, s.bits(t)
	case info&types.IsInteger != 0:
		m.Kind, m.Bits = model.KindInt, s.bits(t)
	case info&types.IsFloat != 0:
		m.Kind, m.Bits = model.KindFloat, s.bits(t)
	case info&types.IsComplex != 0:
		m.Kind, m.Bits = model.KindComplex, s.bits(t)
	}
}

func (s *scanner) bits(t types.Type) int { return int(s.sizes.Sizeof(t)) * 8 }

func (s *scanner) fillSequence(m *model.Type, elem types.Type, n *int) {
	m.Len = n
	if types.Identical(types.Unalias(elem), types.Typ[types.Uint8]) {
		m.Kind = model.KindBytes
		return
	}
	m.Kind = model.KindList
	m.Elem = intPtr(s.ref(elem))
	m.Numbers = n == nil && isNumber(elem)
}

// isNumber reports the unnamed numeric types of rt.Number, whose slices
// cross as memory. Named ones (type Celsius float64) have a Python class
// per value, so their slices stay lists.
func isNumber(t types.Type) bool {
	b, ok := types.Unalias(t).(*types.Basic)
	if !ok {
		return false
	}
	switch b.Kind() {
	case types.Int8, types.Int16, types.Int32, types.Int64, types.Int,
		types.Uint16, types.Uint32, types.Uint64, types.Uint, types.Uintptr,
		types.Float32, types.Float64:
		return true
	}
	return false
}

func (s *scanner) fillPointer(m *model.Type, t *types.Pointer) {
	if a, ok := adapterOf(t.Elem()); ok && a.PointerCodec != "" {
		m.Kind, m.Pointer = a.Kind, true
		return
	}
	if named, ok := types.Unalias(t.Elem()).(*types.Named); ok && s.isClass(named) {
		m.Kind = model.KindHandle
		m.Pointer = true
		m.Class = intPtr(s.classOf(named))
		// The handle entry carries the class name for annotations.
		m.Name, m.Package = named.Obj().Name(), named.Obj().Pkg().Path()
		return
	}
	m.Kind = model.KindOptional
	m.Elem = intPtr(s.ref(t.Elem()))
}

func (s *scanner) fillNamed(info *TypeInfo, t *types.Named) {
	m := info.Model
	obj := t.Obj()
	m.Name = displayName(t)
	if obj.Pkg() != nil {
		m.Package = obj.Pkg().Path()
	}
	if a, ok := adapterOf(t); ok {
		m.Kind = a.Kind
		return
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		if s.isRecord(t) {
			m.Kind = model.KindRecord
			m.Doc = s.typeDoc(obj)
			s.fillRecord(info, u)
			return
		}
		s.fillClass(info, t)
	case *types.Signature:
		s.fillFunc(info, s.typeDoc(obj))
	case *types.Interface:
		if u.NumMethods() == 0 {
			m.Kind = model.KindAny
			return
		}
		m.Kind = model.KindInterface
		m.Doc = s.typeDoc(obj)
		m.Stream = IsStream(t)
		s.pending = append(s.pending, info)
	default:
		// Named basic, slice, array or map types travel as their
		// underlying value (SPEC §2); the Go name stays in m.Go so that
		// generated code converts to and from it.
		s.fill(info, u)
	}
}

// fillClass turns a struct type with methods or hidden state into a class
// (methods and fields are bridged later) referenced by value.
func (s *scanner) fillClass(info *TypeInfo, t *types.Named) {
	// The entry for the value type T is the handle "T by value"; the class
	// itself is a separate entry keyed "class:" + T so that *T and T share it.
	m := info.Model
	m.Kind = model.KindHandle
	m.Class = intPtr(s.classOf(t))
}

// isClass reports whether values of the named type travel as handles.
func (s *scanner) isClass(t *types.Named) bool {
	_, isStruct := t.Underlying().(*types.Struct)
	return isStruct && !isAdapted(t) && !s.isRecord(t)
}

// classOf returns the class entry of a named struct type, creating it.
func (s *scanner) classOf(t *types.Named) int {
	key := "class:" + typeKey(t)
	if info, ok := s.byKey[key]; ok {
		s.reach(info)
		return info.Model.ID
	}
	info := s.add(key, t, &model.Type{Kind: model.KindClass, Go: typeKey(t), Name: displayName(t), Package: t.Obj().Pkg().Path()})
	info.Model.Doc = s.typeDoc(t.Obj())
	s.pending = append(s.pending, info)
	return info.Model.ID
}

func intPtr(v int) *int { return &v }

// displayName is a named type's name for Python: its Go name, with the type
// arguments of an instantiation spelled with package names (Pair[string,
// time.Time]).
func displayName(t *types.Named) string {
	if t.TypeArgs().Len() == 0 {
		return t.Obj().Name()
	}
	return types.TypeString(t, func(p *types.Package) string {
		if p == t.Obj().Pkg() {
			return ""
		}
		return p.Name()
	})
}
