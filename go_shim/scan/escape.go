package scan

import (
	"bufio"
	"bytes"
	"go/types"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"usegolib.local/shim/model"
)

// Parameters that may share Python's memory (rt/shared.go): a []byte or
// numbers parameter of a function or method that the compiler's escape
// analysis reports "does not escape". The function then cannot keep the
// slice after it returns (not in a global, a heap object, a result or a
// goroutine), which is what lets Go use a Python buffer in place for the
// duration of the call. The analysis is the compiler's own (-gcflags=-m),
// the one it relies on to put values on the stack; anything it does not
// prove keeps the copy. Generic code is left out: its escape facts belong
// to instantiations the listing does not name.

// paramSite is where a parameter is declared, as -m spells it. Positions
// from export data have no column, so two functions on one line with a
// parameter of the same name share a site: it is cleared only if no
// diagnostic of that site says it escapes.
type paramSite struct {
	pkg  string
	file string // base name
	line int
	name string
}

// markEscapes sets Shared on the parameters escape analysis clears, and
// Borrowed on those it finds kept nowhere but in their function's results
// that are also never written through (borrow.go). It compiles the
// packages that have candidates with -m, once; when that fails, nothing is
// marked (the bridge build then reports the real error).
func (s *scanner) markEscapes() {
	shared, borrowed := s.sharingCandidates(), s.borrowingCandidates()
	if len(shared) == 0 && len(borrowed) == 0 {
		return
	}
	pkgs := map[string]bool{}
	for site := range shared {
		pkgs[site.pkg] = true
	}
	for site := range borrowed {
		pkgs[site.pkg] = true
	}
	facts, err := s.escapeFacts(pkgs)
	if err != nil {
		return
	}
	for site, params := range shared {
		if facts.clear[site] {
			for _, p := range params {
				p.Shared = true
			}
		}
	}
	s.markBorrowed(borrowed, facts)
}

// sharingCandidates are the []byte and numbers parameters of the module's
// non-generic functions and methods, by declaration site.
func (s *scanner) sharingCandidates() map[paramSite][]*model.Param {
	out := map[paramSite][]*model.Param{}
	for _, c := range s.calls {
		if c.Kind != CallFunction && c.Kind != CallMethod || len(c.TypeArgs) > 0 || c.Func.Origin() != c.Func {
			continue
		}
		if recv := c.Sig.Recv(); recv != nil && isGenericReceiver(recv.Type()) {
			continue
		}
		first := 0
		if c.Model.Context {
			first = 1
		}
		for i := range c.Model.Params {
			p := &c.Model.Params[i]
			if c.Model.Variadic && i == len(c.Model.Params)-1 || !shareable(s.types[p.Type].Model) {
				continue
			}
			v := c.Sig.Params().At(first + i)
			if v.Name() == "" || v.Name() == "_" {
				continue
			}
			pos := s.importer.fset.Position(v.Pos())
			if !pos.IsValid() {
				continue
			}
			site := paramSite{c.Func.Pkg().Path(), filepath.Base(pos.Filename), pos.Line, v.Name()}
			out[site] = append(out[site], p)
		}
	}
	return out
}

func shareable(t *model.Type) bool {
	return t.Kind == model.KindBytes && t.Len == nil || t.Kind == model.KindList && t.Numbers
}

func isGenericReceiver(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := t.(*types.Named)
	return ok && named.TypeParams().Len() > 0
}

// escapeLine is a -m diagnostic about where a parameter goes: "xs does not
// escape", or "leaking param: xs" and "leaking param content: xs", maybe
// followed by where to: " to result ~r0 level=0".
var escapeLine = regexp.MustCompile(`^(.+):(\d+):\d+: (?:(\S+) (does not escape)|leaking param( content)?: (\S+)(.*))`)

// escapes is what -m says of parameter sites: clear, kept nowhere; or
// toResults, kept only in the function's results.
type escapes struct {
	clear, toResults map[paramSite]bool
}

// escapeFacts compiles pkgs with -m (only them: their dependencies come
// from the cache, compiled with the flags goList used) and returns what it
// says of their parameters. `go list -export` compiles as `go build` does
// and passes the compiler's diagnostics on.
func (s *scanner) escapeFacts(pkgs map[string]bool) (escapes, error) {
	names := make([]string, 0, len(pkgs))
	for p := range pkgs {
		names = append(names, p)
	}
	sort.Strings(names)
	args := append([]string{"list", "-export", "-f", "{{.ImportPath}}"}, bridgeBuildFlags...)
	for _, p := range names {
		args = append(args, "-gcflags="+p+"=-m")
	}
	cmd := exec.Command(s.opts.Go, append(args, names...)...)
	cmd.Dir = s.opts.Dir
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		return escapes{}, err
	}
	return parseEscapes(&output), nil
}

// parseEscapes reads -m output: "# import/path" headers, then lines
// "file:line:col: message". A site is clear when a line says it does not
// escape and none says it leaks; it goes to results when every line
// about it says it leaks to a result (and is not clear).
func parseEscapes(output *bytes.Buffer) escapes {
	clear := map[paramSite]bool{}
	toResults := map[paramSite]bool{}
	leaks := map[paramSite]bool{}
	pkg := ""
	lines := bufio.NewScanner(output)
	lines.Buffer(nil, 1<<20)
	for lines.Scan() {
		line := lines.Text()
		if after, ok := strings.CutPrefix(line, "# "); ok {
			pkg = after
			continue
		}
		m := escapeLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		row, _ := strconv.Atoi(m[2])
		switch {
		case m[4] != "":
			clear[paramSite{pkg, filepath.Base(m[1]), row, m[3]}] = true
		case m[5] == "" && strings.HasPrefix(m[7], " to result "):
			toResults[paramSite{pkg, filepath.Base(m[1]), row, m[6]}] = true
		default:
			leaks[paramSite{pkg, filepath.Base(m[1]), row, m[6]}] = true
		}
	}
	for site := range leaks {
		delete(clear, site)
		delete(toResults, site)
	}
	for site := range toResults {
		if clear[site] {
			delete(toResults, site)
		}
	}
	return escapes{clear, toResults}
}
