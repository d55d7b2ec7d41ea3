package scan

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"usegolib.local/shim/model"
)

// Borrowed parameters: a string or []byte parameter of a plain function
// whose fast-args slot (rt/fastargs.go) may hand the function Python's
// memory itself (rt.BorrowString, rt.BorrowBytes) rather than a copy. Two
// facts make that safe, and anything short of both keeps the copy:
//
//   - the compiler's escape analysis (escape.go) says the function keeps
//     the parameter nowhere, or only in its results, which the slot
//     encodes into MessagePack (a copy) before the call returns, while the
//     caller still holds the Python object;
//   - for a []byte, whose Python object (bytes) is immutable, the body
//     never writes through it: readOnly finds every use of the parameter
//     among reads that cannot hand its memory on. (A Go string cannot be
//     written.)

// borrowCandidate is a parameter the slot could borrow, where -m names it.
type borrowCandidate struct {
	param *model.Param
	fn    *types.Func
	name  string // the parameter's Go name
	text  bool   // a string, not a []byte
}

// borrowingCandidates are the string and []byte parameters of the
// module's non-generic plain functions, by declaration site.
func (s *scanner) borrowingCandidates() map[paramSite][]borrowCandidate {
	out := map[paramSite][]borrowCandidate{}
	for _, c := range s.calls {
		if c.Kind != CallFunction || len(c.TypeArgs) > 0 || c.Func.Origin() != c.Func || c.Model.Context {
			continue
		}
		for i := range c.Model.Params {
			p := &c.Model.Params[i]
			t := s.types[p.Type]
			text := t.Model.Kind == model.KindString && isString(t.Go)
			if c.Model.Variadic && i == len(c.Model.Params)-1 || !text && !(t.Model.Kind == model.KindBytes && t.Model.Len == nil) {
				continue
			}
			v := c.Sig.Params().At(i)
			pos := s.importer.fset.Position(v.Pos())
			if v.Name() == "" || v.Name() == "_" || !pos.IsValid() {
				continue
			}
			site := paramSite{c.Func.Pkg().Path(), filepath.Base(pos.Filename), pos.Line, v.Name()}
			out[site] = append(out[site], borrowCandidate{p, c.Func, v.Name(), text})
		}
	}
	return out
}

func isString(t types.Type) bool {
	basic, ok := t.Underlying().(*types.Basic)
	return ok && basic.Info()&types.IsString != 0
}

// markBorrowed sets Borrowed where facts keep the parameter at most in
// results and, for a []byte, its function's body only reads it.
func (s *scanner) markBorrowed(candidates map[paramSite][]borrowCandidate, facts escapes) {
	for site, list := range candidates {
		if !facts.clear[site] && !facts.toResults[site] {
			continue
		}
		for _, c := range list {
			if c.text || s.readOnly(c) {
				c.param.Borrowed = true
			}
		}
	}
}

// readOnly reports whether c's function only reads c's parameter, from the
// function's declaration as the scan parsed it (loadDocs).
func (s *scanner) readOnly(c borrowCandidate) bool {
	fn := s.funcs[c.fn.Pkg().Path()][c.fn.Name()]
	return fn != nil && readsOnly(fn, c.name, c.fn.Pkg().Scope())
}

// builtinsRead are the predeclared names readsOnly relies on.
var builtinsRead = []string{"len", "cap", "string", "copy", "append", "nil"}

// readsOnly reports whether every use of the parameter name in fn's body is
// a read that cannot hand its memory on: an argument of len or cap, of a
// conversion to string, the source of copy or of append(dst, p...), the
// indexed operand of an index read, what a range ranges over, a returned
// value, or compared with nil; each maybe through parentheses or a slice
// expression of it. A body that declares the name again, or any of
// builtinsRead (as does its package), is not looked into.
func readsOnly(fn *ast.FuncDecl, name string, pkg *types.Scope) bool {
	if fn.Body == nil {
		return false
	}
	for _, builtin := range builtinsRead {
		if pkg.Lookup(builtin) != nil || declares(fn.Body, builtin) {
			return false
		}
	}
	if declares(fn.Body, name) {
		return false
	}
	ok := true
	var stack []ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if id, isIdent := n.(*ast.Ident); isIdent && id.Name == name && !isSelectorName(id, stack) {
			ok = ok && readUse(append(stack, id))
		}
		stack = append(stack, n)
		return true
	})
	return ok
}

