package scan

import (
	"fmt"
	"go/types"

	"usegolib.local/shim/model"
)

// CallKind says what a call table slot invokes.
type CallKind int

// The kinds of call table slots.
const (
	CallFunction           CallKind = iota // a package-level function
	CallMethod                             // a method of a class, on its *T handle
	CallInterfaceMethod                    // a method of an interface handle
	CallGetter                             // reads an exported field of a class
	CallNew                                // constructs a *T of a class from field values
	CallValueMethod                        // a method of a named non-struct type, on its value
	CallVarGet                             // reads a package variable
	CallVarSet                             // assigns a package variable
	CallFuncValue                          // calls a func value held by a handle
	CallSeqIter                            // a fresh handle on an iter.Seq or iter.Seq2, to iterate once
	CallSeqNext                            // the next values of an iteration
	CallOpaqueMethod                       // a method of an opaque class, through an unnamed interface
	CallPointerValueMethod                 // a pointer-receiver method of a named non-struct type, on a copy written back
	CallChanRecv                           // receives from a channel handle, until the call's context ends
	CallChanSend                           // sends on a channel handle, until the call's context ends
	CallChanClose                          // closes a channel handle
	CallFieldSet                           // assigns an exported field of a class
)

// Call is one slot of the call table.
type Call struct {
	Kind   CallKind
	Model  *model.Func
	Func   *types.Func  // functions and methods
	Recv   *TypeInfo    // the class or interface of methods, getters, constructors
	Field  *ClassField  // getters (and variable getters: Name, Interior, TypeID)
	Fields []ClassField // constructors: the fields a caller may set
	Var    *types.Var   // variable getters and setters
	// TypeArgs instantiate a generic function.
	TypeArgs []types.Type
	// Sig is the Go signature called (instantiated, for generics), for
	// functions, methods and func values.
	Sig *types.Signature
}

// ClassField is an exported field of a class, possibly promoted from an
// embedded struct; Go's own selector rules resolve the promotion.
type ClassField struct {
	Name       string
	Type       types.Type
	TypeID     int  // for getters: the result type id
	SetID      int  // for constructors: the type id of the value set
	ViaPointer bool // reached through an embedded pointer, which may be nil
	Interior   bool // a class held by value: the getter returns a handle into the parent
}

// bridgeSignature builds the model of a function or method signature, or
// returns why it cannot be bridged. Every type is checked before any type
// entry is created, so a skipped function leaves no trace in the table.
func (s *scanner) bridgeSignature(name string, sig *types.Signature) (*model.Func, string) {
	params := sig.Params()
	// A first context.Context parameter is made by the call (rt.ReadContext),
	// not passed from Python.
	takesContext := params.Len() > 0 && isContext(params.At(0).Type())
	first := 0
	if takesContext {
		first = 1
	}
	paramTypes := make([]types.Type, params.Len())
	for i := first; i < params.Len(); i++ {
		t := params.At(i).Type()
		if sig.Variadic() && i == params.Len()-1 {
			t = t.(*types.Slice).Elem()
		}
		if isContext(t) {
			return nil, fmt.Sprintf("parameter %s: a context.Context other than the first parameter", paramLabel(params.At(i), i))
		}
		if reason := s.signatureTypeReason(t, sig.Variadic() && i == params.Len()-1); reason != "" {
			return nil, fmt.Sprintf("parameter %s: %s", paramLabel(params.At(i), i), reason)
		}
		paramTypes[i] = t
	}
	results := sig.Results()
	n := results.Len()
	returnsError := n > 0 && isErrorType(results.At(n-1).Type())
	if returnsError {
		n--
	}
	for i := 0; i < n; i++ {
		if reason := s.signatureTypeReason(results.At(i).Type(), false); reason != "" {
			return nil, fmt.Sprintf("result %d: %s", i+1, reason)
		}
	}
	f := &model.Func{
		Name: name, Params: []model.Param{}, Results: []int{},
		Variadic: sig.Variadic(), ReturnsError: returnsError, Context: takesContext,
	}
	for i, pyName := range pythonNames(params, takesContext) {
		if i >= first {
			f.Params = append(f.Params, model.Param{Name: pyName, Type: s.refSignatureType(paramTypes[i])})
		}
	}
	for i := 0; i < n; i++ {
		f.Results = append(f.Results, s.refSignatureType(results.At(i).Type()))
	}
	return f, ""
}

func paramLabel(v *types.Var, i int) string {
	if v.Name() == "" || v.Name() == "_" {
		return fmt.Sprintf("#%d", i+1)
	}
	return v.Name()
}

