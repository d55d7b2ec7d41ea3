package scan

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// Each body uses b, a []byte parameter: readsOnly lets only reads through.
func TestReadsOnlyAllowsReadsThatHandNoMemoryOn(t *testing.T) {
	cases := []struct {
		body string
		read bool
	}{
		{"return b", true},
		{"return (b[1:])", true},
		{"return len(b) + cap(b)", true},
		{"n := 0; for _, x := range b { n += int(x) }; return n", true},
		{"return string(b[2:])", true},
		{"if b == nil { return 0 }; return int(b[0])", true},
		{"var d [4]byte; copy(d[:], b); return d", true},
		{"return append([]byte{}, b...)", true},
		{"x := map[byte]int{}; x[b[0]]++; return x", true},
		{"b[0] = 1; return nil", false},
		{"(b[0]) = 1; return nil", false},
		{"b[0]++; return nil", false},
		{"b[0] += 1; return nil", false},
		{"p := &b[0]; return p", false},
		{"copy(b, []byte{1}); return nil", false},
		{"return append(b, 1)", false},
		{"return append(b[:0], 1)", false},
		{"x := b; return x", false},
		{"return f(b)", false},
		{"return b.Method()", false},
		{"for b[0] = range []byte{1} {}; return nil", false},
		{"go func() { _ = b[0] }(); return nil", true}, // a read: escape analysis rules out the goroutine
		{"b := []byte{1}; b[0] = 2; return b", false},  // declared again: not looked into
		{"len := func([]byte) int { return 0 }; return len(b)", false},
		{"return T{b: 1}", false},
		{"return x.b", true}, // a field, not the parameter
	}
	for _, c := range cases {
		src := "package p\nfunc F(b []byte) any {\n" + c.body + "\n}\n"
		file, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: %v", c.body, err)
		}
		fn := file.Decls[0].(*ast.FuncDecl)
		if got := readsOnly(fn, "b", types.NewScope(nil, token.NoPos, token.NoPos, "p")); got != c.read {
			t.Errorf("%s: read only %v, want %v", c.body, got, c.read)
		}
	}
}

// A package that declares len (or another builtin the check relies on)
// is not looked into.
func TestReadsOnlyGivesUpWhereThePackageRedeclaresABuiltin(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), "p.go", "package p\nfunc F(b []byte) int { return len(b) }\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	scope := types.NewScope(nil, token.NoPos, token.NoPos, "p")
	scope.Insert(types.NewVar(token.NoPos, nil, "len", types.Typ[types.Int]))
	if readsOnly(file.Decls[0].(*ast.FuncDecl), "b", scope) {
		t.Fatal("read only despite a package-level len")
	}
}
