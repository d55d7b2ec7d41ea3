package scan

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// exportImporter imports packages from compiler export data. All packages
// come from one importer, so a type seen from two packages is one
// *types.Named and identity comparisons hold across the module. Packages
// beyond the module's dependencies (a type argument naming time.Time in a
// module that never imports time) are listed on demand.
type exportImporter struct {
	goCmd, dir string
	exports    map[string]string
	imp        types.Importer
	fset       *token.FileSet // positions of the imported objects
}

func newExportImporter(goCmd, dir string, listed []*listedPackage) *exportImporter {
	e := &exportImporter{goCmd: goCmd, dir: dir, exports: make(map[string]string, len(listed))}
	for _, p := range listed {
		e.exports[p.ImportPath] = p.Export
	}
	e.fset = token.NewFileSet()
	e.imp = importer.ForCompiler(e.fset, "gc", e.lookup)
	return e
}

func (e *exportImporter) lookup(path string) (io.ReadCloser, error) {
	file := e.exports[path]
	if file == "" {
		return nil, fmt.Errorf("no export data for %s", path)
	}
	return os.Open(file)
}

// Import loads a package, listing it first if the module does not use it.
func (e *exportImporter) Import(path string) (*types.Package, error) {
	if e.exports[path] == "" {
		more, err := goList(e.goCmd, e.dir, path)
		if err != nil {
			return nil, err
		}
		for _, p := range more {
			if p.ImportPath == path && p.problem() != "" {
				return nil, fmt.Errorf("package %s: %s", path, p.problem())
			}
			if e.exports[p.ImportPath] == "" {
				e.exports[p.ImportPath] = p.Export
			}
		}
	}
	pkg, err := e.imp.Import(path)
	if err != nil {
		return nil, fmt.Errorf("loading type information of %s: %v", path, err)
	}
	return pkg, nil
}

// docIndex maps "Func", "Type" and "Type.Method" to doc comments.
type docIndex map[string]string

// funcDecls are a package's top-level functions (no methods) by name.
type funcDecls map[string]*ast.FuncDecl

// loadDocs parses a package's source for its doc comments, which export
// data does not carry, and returns its functions' declarations too
// (borrow.go reads their bodies).
func loadDocs(p *listedPackage) (string, docIndex, funcDecls, error) {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range append(append([]string{}, p.GoFiles...), p.CgoFiles...) {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return "", nil, nil, err
		}
		files = append(files, f)
	}
	decls := funcDecls{}
	for _, f := range files {
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil {
				decls[fn.Name.Name] = fn
			}
		}
	}
	d, err := doc.NewFromFiles(fset, files, p.ImportPath, doc.PreserveAST)
	if err != nil {
		return "", nil, nil, err
	}
	idx := docIndex{}
	addFuncs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			idx[prefix+f.Name] = clean(f.Doc)
		}
	}
	addFuncs("", d.Funcs)
	addValues := func(groups []*doc.Value) {
		for _, g := range groups {
			for _, name := range g.Names {
				idx[name] = clean(g.Doc)
			}
		}
	}
	addValues(d.Consts)
	addValues(d.Vars)
	for _, t := range d.Types {
		addValues(t.Consts) // typed constants (iota enums) go/doc files under their type
		addValues(t.Vars)
		idx[t.Name] = clean(t.Doc)
		addFuncs("", t.Funcs) // constructors go/doc files under their type
		addFuncs(t.Name+".", t.Methods)
	}
	return clean(d.Doc), idx, decls, nil
}

func clean(s string) string { return strings.TrimSpace(s) }