// bridgeClasses bridges the members of pending classes and interfaces. The
// module's own types always get their members; a type from elsewhere gets
// them when the module's API refers to it directly (depth 0), so that
// `*bytes.Buffer` returned by a module function is usable, without pulling
// in the transitive API of every package the module touches.
func (s *scanner) bridgeClasses() {
	for info := s.nextPending(); info != nil; info = s.nextPending() {
		info.done = true
		s.depth = 0
		if !s.inModule(info) {
			s.depth = info.depth + 1
		}
		switch info.Model.Kind {
		case model.KindInterface:
			s.bridgeInterface(info)
		case model.KindFunc:
			s.bridgeFunc(info)
		case model.KindChan:
			s.bridgeChan(info)
		case model.KindOpaque:
			s.bridgeOpaque(info)
		default:
			s.bridgeClass(info)
		}
	}
	for _, info := range s.pending {
		if !info.done {
			info.Model.Skipped = append(info.Model.Skipped, model.Skip{
				Name: "*", Kind: "methods",
				Reason: "type from another module reached only through that module's own API; its members are not bridged",
			})
		}
	}
	s.depth = 0
}

func (s *scanner) nextPending() *TypeInfo {
	var external *TypeInfo
	for _, info := range s.pending {
		if info.done {
			continue
		}
		if s.inModule(info) {
			return info
		}
		if external == nil && info.depth == 0 {
			external = info
		}
	}
	return external
}

func (s *scanner) inModule(info *TypeInfo) bool {
	p := s.listed[info.Model.Package]
	return p != nil && s.ownPackage(p)
}

func (s *scanner) bridgeInterface(info *TypeInfo) {
	iface := info.Go.Underlying().(*types.Interface)
	owner := info.Go.(*types.Named).Obj()
	for i := 0; i < iface.NumMethods(); i++ {
		m := iface.Method(i)
		if m.Exported() {
			s.bridgeMethod(info, owner, m, CallInterfaceMethod)
		}
	}
}

// bridgeFunc gives a func handle a Call method, which calls the func, and
// the methods of a named func type (on its value, as interface methods are).
func (s *scanner) bridgeFunc(info *TypeInfo) {
	if yields, ok := seqValues(info.Go); ok {
		s.bridgeSeq(info, yields)
		return
	}
	f, reason := s.bridgeSignature("Call", info.Go.Underlying().(*types.Signature))
	if reason != "" {
		info.Model.Skipped = append(info.Model.Skipped, model.Skip{Name: "Call", Kind: "method", Reason: reason})
	} else {
		f.Doc = "Call the Go func."
		s.addCall(&Call{Kind: CallFuncValue, Model: f, Recv: info, Sig: info.Go.Underlying().(*types.Signature)})
		info.Model.Methods = append(info.Model.Methods, f)
	}
	named, ok := info.Go.(*types.Named)
	if !ok {
		return
	}
	values := types.NewMethodSet(named)
	pointers := types.NewMethodSet(types.NewPointer(named))
	for i := 0; i < pointers.Len(); i++ {
		m := pointers.At(i).Obj().(*types.Func)
		switch {
		case !m.Exported():
		case values.Lookup(m.Pkg(), m.Name()) == nil:
			info.Model.Skipped = append(info.Model.Skipped, model.Skip{
				Name: m.Name(), Kind: "method", Reason: "pointer receiver on a func type, which Python holds by value",
			})
		default:
			s.bridgeMethod(info, named.Obj(), m, CallInterfaceMethod)
		}
	}
}

func (s *scanner) bridgeClass(info *TypeInfo) {
	named := info.Go.(*types.Named)
	ms := types.NewMethodSet(types.NewPointer(named))
	for i := 0; i < ms.Len(); i++ {
		if m := ms.At(i).Obj().(*types.Func); m.Exported() {
			s.bridgeMethod(info, named.Obj(), m, CallMethod)
		}
	}
	var settable []ClassField
	for _, f := range classFields(named) {
		if reason := s.unsupported(f.Type); reason != "" {
			info.Model.Skipped = append(info.Model.Skipped, model.Skip{Name: f.Name, Kind: "field", Reason: reason})
			continue
		}
		s.addGetter(info, f)
		if !f.ViaPointer {
			f.SetID = s.ref(f.Type)
			settable = append(settable, f)
			field := &info.Model.Fields[len(info.Model.Fields)-1] // the entry addGetter made
			field.Set = intPtr(f.SetID)
			field.Setter = s.addSetter(info, f)
		}
	}
	ctor := &model.Func{Name: named.Obj().Name(), Params: []model.Param{}, Results: []int{s.ref(types.NewPointer(named))}}
	ctor.Doc = fmt.Sprintf("Create a new *%s; keyword arguments set its exported fields.", named.Obj().Name())
	s.addCall(&Call{Kind: CallNew, Model: ctor, Recv: info, Fields: settable})
	info.Model.New = intPtr(ctor.ID)
}

