package scan

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"usegolib.local/shim/model"
)

// selectTargets picks the module's packages to bridge. Whatever else the
// module holds never fails its build: commands, test-only folders,
// packages built for other platforms and packages that do not compile here
// are left out with the reason (the manifest keeps it, and importing such
// a package explicitly raises it). Internal packages are left out silently:
// Go itself keeps them out of reach of other modules.
func (s *scanner) selectTargets(listed []*listedPackage) ([]*listedPackage, error) {
	var targets []*listedPackage
	s.module = s.opts.Module
	seen := map[string]bool{}
	moduleDir := ""
	for _, p := range listed {
		s.listed[p.ImportPath] = p
		if p.DepOnly || !s.ownPackage(p) {
			continue
		}
		seen[p.ImportPath] = true
		if p.Module != nil {
			moduleDir = p.Module.Dir
		}
		if isInternal(p.ImportPath) {
			continue
		}
		if kind, reason := leftOutReason(p); reason != "" {
			s.leaveOut(p.ImportPath, kind, reason)
			continue
		}
		targets = append(targets, p)
	}
	for _, path := range s.platformExcluded(moduleDir, seen) {
		s.leaveOut(path, model.LeftOutPlatform, fmt.Sprintf("not built for %s/%s: build constraints exclude all its Go files", s.opts.GOOS, s.opts.GOARCH))
	}
	sort.Slice(s.leftOut, func(i, j int) bool { return s.leftOut[i].Name < s.leftOut[j].Name })
	if err := s.unknownPackages(seen); err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		return nil, s.nothingToBridge()
	}
	sort.Slice(targets, func(i, j int) bool { return targets[i].ImportPath < targets[j].ImportPath })
	return targets, nil
}

// ownPackage reports whether a listed package is one of those bridged: of
// the module, or the standard library package itself.
func (s *scanner) ownPackage(p *listedPackage) bool {
	if s.opts.Std {
		return p.Standard && p.ImportPath == s.module
	}
	return p.Module != nil && p.Module.Path == s.module
}

// leftOutReason says why a package of the module is not bridged, and
// what kind of reason it is, or "".
func leftOutReason(p *listedPackage) (kind, reason string) {
	switch {
	case p.Name == "main":
		return model.LeftOutCommand, "a command (package main), not a library"
	case p.problem() != "" && p.Module == nil:
		return model.LeftOutBroken, "does not build: " + p.problem()
	case p.problem() != "":
		// Paths relative to the module, as `go build` in it prints them:
		// the manifest must not depend on where the module was found.
		return model.LeftOutBroken, "does not build: " + moduleRelative(p.problem(), p.Module.Dir)
	case len(p.GoFiles) == 0 && len(p.CgoFiles) == 0:
		return model.LeftOutTests, "holds only _test.go files"
	}
	return "", ""
}

// moduleRelative rewrites the paths of files under moduleDir in a go
// command's message relative to moduleDir. Go prints a path relative to
// its working directory when that is shorter: so it does for a module the
// bridge reaches through a link inside itself (./_module).
func moduleRelative(message, moduleDir string) string {
	message = strings.ReplaceAll(message, moduleDir+string(filepath.Separator), "")
	if cwd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(cwd, moduleDir); err == nil && !strings.HasPrefix(rel, "..") {
			message = strings.ReplaceAll(message, "\n"+rel+string(filepath.Separator), "\n")
			message = strings.TrimPrefix(message, rel+string(filepath.Separator))
		}
	}
	return message
}

func (s *scanner) leaveOut(path, kind, reason string) {
	s.leftOut = append(s.leftOut, model.Skip{Name: path, Kind: kind, Reason: reason})
}

// unknownPackages names the asked-for paths that hold no package of the
// module (a typo, or a package of another module).
func (s *scanner) unknownPackages(seen map[string]bool) error {
	for _, p := range s.opts.Packages {
		found := false
		for path := range seen {
			found = found || below(path, p)
		}
		if !found {
			return fmt.Errorf("module %s has no package %s (nor any below it)", s.module, p)
		}
	}
	return nil
}

// nothingToBridge explains a module none of whose packages can be bridged.
func (s *scanner) nothingToBridge() error {
	for _, skip := range s.leftOut {
		if skip.Kind == model.LeftOutBroken {
			return fmt.Errorf("no package of module %s builds; the first error: %s: %s", s.module, skip.Name, skip.Reason)
		}
	}
	if len(s.leftOut) > 0 {
		return fmt.Errorf("module %s has no importable packages: %s: %s", s.module, s.leftOut[0].Name, s.leftOut[0].Reason)
	}
	return fmt.Errorf("module %s has no importable packages (only main or internal packages)", s.module)
}

// platformExcluded finds the module's folders that hold Go source but that
// `go list module/...` did not match: on this platform build constraints
// exclude all their files. It walks the module as that pattern does,
// skipping testdata, vendor, folders starting with "." or "_", and nested
// modules.
func (s *scanner) platformExcluded(moduleDir string, seen map[string]bool) []string {
	if moduleDir == "" {
		return nil
	}
	// The walk does not enter a root that is a link (the bridge's ./_module).
	if resolved, err := filepath.EvalSymlinks(moduleDir); err == nil {
		moduleDir = resolved
	}
	var found []string
	_ = filepath.WalkDir(moduleDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(moduleDir, path)
		if rel != "." && (skippedByPattern(d.Name()) || isFile(filepath.Join(path, "go.mod"))) {
			return filepath.SkipDir
		}
		importPath := s.module
		if rel != "." {
			importPath += "/" + filepath.ToSlash(rel)
		}
		if !seen[importPath] && !isInternal(importPath) && s.opts.selected(importPath) && holdsGoSource(path) {
			found = append(found, importPath)
		}
		return nil
	})
	return found
}

// skippedByPattern mirrors the folders a "..." pattern does not enter.
func skippedByPattern(name string) bool {
	return name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

func holdsGoSource(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			return true
		}
	}
	return false
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir()
}