// isSelectorName reports whether id is the name after a dot (x.name): a
// field or method, not the parameter.
func isSelectorName(id *ast.Ident, stack []ast.Node) bool {
	if len(stack) == 0 {
		return false
	}
	sel, ok := stack[len(stack)-1].(*ast.SelectorExpr)
	return ok && sel.Sel == id
}

// readUse reports whether the use at the top of stack (the parameter's
// identifier, its ancestors below it) is one readsOnly allows.
func readUse(stack []ast.Node) bool {
	value, i := stack[len(stack)-1], len(stack)-2
	// Parentheses and slices of it stand for the same memory.
	for ; i >= 0; i-- {
		switch parent := stack[i].(type) {
		case *ast.ParenExpr:
		case *ast.SliceExpr:
			if parent.X != value {
				return false // the parameter as a bound: impossible for a string or slice
			}
		default:
			return readContext(stack[i], value, stack[:i])
		}
		value = stack[i]
	}
	return false
}

// readContext reports whether value, the parameter's memory, is read (not
// written, not handed on) where parent uses it; ancestors are parent's.
func readContext(parent, value ast.Node, ancestors []ast.Node) bool {
	switch parent := parent.(type) {
	case *ast.CallExpr:
		callee, ok := parent.Fun.(*ast.Ident)
		if !ok {
			return false
		}
		switch callee.Name {
		case "len", "cap", "string":
			return len(parent.Args) == 1
		case "copy":
			return len(parent.Args) == 2 && parent.Args[1] == value
		case "append":
			return len(parent.Args) == 2 && parent.Args[1] == value && parent.Ellipsis.IsValid()
		}
		return false
	case *ast.IndexExpr:
		return parent.X == value && !written(parent, ancestors)
	case *ast.RangeStmt:
		return parent.X == value
	case *ast.ReturnStmt:
		return true
	case *ast.BinaryExpr:
		other := parent.X
		if other == value {
			other = parent.Y
		}
		nilIdent, isIdent := other.(*ast.Ident)
		return (parent.Op == token.EQL || parent.Op == token.NEQ) && isIdent && nilIdent.Name == "nil"
	}
	return false
}

// written reports whether the index expression is assigned to, changed in
// place, or has its address taken.
func written(index *ast.IndexExpr, ancestors []ast.Node) bool {
	var node ast.Node = index
	for i := len(ancestors) - 1; i >= 0; i-- {
		switch parent := ancestors[i].(type) {
		case *ast.ParenExpr:
			node = parent
			continue
		case *ast.AssignStmt:
			for _, lhs := range parent.Lhs {
				if lhs == node {
					return true
				}
			}
		case *ast.IncDecStmt:
			return true
		case *ast.UnaryExpr:
			return parent.Op == token.AND
		case *ast.RangeStmt:
			return parent.Key == node || parent.Value == node
		}
		return false
	}
	return false
}

// declares reports whether body declares name anywhere: a := or var, a
// function literal's parameter or result, a range or type switch variable.
func declares(body *ast.BlockStmt, name string) bool {
	found := false
	named := func(ids ...*ast.Ident) {
		for _, id := range ids {
			found = found || id != nil && id.Name == name
		}
	}
	fields := func(list *ast.FieldList) {
		if list != nil {
			for _, f := range list.List {
				named(f.Names...)
			}
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, lhs := range n.Lhs {
					id, _ := lhs.(*ast.Ident)
					named(id)
				}
			}
		case *ast.ValueSpec:
			named(n.Names...)
		case *ast.TypeSpec:
			named(n.Name)
		case *ast.FuncType:
			fields(n.Params)
			fields(n.Results)
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				key, _ := n.Key.(*ast.Ident)
				value, _ := n.Value.(*ast.Ident)
				named(key, value)
			}
		}
		return !found
	})
	return found
}
