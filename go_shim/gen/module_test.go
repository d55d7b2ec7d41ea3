package gen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMaxGoVersion(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"1.21", "1.22", "1.22"},
		{"1.23.4", "1.22", "1.23.4"},
		{"1.22", "1.22", "1.22"},
		{"", "1.22", "1.22"},
		{"1.22.0", "1.22", "1.22.0"},
		{"1.24rc1", "1.22", "1.24rc1"},
	}
	for _, c := range cases {
		if got := maxGoVersion(c.a, c.b); got != c.want {
			t.Errorf("maxGoVersion(%q, %q) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

func TestGoModCarriesReplacesAnchoredAtTheModule(t *testing.T) {
	dir := t.TempDir()
	mod := "module example.com/m\n\ngo 1.23\n\nrequire example.com/dep v1.0.0\n\n" +
		"replace example.com/dep => ../dep\n\nreplace example.com/other v1.2.0 => example.com/fork v1.3.0\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := GoMod("go", dir, "/shim")
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{
		"go 1.23\n",
		"example.com/m v0.0.0-00010101000000-000000000000",
		`replace example.com/m => "` + dir + `"`,
		`replace usegolib.local/shim => "/shim"`,
		`replace example.com/dep => "` + filepath.Join(filepath.Dir(dir), "dep") + `"`,
		"replace example.com/other v1.2.0 => example.com/fork v1.3.0",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("go.mod lacks %q:\n%s", want, text)
		}
	}
}
