package scan

import (
	"go/types"
	"sort"
)

// apiNames lists what a Go user of pkg can call: its exported functions
// ("F") and the exported methods of its exported types ("T.M"), promoted
// methods included, as the method set of *T has them. It is the measure of
// coverage: every name is either bridged or skipped with a reason, and the
// Python side checks that nothing falls between.
func apiNames(pkg *types.Package) []string {
	names := []string{} // JSON [] rather than null for a package without API
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		switch obj := scope.Lookup(name).(type) {
		case *types.Func:
			if obj.Exported() {
				names = append(names, name)
			}
		case *types.TypeName:
			if obj.Exported() && !obj.IsAlias() {
				names = append(names, methodNames(obj)...)
			}
		}
	}
	sort.Strings(names)
	return names
}

// methodNames are the exported methods a value of the named type offers:
// an interface's methods, or the method set of *T for any other type.
func methodNames(obj *types.TypeName) []string {
	var names []string
	add := func(m *types.Func) {
		if m.Exported() {
			names = append(names, obj.Name()+"."+m.Name())
		}
	}
	if iface, ok := obj.Type().Underlying().(*types.Interface); ok {
		for i := 0; i < iface.NumMethods(); i++ {
			add(iface.Method(i))
		}
		return names
	}
	ms := types.NewMethodSet(types.NewPointer(obj.Type()))
	for i := 0; i < ms.Len(); i++ {
		add(ms.At(i).Obj().(*types.Func))
	}
	return names
}
