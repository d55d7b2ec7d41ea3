// Command usegolib-gen scans a Go module and writes the source of its
// bridge: a main package exporting the module through the usegolib ABI, the
// bridge's go.mod and go.sum, and schema.json, the model the Python builder
// turns into manifest.json. The Python builder runs it; it is not meant to
// be run by hand, but can be for debugging:
//
//	usegolib-gen -module DIR -shim DIR -out DIR [-go go] [-goarch amd64]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"usegolib.local/shim/gen"
	"usegolib.local/shim/scan"
)

func main() {
	moduleDir := flag.String("module", "", "root directory of the Go module to bridge")
	shimDir := flag.String("shim", "", "directory of the usegolib shim module")
	outDir := flag.String("out", "", "directory to write the bridge into")
	goCmd := flag.String("go", "go", "the go command")
	goarch := flag.String("goarch", runtime.GOARCH, "target GOARCH, for type sizes")
	flag.Parse()
	if *moduleDir == "" || *shimDir == "" || *outDir == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*goCmd, *moduleDir, *shimDir, *outDir, *goarch); err != nil {
		fmt.Fprintln(os.Stderr, "usegolib-gen:", err)
		os.Exit(1)
	}
}

func run(goCmd, moduleDir, shimDir, outDir, goarch string) error {
	res, err := scan.Scan(scan.Options{Go: goCmd, Dir: moduleDir, GOARCH: goarch})
	if err != nil {
		return err
	}
	src, err := gen.Bridge(res)
	if err != nil {
		return err
	}
	goMod, err := gen.GoMod(goCmd, moduleDir, shimDir)
	if err != nil {
		return err
	}
	schema, err := json.MarshalIndent(res.Manifest, "", " ")
	if err != nil {
		return err
	}
	goSum, err := os.ReadFile(filepath.Join(moduleDir, "go.sum"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	files := map[string][]byte{"bridge.go": src, "go.mod": goMod, "go.sum": goSum, "schema.json": schema}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(outDir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