// bridgeMethod bridges m as a method of info's class and returns its model,
// or records why it cannot and returns nil.
func (s *scanner) bridgeMethod(info *TypeInfo, owner *types.TypeName, m *types.Func, kind CallKind) *model.Func {
	f, reason := s.bridgeSignature(m.Name(), m.Type().(*types.Signature))
	if reason != "" {
		info.Model.Skipped = append(info.Model.Skipped, model.Skip{Name: m.Name(), Kind: "method", Reason: reason})
		return nil
	}
	f.Doc = s.methodDoc(owner, m)
	s.addCall(&Call{Kind: kind, Model: f, Func: m, Recv: info, Sig: m.Type().(*types.Signature)})
	info.Model.Methods = append(info.Model.Methods, f)
	return f
}

// methodDoc looks the method up under the type that declares it, which for
// a promoted method is the embedded type.
func (s *scanner) methodDoc(owner *types.TypeName, m *types.Func) string {
	if recv := m.Type().(*types.Signature).Recv(); recv != nil {
		t := types.Unalias(recv.Type())
		if p, ok := t.(*types.Pointer); ok {
			t = types.Unalias(p.Elem())
		}
		if n, ok := t.(*types.Named); ok {
			owner = n.Obj()
		}
	}
	return s.docFor(owner.Pkg(), owner.Name()+"."+m.Name())
}

func (s *scanner) addGetter(info *TypeInfo, f ClassField) {
	t := f.Type
	if named, ok := types.Unalias(t).(*types.Named); ok && s.isClass(named) {
		// Hand out a handle to the field itself, so that methods called on
		// it act on the parent's field as they would in Go.
		t, f.Interior = types.NewPointer(named), true
	}
	f.TypeID = s.ref(t)
	getter := &model.Func{Name: f.Name, Params: []model.Param{}, Results: []int{f.TypeID}}
	s.addCall(&Call{Kind: CallGetter, Model: getter, Recv: info, Field: &f})
	info.Model.Fields = append(info.Model.Fields, model.Field{Name: f.Name, GoName: f.Name, Type: f.TypeID, Getter: intPtr(getter.ID)})
}

// addSetter bridges the assignment of a field, as `recv.F = value` in Go,
// and returns its call id; nil where the value's type cannot be spelled
// in generated code.
func (s *scanner) addSetter(info *TypeInfo, f ClassField) *int {
	if s.types[f.SetID].Model.Kind == model.KindOpaque {
		return nil
	}
	setter := &model.Func{Name: f.Name, Params: []model.Param{{Name: f.Name, Type: f.SetID}}, Results: []int{}}
	s.addCall(&Call{Kind: CallFieldSet, Model: setter, Recv: info, Field: &f})
	return intPtr(setter.ID)
}

// classFields lists the exported fields reachable by a selector on the
// struct, with Go's promotion rules: the shallowest name wins, and two at the
// same depth make the name ambiguous (and unreachable).
func classFields(t *types.Named) []ClassField {
	type level struct {
		st         *types.Struct
		viaPointer bool
	}
	var out []ClassField
	taken := map[string]bool{}
	root := t.Underlying().(*types.Struct)
	current := []level{{st: root}}
	seen := map[*types.Struct]bool{root: true}
	for len(current) > 0 {
		var next []level
		found := map[string][]ClassField{}
		for _, lv := range current {
			for i := 0; i < lv.st.NumFields(); i++ {
				f := lv.st.Field(i)
				if !taken[f.Name()] {
					found[f.Name()] = append(found[f.Name()], ClassField{Name: f.Name(), Type: f.Type(), ViaPointer: lv.viaPointer})
				}
				if f.Embedded() {
					if inner, ptr := embeddedStruct(f.Type()); inner != nil && !seen[inner] {
						next = append(next, level{st: inner, viaPointer: lv.viaPointer || ptr})
					}
				}
			}
		}
		for _, lv := range current {
			for i := 0; i < lv.st.NumFields(); i++ {
				name := lv.st.Field(i).Name()
				fs := found[name]
				if len(fs) == 1 && lv.st.Field(i).Exported() {
					out = append(out, fs[0])
				}
				delete(found, name)
				taken[name] = true
			}
		}
		// As for records: walked twice at one depth makes names ambiguous,
		// as Go's selector rules say; met before ends a cycle.
		for _, lv := range next {
			seen[lv.st] = true
		}
		current = next
	}
	return out
}
