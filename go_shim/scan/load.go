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

// loadedPackage is a target package with its types and doc comments.
type loadedPackage struct {
	Types *types.Package
	Docs  docIndex
}

// loadTypes imports every target package from compiler export data. All
// packages come from one importer, so a type seen from two packages is one
// *types.Named and identity comparisons hold across the module.
func loadTypes(listed []*listedPackage, paths []string) (map[string]*types.Package, error) {
	exports := make(map[string]string, len(listed))
	for _, p := range listed {
		exports[p.ImportPath] = p.Export
	}
	fset := token.NewFileSet()
	lookup := func(path string) (io.ReadCloser, error) {
		file := exports[path]
		if file == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	}
	imp := importer.ForCompiler(fset, "gc", lookup)
	out := make(map[string]*types.Package, len(paths))
	for _, path := range paths {
		pkg, err := imp.Import(path)
		if err != nil {
			return nil, fmt.Errorf("loading type information of %s: %v", path, err)
		}
		out[path] = pkg
	}
	return out, nil
}

// docIndex maps "Func", "Type" and "Type.Method" to doc comments.
type docIndex map[string]string

// loadDocs parses a package's source for its doc comments; export data does
// not carry them.
func loadDocs(p *listedPackage) (string, docIndex, error) {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range append(append([]string{}, p.GoFiles...), p.CgoFiles...) {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return "", nil, err
		}
		files = append(files, f)
	}
	d, err := doc.NewFromFiles(fset, files, p.ImportPath, doc.PreserveAST)
	if err != nil {
		return "", nil, err
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
	return clean(d.Doc), idx, nil
}

func clean(s string) string { return strings.TrimSpace(s) }
