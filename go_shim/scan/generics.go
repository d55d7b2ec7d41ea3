package scan

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"usegolib.local/shim/model"
)

// Instantiation asks for one instantiation of a generic function or type,
// in the format of usegolib 0.1's generics files: {"pkg": "example.com/m",
// "name": "Map", "type_args": ["int", "string"]}.
type Instantiation struct {
	Pkg      string   `json:"pkg"`
	Name     string   `json:"name"`
	TypeArgs []string `json:"type_args"`
}

// instantiate bridges the requested instantiations. A request that names
// no generic of the module, or type arguments that do not resolve or
// satisfy the constraints, fails the build with the reason: it is an error
// in the request, not a gap in the bridge.
func (s *scanner) instantiate(pkgs map[string]*model.Package, loaded map[string]*types.Package, req Instantiation) error {
	where := fmt.Sprintf("instantiation %s.%s[%s]", req.Pkg, req.Name, strings.Join(req.TypeArgs, ", "))
	pkg, out := loaded[req.Pkg], pkgs[req.Pkg]
	if pkg == nil || out == nil {
		if p := s.listed[req.Pkg]; p != nil && p.Module != nil && p.Module.Path == s.module {
			return fmt.Errorf("%s: %s is not a bridged package of module %s (internal or main)", where, req.Pkg, s.module)
		}
		if s.ownsPath(req.Pkg) {
			return fmt.Errorf("%s: module %s has no package %s", where, s.module, req.Pkg)
		}
		return nil // another module's (a nested one too): asked for when that module is built
	}
	obj := pkg.Scope().Lookup(req.Name)
	generic := genericOf(obj)
	if generic == nil {
		return fmt.Errorf("%s: %s has no generic function or type %s", where, req.Pkg, req.Name)
	}
	resolver := newTypeResolver(pkg, s.importer)
	args := make([]types.Type, len(req.TypeArgs))
	for i, text := range req.TypeArgs {
		t, err := resolver.resolve(text)
		if err != nil {
			return fmt.Errorf("%s: type argument %q: %v", where, text, err)
		}
		if c := constraintIn(t); c != nil {
			return fmt.Errorf("%s: type argument %q: %s is a constraint interface, usable only as a type parameter constraint", where, text, typeKey(c))
		}
		args[i] = t
	}
	inst, err := types.Instantiate(s.ctxt, generic, args, true)
	if err != nil {
		return fmt.Errorf("%s: %v", where, err)
	}
	entry := &model.Generic{Name: req.Name, TypeArgs: normalized(req.TypeArgs)}
	label := req.Name + "[" + strings.Join(entry.TypeArgs, ",") + "]"
	switch inst := inst.(type) {
	case *types.Signature:
		f, reason := s.bridgeSignature(req.Name, inst)
		if reason != "" {
			out.Skipped = append(out.Skipped, model.Skip{Name: label, Kind: "instantiation", Reason: reason})
			return nil
		}
		f.Doc = s.docs[req.Pkg][req.Name]
		s.addCall(&Call{Kind: CallFunction, Model: f, Func: obj.(*types.Func), TypeArgs: args, Sig: inst})
		entry.Function = f
	case *types.Named:
		if reason := s.unsupported(inst); reason != "" {
			out.Skipped = append(out.Skipped, model.Skip{Name: label, Kind: "instantiation", Reason: reason})
			return nil
		}
		entry.Type = intPtr(s.instanceType(inst))
	}
	out.Generics = append(out.Generics, entry)
	return nil
}

// instantiateWithAny instantiates a generic function with `any` for
// every type parameter, or returns nil when a constraint refuses it (an
// ordered or ~[]E one).
func (s *scanner) instantiateWithAny(generic types.Type) ([]types.Type, *types.Signature) {
	params := generic.(*types.Signature).TypeParams()
	args := make([]types.Type, params.Len())
	for i := range args {
		args[i] = types.Universe.Lookup("any").Type()
	}
	inst, err := types.Instantiate(s.ctxt, generic, args, true)
	if err != nil {
		return nil, nil
	}
	return args, inst.(*types.Signature)
}

// instanceType is the type entry h.generic returns for an instantiated
// generic type: the class of a struct with methods or hidden state, the
// class carrying the methods of a named non-struct type (List[T] []T, as
// addTypeDecl does for plain named types), else the value type.
func (s *scanner) instanceType(inst *types.Named) int {
	if s.isClass(inst) {
		return s.classOf(inst)
	}
	switch inst.Underlying().(type) {
	case *types.Struct, *types.Interface, *types.Signature:
	default:
		if info, ok := s.byKey["named:"+typeKey(inst)]; ok {
			return info.Model.ID // requested twice (spelled differently)
		}
		if id, ok := s.namedClass(inst); ok {
			return id
		}
	}
	return s.ref(inst)
}

