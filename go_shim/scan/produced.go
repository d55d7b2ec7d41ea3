package scan

import "go/types"

// producedFuncs finds the func types the module's API hands out: results of
// exported functions and methods and types of exported variables, and the
// elements of those. Values of such a type can travel as handles: Go makes
// them, Python holds them and passes them back, as in the functional
// options pattern (cases.Title(tag, cases.NoLower)). A func type the API
// only takes is a callback, which Python would have to implement.
func producedFuncs(pkgs []*types.Package) map[string]bool {
	found := map[string]bool{}
	results := func(sig *types.Signature) {
		for i := 0; i < sig.Results().Len(); i++ {
			collectFuncs(sig.Results().At(i).Type(), found)
		}
	}
	for _, pkg := range pkgs {
		scope := pkg.Scope()
		for _, name := range scope.Names() {
			switch obj := scope.Lookup(name).(type) {
			case *types.Func:
				if obj.Exported() {
					results(obj.Type().(*types.Signature))
				}
			case *types.Var:
				if obj.Exported() {
					collectFuncs(obj.Type(), found)
				}
			case *types.TypeName:
				if !obj.Exported() || obj.IsAlias() {
					continue
				}
				ms := types.NewMethodSet(types.NewPointer(obj.Type()))
				for i := 0; i < ms.Len(); i++ {
					if m := ms.At(i).Obj(); m.Exported() {
						results(m.Type().(*types.Signature))
					}
				}
			}
		}
	}
	return found
}

// collectFuncs records the func types in t, looking through pointers,
// slices, arrays and map values.
func collectFuncs(t types.Type, found map[string]bool) {
	switch u := types.Unalias(t).(type) {
	case *types.Signature:
		found[typeKey(u)] = true
	case *types.Named:
		if _, ok := u.Underlying().(*types.Signature); ok {
			found[typeKey(u)] = true
		}
	case *types.Pointer:
		collectFuncs(u.Elem(), found)
	case *types.Slice:
		collectFuncs(u.Elem(), found)
	case *types.Array:
		collectFuncs(u.Elem(), found)
	case *types.Map:
		collectFuncs(u.Elem(), found)
	}
}
