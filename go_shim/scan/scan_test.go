package scan

import (
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	"usegolib.local/shim/model"
)

// bridgeModule makes a module that requires the module in dir, as the
// Python builder does.
func bridgeModule(t *testing.T, dir, module string) string {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	bridge := t.TempDir()
	for _, args := range [][]string{
		{"mod", "init", "usegolib.local/bridge"},
		{"mod", "edit", "-require=" + module + "@v0.0.0-00010101000000-000000000000", "-replace=" + module + "=" + abs},
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir = bridge
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %v: %v\n%s", args, err, out)
		}
	}
	return bridge
}

func scanShapes(t *testing.T) *Result {
	t.Helper()
	dir := bridgeModule(t, "testdata/shapes", "example.com/shapes")
	res, err := Scan(Options{Go: "go", Dir: dir, Module: "example.com/shapes", GOARCH: runtime.GOARCH})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func typeNamed(t *testing.T, res *Result, goName string, kind model.Kind) *model.Type {
	t.Helper()
	for _, info := range res.Types {
		if info.Model.Go == goName && info.Model.Kind == kind {
			return info.Model
		}
	}
	t.Fatalf("no %s type %s in %v", kind, goName, res.Manifest.Types)
	return nil
}

func keys(m *model.Type) []string {
	var out []string
	for _, f := range m.Fields {
		out = append(out, f.Name)
	}
	return out
}

func TestRecordKeysFollowEncodingJSON(t *testing.T) {
	res := scanShapes(t)
	cases := map[string][]string{
		"example.com/shapes.Tie":     {"x", "Y"},         // Name is ambiguous at depth 1
		"example.com/shapes.Shallow": {"x", "Y", "Name"}, // the depth-0 Name wins
		"example.com/shapes.TagWins": {"x", "Name"},      // the tagged Name wins
		"example.com/shapes.Diamond": {"Own"},            // Z is reached twice at depth 2
	}
	for name, want := range cases {
		if got := keys(typeNamed(t, res, name, model.KindRecord)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s keys = %v, want %v", name, got, want)
		}
	}
	shallow := res.Types[typeNamed(t, res, "example.com/shapes.Shallow", model.KindRecord).ID]
	if path := shallow.RecordFields[0].Path; len(path) != 2 || path[0].Name != "A" || path[1].Name != "X" {
		t.Errorf("x path = %+v, want A.X", path)
	}
}

func TestClassFieldsArePromotedLikeGoSelectors(t *testing.T) {
	res := scanShapes(t)
	outer := typeNamed(t, res, "example.com/shapes.Outer", model.KindClass)
	if got, want := keys(outer), []string{"Inner", "Own", "Deep"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Outer fields = %v, want %v", got, want)
	}
	var ctor *Call
	for _, c := range res.Calls {
		if c.Kind == CallNew && c.Recv.Model == outer {
			ctor = c
		}
	}
	if ctor == nil {
		t.Fatal("no constructor for Outer")
	}
	var settable []string
	for _, f := range ctor.Fields {
		settable = append(settable, f.Name)
	}
	// Deep lives behind the embedded pointer, which may be nil.
	if want := []string{"Inner", "Own"}; !reflect.DeepEqual(settable, want) {
		t.Errorf("settable = %v, want %v", settable, want)
	}
}

func TestDiamondFieldsAreAmbiguousOnClasses(t *testing.T) {
	res := scanShapes(t)
	class := typeNamed(t, res, "example.com/shapes.DiamondClass", model.KindClass)
	if got, want := keys(class), []string{"L", "R"}; !reflect.DeepEqual(got, want) {
		t.Errorf("DiamondClass fields = %v, want %v (D and Z are ambiguous)", got, want)
	}
}

func TestParameterNamesAreUsableInPython(t *testing.T) {
	res := scanShapes(t)
	for _, pkg := range res.Manifest.Packages {
		for _, f := range pkg.Functions {
			if f.Name != "Keywords" {
				continue
			}
			var names []string
			for _, p := range f.Params {
				names = append(names, p.Name)
			}
			if want := []string{"from_", "in_", "lambda_", "arg3", "x"}; !reflect.DeepEqual(names, want) {
				t.Errorf("names = %v, want %v", names, want)
			}
			return
		}
	}
	t.Fatal("Keywords not bridged")
}

func TestMethodParametersNamedSelfAreRenamed(t *testing.T) {
	res := scanShapes(t)
	outer := typeNamed(t, res, "example.com/shapes.Outer", model.KindClass)
	for _, m := range outer.Methods {
		if m.Name == "Self" && m.Params[0].Name != "self_" {
			t.Errorf("Self's parameter is %q", m.Params[0].Name)
		}
	}
}

func TestScanningAModuleNotRequiredFails(t *testing.T) {
	dir := bridgeModule(t, "testdata/shapes", "example.com/shapes")
	if _, err := Scan(Options{Go: "go", Dir: dir, Module: "example.com/other", GOARCH: runtime.GOARCH}); err == nil {
		t.Error("scanning a module the bridge does not require succeeded")
	}
}
