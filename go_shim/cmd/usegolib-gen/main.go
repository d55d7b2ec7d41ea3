// Command usegolib-gen scans a Go module and writes the source of its
// bridge: a main package exporting the module through the usegolib ABI,
// written into the bridge module (a module that requires the target), and
// schema.json, the model the Python builder turns into manifest.json. The
// Python builder prepares the bridge module and runs this; it is not meant
// to be run by hand, but can be for debugging:
//
//	usegolib-gen -dir BRIDGE_MODULE_DIR -module MODULE_PATH [-go go] [-goarch amd64] [-goos linux] [-generics FILE] [-std] [-packages PATH,...]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"usegolib.local/shim/gen"
	"usegolib.local/shim/scan"
)

func main() {
	dir := flag.String("dir", "", "the bridge module directory (its go.mod requires the module)")
	module := flag.String("module", "", "path of the Go module to bridge")
	goCmd := flag.String("go", "go", "the go command")
	goarch := flag.String("goarch", runtime.GOARCH, "target GOARCH, for type sizes")
	generics := flag.String("generics", "", `JSON file {"instantiations": [{"pkg", "name", "type_args"}]}`)
	goos := flag.String("goos", runtime.GOOS, "target GOOS, for saying which platform left a package out")
	std := flag.Bool("std", false, "MODULE_PATH is a package of the standard library, bridged alone")
	packages := flag.String("packages", "", "comma-separated import paths: bridge only the module's packages at and below them")
	flag.Parse()
	if *dir == "" || *module == "" {
		flag.Usage()
		os.Exit(2)
	}
	opts := scan.Options{Go: *goCmd, Dir: *dir, Module: *module, GOOS: *goos, GOARCH: *goarch, Std: *std}
	if *packages != "" {
		opts.Packages = strings.Split(*packages, ",")
	}
	if err := run(opts, *generics); err != nil {
		fmt.Fprintln(os.Stderr, "usegolib-gen:", err)
		os.Exit(1)
	}
}

func run(opts scan.Options, genericsFile string) error {
	var generics struct {
		Instantiations []scan.Instantiation `json:"instantiations"`
	}
	if genericsFile != "" {
		data, err := os.ReadFile(genericsFile)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(data, &generics); err != nil {
			return fmt.Errorf("%s: %v", genericsFile, err)
		}
	}
	opts.Generics = generics.Instantiations
	res, err := scan.Scan(opts)
	if err != nil {
		return err
	}
	src, err := gen.Bridge(res)
	if err != nil {
		return err
	}
	schema, err := json.MarshalIndent(res.Manifest, "", " ")
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{"bridge.go": src, "schema.json": schema} {
		if err := os.WriteFile(filepath.Join(opts.Dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
