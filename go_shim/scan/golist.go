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
	Module     *listedModule
	Error      *struct{ Err string }
	DepsErrors []*struct{ Err string }
}

// listedModule is the module of a listed package: where its files are, and
// whether it is replaced by a directory (a replacement without a version).
type listedModule struct {
	Path    string
	Dir     string
	Replace *struct{ Version string }
}

// problem says why a listed package cannot be loaded, or "" when it can.
func (p *listedPackage) problem() string {
	if p.Error != nil {
		return strings.TrimSpace(p.Error.Err)
	}
	if len(p.DepsErrors) > 0 {
		return "a dependency does not build: " + strings.TrimSpace(p.DepsErrors[0].Err)
	}
	return ""
}

// bridgeBuildFlags are the flags the Python builder builds the bridge
// with (usegolib/builder/builder.py) that change how every package is
// compiled: listing and compiling for export data with others would
// compile each package twice, for its export data and for the build.
var bridgeBuildFlags = []string{"-buildmode=c-shared", "-trimpath"}

// listFields keeps the JSON small: `go list` prints only what is named.
const listFields = "ImportPath,Name,Dir,GoFiles,CgoFiles,Export,DepOnly,Standard,Module,Error,DepsErrors"

// goList runs `go list -export -deps` in the bridge module in dir over
// patterns: every package of a module (module/...), the packages at and
// below some of its paths, or one package. -export compiles each package
// (or finds it in the build cache) and reports its export data file, which
// carries full type information; the later `go build` of the bridge reuses
// the same cache entries. With -e a package that does not build is listed
// with its error instead of failing the listing; callers decide what a
// broken package means to them.
func goList(goCmd, dir string, patterns ...string) ([]*listedPackage, error) {
	args := append([]string{"list", "-e", "-export", "-deps", "-json=" + listFields}, bridgeBuildFlags...)
	args = append(args, patterns...)
	cmd := exec.Command(goCmd, args...)
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
