package scan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// listedPackage is the part of `go list -json` output the scanner needs.
type listedPackage struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string
	CgoFiles   []string
	Export     string
	DepOnly    bool
	Standard   bool
	Module     *struct{ Path string }
	Error      *struct{ Err string }
}

// listFields keeps the JSON small: `go list` prints only what is named.
const listFields = "ImportPath,Name,Dir,GoFiles,CgoFiles,Export,DepOnly,Standard,Module,Error"

// goList runs `go list -export -deps` in the bridge module in dir over a
// pattern: every package of a module (module/...), or one package. -export
// compiles each package (or finds it in the build cache) and reports its
// export data file, which carries full type information; the later
// `go build` of the bridge reuses the same cache entries.
func goList(goCmd, dir, pattern string, wholeModule bool) ([]*listedPackage, error) {
	if wholeModule {
		pattern += "/..."
	}
	cmd := exec.Command(goCmd, "list", "-export", "-deps", "-json="+listFields, pattern)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list failed in %s: %v\n%s", dir, err, strings.TrimSpace(stderr.String()))
	}
	var pkgs []*listedPackage
	dec := json.NewDecoder(&stdout)
	for {
		p := new(listedPackage)
		err := dec.Decode(p)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading go list output: %v", err)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("package %s: %s", p.ImportPath, p.Error.Err)
		}
		pkgs = append(pkgs, p)
	}
	if stderr.Len() > 0 {
		// Warnings such as "matched no packages" are worth passing on.
		fmt.Fprint(os.Stderr, stderr.String())
	}
	return pkgs, nil
}

// isInternal reports whether path has an "internal" element, which makes the
// package unimportable from outside its module, so from the bridge.
func isInternal(path string) bool {
	for _, elem := range strings.Split(path, "/") {
		if elem == "internal" {
			return true
		}
	}
	return false
}
