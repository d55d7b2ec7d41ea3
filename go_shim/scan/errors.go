package scan

import (
	"go/types"

	"usegolib.local/shim/model"
)

var errorInterface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// implementsError reports whether values of t are Go errors.
func implementsError(t types.Type) bool { return types.Implements(t, errorInterface) }

// addSentinel records an exported error variable (var ErrX =
// errors.New(...)): the bridge matches returned errors against it with
// errors.Is, and Python raises the exception class of its name.
func (s *scanner) addSentinel(pkg *model.Package, v *types.Var) {
	if !implementsError(v.Type()) {
		return
	}
	pkg.Errors = append(pkg.Errors, &model.ErrorVar{Name: v.Name(), ID: len(s.sentinels), Doc: s.docs[pkg.Path][v.Name()]})
	s.sentinels = append(s.sentinels, v)
}
