// Package scan loads a Go module with full type information and decides what
// of its exported API crosses the bridge, producing the model that the
// generator turns into code and the Python runtime reads as the manifest.
package scan

import (
	"fmt"
	"go/types"
	"strings"

	"usegolib.local/shim/model"
)

// Result is everything the generator needs.
type Result struct {
	Manifest  *model.Manifest
	Types     []*TypeInfo  // indexed by type id
	Calls     []*Call      // indexed by call id
	Sentinels []*types.Var // the module's error variables, indexed by ErrorVar.ID
}

// Options configure a scan.
type Options struct {
	Go       string // the go command
	Dir      string // the bridge module, which requires Module
	Module   string // the module path to bridge
	GOARCH   string // for type sizes
	GOOS     string // for saying which platform left a package out
	Generics []Instantiation
	// Std bridges Module as one package of the standard library: it has
	// no module, and its sibling packages are artifacts of their own.
	Std bool
	// Packages, when set, bridges only the module's packages at and below
	// these import paths (a closure of what is imported), not all of it.
	Packages []string
}

// patterns are the `go list` patterns of the packages to bridge.
func (o Options) patterns() []string {
	if o.Std {
		return []string{o.Module}
	}
	if len(o.Packages) == 0 {
		return []string{o.Module + "/..."}
	}
	patterns := make([]string, len(o.Packages))
	for i, p := range o.Packages {
		patterns[i] = p + "/..."
	}
	return patterns
}

// selected reports whether a package of the module is one Packages asks for.
func (o Options) selected(path string) bool {
	if len(o.Packages) == 0 {
		return true
	}
	for _, p := range o.Packages {
		if below(path, p) {
			return true
		}
	}
	return false
}

// below reports whether import path path is root or a path under it.
func below(path, root string) bool {
	return path == root || strings.HasPrefix(path, root+"/")
}

type scanner struct {
	opts   Options
	sizes  types.Sizes
	listed map[string]*listedPackage
	docs   map[string]docIndex
	// funcs are the scanned packages' top-level function declarations.
	funcs   map[string]funcDecls
	types   []*TypeInfo
	byKey   map[string]*TypeInfo
	calls   []*Call
	pending []*TypeInfo // classes and interfaces whose members are not bridged yet
	module  string
	depth   int
	ctxt    *types.Context
	// importer loads packages from export data, listing more on demand.
	importer *exportImporter

	checked  map[string]string
	visiting map[string]bool
	// leftOut are the module's packages that are not bridged, and why.
	leftOut []model.Skip
	// sentinels are the module's exported error variables.
	sentinels []*types.Var
	// produced holds the keys of the func types the module's API hands
	// out (see producedFuncs).
	produced map[string]bool
}

// Scan lists opts.Module from the bridge module in opts.Dir and builds its
// bridge model.
func Scan(opts Options) (*Result, error) {
	listed, err := goList(opts.Go, opts.Dir, opts.patterns()...)
	if err != nil {
		return nil, err
	}
	s := &scanner{
		opts:     opts,
		sizes:    types.SizesFor("gc", opts.GOARCH),
		listed:   map[string]*listedPackage{},
		docs:     map[string]docIndex{},
		funcs:    map[string]funcDecls{},
		byKey:    map[string]*TypeInfo{},
		checked:  map[string]string{},
		visiting: map[string]bool{},
		ctxt:     types.NewContext(),
	}
	if s.sizes == nil {
		return nil, fmt.Errorf("unknown GOARCH %q", opts.GOARCH)
	}
	targets, err := s.selectTargets(listed)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(targets))
	for i, p := range targets {
		paths[i] = p.ImportPath
	}
	s.importer = newExportImporter(opts.Go, opts.Dir, listed)
	loaded := make(map[string]*types.Package, len(paths))
	for _, path := range paths {
		if loaded[path], err = s.importer.Import(path); err != nil {
			return nil, err
		}
	}
	targetPkgs := make([]*types.Package, 0, len(loaded))
	for _, path := range paths {
		targetPkgs = append(targetPkgs, loaded[path])
	}
	s.produced = producedFuncs(targetPkgs)
	man := &model.Manifest{Module: s.module, SkippedPackages: s.leftOut}
	byPath := map[string]*model.Package{}
	for _, p := range targets {
		pkg, err := s.scanPackage(p, loaded[p.ImportPath])
		if err != nil {
			return nil, err
		}
		man.Packages = append(man.Packages, pkg)
		byPath[p.ImportPath] = pkg
	}
	for _, req := range opts.Generics {
		if err := s.instantiate(byPath, loaded, req); err != nil {
			return nil, err
		}
	}
	s.bridgeClasses()
	s.markEscapes()
	for _, info := range s.types {
		man.Types = append(man.Types, info.Model)
	}
	man.CallCount = len(s.calls)
	return &Result{Manifest: man, Types: s.types, Calls: s.calls, Sentinels: s.sentinels}, nil
}