// constraintIn finds a constraint interface (comparable, interface{ ~int })
// in a type argument: Go accepts one only as a constraint, so the
// instantiation would fail to compile.
func constraintIn(t types.Type) types.Type {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		if iface, ok := t.Underlying().(*types.Interface); ok && !iface.IsMethodSet() {
			return t
		}
		for i := 0; i < t.TypeArgs().Len(); i++ {
			if c := constraintIn(t.TypeArgs().At(i)); c != nil {
				return c
			}
		}
	case *types.Interface:
		if !t.IsMethodSet() {
			return t
		}
	case *types.Pointer:
		return constraintIn(t.Elem())
	case *types.Slice:
		return constraintIn(t.Elem())
	case *types.Array:
		return constraintIn(t.Elem())
	case *types.Map:
		if c := constraintIn(t.Key()); c != nil {
			return c
		}
		return constraintIn(t.Elem())
	}
	return nil
}

// majorVersion matches the last element of a major version's module path
// (example.com/m/v2).
var majorVersion = regexp.MustCompile(`^v([2-9]|[1-9][0-9]+)$`)

// ownsPath reports whether a package path, which is no bridged package,
// would still be the module's, so that a request for it is a mistake. A
// path below the module's may be another module's: a nested module (a
// directory with its own go.mod) or a major version (example.com/m/v2),
// whose requests are for that module's build.
func (s *scanner) ownsPath(path string) bool {
	if path == s.module {
		return true
	}
	rel, below := strings.CutPrefix(path, s.module+"/")
	if !below {
		return false
	}
	if p := s.listed[path]; p != nil && p.Module != nil {
		return p.Module.Path == s.module
	}
	root := s.moduleOf()
	if root == nil || root.Dir == "" {
		return true
	}
	dir := root.Dir
	for i, elem := range strings.Split(rel, "/") {
		dir = filepath.Join(dir, elem)
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return false
		}
		if _, err := os.Stat(dir); err != nil {
			// No such directory: a major version lives elsewhere, and a
			// module from a module zip lacks its nested modules, so only a
			// module from a local directory surely has no such package.
			return !(i == 0 && majorVersion.MatchString(elem)) && root.Replace != nil && root.Replace.Version == ""
		}
	}
	return true
}

// moduleOf finds the module being built among the listed packages' modules.
func (s *scanner) moduleOf() *listedModule {
	for _, p := range s.listed {
		if p.Module != nil && p.Module.Path == s.module {
			return p.Module
		}
	}
	return nil
}

// genericOf returns the type of a generic function or type, or nil.
func genericOf(obj types.Object) types.Type {
	switch obj := obj.(type) {
	case *types.Func:
		if obj.Type().(*types.Signature).TypeParams().Len() > 0 {
			return obj.Type()
		}
	case *types.TypeName:
		if named, ok := obj.Type().(*types.Named); ok && named.TypeParams().Len() > 0 {
			return named
		}
	}
	return nil
}

func normalized(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = strings.Join(strings.Fields(a), "")
	}
	return out
}

// typeResolver turns type argument text into types: predeclared types,
// types of the package ("Person"), of a package it imports by name
// ("time.Time") or by path ("example.com/other.Type"), and composites of
// those ([]T, [N]T, map[K]V, *T, G[A, B]).
type typeResolver struct {
	pkg      *types.Package
	byName   map[string]*types.Package
	byPath   map[string]*types.Package
	importer *exportImporter
}

func newTypeResolver(pkg *types.Package, importer *exportImporter) *typeResolver {
	r := &typeResolver{pkg: pkg, byName: map[string]*types.Package{}, byPath: map[string]*types.Package{}, importer: importer}
	queue := []*types.Package{pkg}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if r.byPath[p.Path()] != nil {
			continue
		}
		r.byPath[p.Path()] = p
		if _, taken := r.byName[p.Name()]; !taken {
			r.byName[p.Name()] = p // nearest first: the package's own imports win
		}
		queue = append(queue, p.Imports()...)
	}
	return r
}

// importPath matches "some.host/a/b.Name": a package named by its path.
var importPath = regexp.MustCompile(`([A-Za-z0-9_.~-]+(?:/[A-Za-z0-9_.~-]+)+)\.([A-Za-z_][A-Za-z0-9_]*)`)

