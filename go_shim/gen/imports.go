package gen

import (
	"fmt"
	"go/types"
)

// importSpec is one import of the generated file.
type importSpec struct {
	Alias string
	Path  string
}

// importSet gives every package the generated code names an alias of its
// own (p0, p1, ...), so packages with equal names never collide and nothing
// clashes with the bridge's own identifiers.
type importSet struct {
	byPath map[string]string
	list   []importSpec
}

func newImportSet() *importSet { return &importSet{byPath: map[string]string{}} }

func (s *importSet) qualifier(p *types.Package) string {
	if alias, ok := s.byPath[p.Path()]; ok {
		return alias
	}
	alias := fmt.Sprintf("p%d", len(s.list))
	s.byPath[p.Path()] = alias
	s.list = append(s.list, importSpec{Alias: alias, Path: p.Path()})
	return alias
}