func (s *scanner) scanPackage(p *listedPackage, pkg *types.Package) (*model.Package, error) {
	pkgDoc, docs, funcs, err := loadDocs(p)
	if err != nil {
		return nil, err
	}
	s.docs[p.ImportPath], s.funcs[p.ImportPath] = docs, funcs
	out := &model.Package{
		Path: p.ImportPath, Name: p.Name, Doc: pkgDoc,
		Functions: []*model.Func{}, Types: []int{}, Constants: []*model.Const{}, Variables: []*model.Variable{},
		Generics: []*model.Generic{}, Skipped: []model.Skip{}, API: apiNames(pkg),
	}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch obj := obj.(type) {
		case *types.Func:
			s.addFunction(out, obj)
		case *types.TypeName:
			s.addTypeDecl(out, obj)
		case *types.Const:
			s.addConst(out, obj)
		case *types.Var:
			s.addVariable(out, obj)
			s.addSentinel(out, obj)
		}
	}
	return out, nil
}

func (s *scanner) addFunction(pkg *model.Package, fn *types.Func) {
	sig := fn.Type().(*types.Signature)
	var typeArgs []types.Type
	if sig.TypeParams().Len() > 0 {
		// Bridged by default with `any` for every type parameter, where the
		// constraints allow it (any, comparable): lru.New[any, any].
		typeArgs, sig = s.instantiateWithAny(fn.Type())
		if sig == nil {
			pkg.Skipped = append(pkg.Skipped, model.Skip{Name: fn.Name(), Kind: "function", Reason: genericReason})
			return
		}
	}
	f, reason := s.bridgeSignature(fn.Name(), sig)
	if reason != "" {
		pkg.Skipped = append(pkg.Skipped, model.Skip{Name: fn.Name(), Kind: "function", Reason: reason})
		return
	}
	f.Doc = s.docs[pkg.Path][fn.Name()]
	s.addCall(&Call{Kind: CallFunction, Model: f, Func: fn, TypeArgs: typeArgs, Sig: sig})
	pkg.Functions = append(pkg.Functions, f)
}

// addTypeDecl exposes the package's own records, classes and interfaces.
// Methods of named non-struct types are listed as skipped.
func (s *scanner) addTypeDecl(pkg *model.Package, obj *types.TypeName) {
	skip := func(reason string) {
		pkg.Skipped = append(pkg.Skipped, model.Skip{Name: obj.Name(), Kind: "type", Reason: reason})
	}
	if obj.IsAlias() {
		skip(fmt.Sprintf("type alias of %s: use that type", typeKey(obj.Type())))
		return
	}
	named, ok := obj.Type().(*types.Named)
	if !ok {
		return
	}
	if reason := s.unsupported(named); reason != "" {
		skip(reason)
		return
	}
	switch named.Underlying().(type) {
	case *types.Struct:
		if s.isClass(named) {
			id := s.classOf(named)
			s.types[id].Model.Error = implementsError(types.NewPointer(named))
			pkg.Types = append(pkg.Types, id)
		} else if !isAdapted(named) {
			pkg.Types = append(pkg.Types, s.ref(named))
		}
	case *types.Interface:
		if id := s.ref(named); s.types[id].Model.Kind == model.KindInterface {
			pkg.Types = append(pkg.Types, id)
		}
	case *types.Signature:
		pkg.Types = append(pkg.Types, s.ref(named))
	default:
		if id, ok := s.namedClass(named); ok {
			s.types[id].Model.Error = implementsError(types.NewPointer(named))
			pkg.Types = append(pkg.Types, id)
		}
	}
}

// instantiateHow says how to reach a generic function or type from Python.
const instantiateHow = "list its instantiations at build time (--generics FILE, or [tool.usegolib] " +
	"generics) and get them with h.generic(name, type_args)"

// genericReason explains how to reach a generic function.
const genericReason = "generic: " + instantiateHow

func (s *scanner) addCall(c *Call) {
	c.Model.ID = len(s.calls)
	s.calls = append(s.calls, c)
}

// typeDoc finds the doc comment of a named type, parsing the source of
// packages outside the module on first use.
func (s *scanner) typeDoc(obj *types.TypeName) string {
	return s.docFor(obj.Pkg(), obj.Name())
}

func (s *scanner) docFor(pkg *types.Package, key string) string {
	if pkg == nil {
		return ""
	}
	docs, ok := s.docs[pkg.Path()]
	if !ok {
		docs = docIndex{}
		if p := s.listed[pkg.Path()]; p != nil {
			if _, d, _, err := loadDocs(p); err == nil {
				docs = d
			}
		}
		s.docs[pkg.Path()] = docs
	}
	return docs[key]
}