func (r *typeResolver) resolve(text string) (types.Type, error) {
	aliases := map[string]string{}
	rewritten := importPath.ReplaceAllStringFunc(text, func(m string) string {
		parts := importPath.FindStringSubmatch(m)
		alias := "usegolibpkg" + strconv.Itoa(len(aliases))
		aliases[alias] = parts[1]
		return alias + "." + parts[2]
	})
	expr, err := parser.ParseExpr(rewritten)
	if err != nil {
		return nil, fmt.Errorf("not a Go type: %v", err)
	}
	return r.typeOf(expr, aliases)
}

func (r *typeResolver) typeOf(e ast.Expr, aliases map[string]string) (types.Type, error) {
	switch e := e.(type) {
	case *ast.Ident:
		return r.named(r.pkg, e.Name)
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		if !ok {
			return nil, fmt.Errorf("unsupported type expression")
		}
		pkg, err := r.packageFor(x.Name, aliases)
		if err != nil {
			return nil, err
		}
		return r.named(pkg, e.Sel.Name)
	case *ast.StarExpr:
		elem, err := r.typeOf(e.X, aliases)
		if err != nil {
			return nil, err
		}
		return types.NewPointer(elem), nil
	case *ast.ArrayType:
		elem, err := r.typeOf(e.Elt, aliases)
		if err != nil || e.Len == nil {
			return types.NewSlice(elem), err
		}
		lit, ok := e.Len.(*ast.BasicLit)
		n, convErr := strconv.ParseInt(strings.TrimSpace(litValue(lit, ok)), 0, 64)
		if convErr != nil {
			return nil, fmt.Errorf("array length must be a number")
		}
		return types.NewArray(elem, n), nil
	case *ast.MapType:
		key, err := r.typeOf(e.Key, aliases)
		if err != nil {
			return nil, err
		}
		value, err := r.typeOf(e.Value, aliases)
		if err != nil {
			return nil, err
		}
		return types.NewMap(key, value), nil
	case *ast.IndexExpr:
		return r.instance(e.X, []ast.Expr{e.Index}, aliases)
	case *ast.IndexListExpr:
		return r.instance(e.X, e.Indices, aliases)
	case *ast.InterfaceType:
		if e.Methods == nil || len(e.Methods.List) == 0 {
			return types.Universe.Lookup("any").Type(), nil
		}
	}
	return nil, fmt.Errorf("unsupported type expression")
}

// packageFor finds a package by its name among those the package imports
// (directly or not), or by import path: a path alias, or a name that is
// itself an import path ("time" is both).
func (r *typeResolver) packageFor(name string, aliases map[string]string) (*types.Package, error) {
	path, isAlias := aliases[name]
	if !isAlias {
		if pkg := r.byName[name]; pkg != nil {
			return pkg, nil
		}
		path = name
	}
	if pkg := r.byPath[path]; pkg != nil {
		return pkg, nil
	}
	pkg, err := r.importer.Import(path)
	if err != nil {
		return nil, fmt.Errorf("no package %s among those %s imports, and it cannot be loaded: %v", path, r.pkg.Path(), err)
	}
	r.byPath[path] = pkg
	return pkg, nil
}

func litValue(lit *ast.BasicLit, ok bool) string {
	if !ok {
		return ""
	}
	return lit.Value
}

func (r *typeResolver) instance(base ast.Expr, indices []ast.Expr, aliases map[string]string) (types.Type, error) {
	generic, err := r.typeOf(base, aliases)
	if err != nil {
		return nil, err
	}
	args := make([]types.Type, len(indices))
	for i, index := range indices {
		if args[i], err = r.typeOf(index, aliases); err != nil {
			return nil, err
		}
	}
	return types.Instantiate(nil, generic, args, true)
}

func (r *typeResolver) named(pkg *types.Package, name string) (types.Type, error) {
	if obj, ok := pkg.Scope().Lookup(name).(*types.TypeName); ok {
		return obj.Type(), nil
	}
	if pkg == r.pkg {
		if obj, ok := types.Universe.Lookup(name).(*types.TypeName); ok {
			return obj.Type(), nil
		}
	} else if full, err := r.importer.Import(pkg.Path()); err == nil {
		// A package reached through imports holds only what its importers
		// use (export data); the full package has the rest.
		if obj, ok := full.Scope().Lookup(name).(*types.TypeName); ok {
			return obj.Type(), nil
		}
	}
	return nil, fmt.Errorf("no type %s in %s", name, pkg.Path())
}
