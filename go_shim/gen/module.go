package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"usegolib.local/shim/rt"
)

// shimGoVersion is the language version the runtime package needs.
const shimGoVersion = "1.22"

// goModData fills templates/go.mod.tmpl.
type goModData struct {
	Module       string
	LocalVersion string
	GoVersion    string
	ModuleDir    string
	ShimDir      string
	Replaces     []replaceData
}

type replaceData struct{ Old, New string }

// editJSON is the part of `go mod edit -json` the bridge needs.
type editJSON struct {
	Module  struct{ Path string }
	Go      string
	Replace []struct {
		Old, New struct{ Path, Version string }
	}
}

// GoMod writes the go.mod of the bridge module: it requires the target
// module from its directory and the shim, and carries over the target's own
// replace directives, which Go ignores outside the main module.
func GoMod(goCmd, moduleDir, shimDir string) ([]byte, error) {
	cmd := exec.Command(goCmd, "mod", "edit", "-json")
	cmd.Dir = moduleDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %v\n%s", filepath.Join(moduleDir, "go.mod"), err, stderr.String())
	}
	var mod editJSON
	if err := json.Unmarshal(out, &mod); err != nil {
		return nil, err
	}
	data := goModData{
		Module:       mod.Module.Path,
		LocalVersion: rt.LocalModuleVersion,
		GoVersion:    maxGoVersion(mod.Go, shimGoVersion),
		ModuleDir:    moduleDir,
		ShimDir:      shimDir,
	}
	for _, r := range mod.Replace {
		data.Replaces = append(data.Replaces, replaceData{
			Old: joinVersion(r.Old.Path, r.Old.Version),
			New: joinVersion(absReplacement(moduleDir, r.New.Path), r.New.Version),
		})
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "go.mod.tmpl", data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// absReplacement anchors a relative replacement directory at the module
// that declared it; module paths stay as they are.
func absReplacement(moduleDir, path string) string {
	if strings.HasPrefix(path, "./") || strings.HasPrefix(path, "../") || path == "." || path == ".." {
		return strconv.Quote(filepath.Join(moduleDir, path))
	}
	if filepath.IsAbs(path) {
		return strconv.Quote(path)
	}
	return path
}

func joinVersion(path, version string) string {
	if version == "" {
		return path
	}
	return path + " " + version
}

// maxGoVersion returns the later of two go directive versions ("1.21",
// "1.22.3"); the bridge must satisfy both the module and the shim.
func maxGoVersion(a, b string) string {
	if a == "" {
		return b
	}
	pa, pb := versionParts(a), versionParts(b)
	for i := 0; i < len(pa) || i < len(pb); i++ {
		x, y := partAt(pa, i), partAt(pb, i)
		if x != y {
			if x > y {
				return a
			}
			return b
		}
	}
	return a
}

func versionParts(v string) []int {
	var parts []int
	for _, s := range strings.Split(v, ".") {
		digits := s
		if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
			digits = s[:i] // "24rc1" counts as 24
		}
		n, _ := strconv.Atoi(digits)
		parts = append(parts, n)
	}
	return parts
}

func partAt(p []int, i int) int {
	if i < len(p) {
		return p[i]
	}
	return 0
}
