package scan

import (
	"go/types"
	"sort"

	"usegolib.local/shim/jsontag"
	"usegolib.local/shim/model"
)

// RecordField is one key of a record and where its value lives in the Go
// struct: a path of field selectors through embedded structs.
type RecordField struct {
	Key  string
	Path []FieldStep
	Type types.Type
}

// FieldStep is one selector of a field path. Pointer marks an embedded
// *struct that may be nil (skipped when encoding, allocated when decoding).
type FieldStep struct {
	Name    string
	Pointer bool
	Type    types.Type // the field's type (for a Pointer step, the *struct)
}

// fillRecord lays out a record's keys with encoding/json's rules: the json
// tag name or the Go name, "-" omitted, fields of untagged embedded structs
// promoted, and among equal names the shallowest (then the tagged) one wins;
// a tie drops the name, as encoding/json does.
func (s *scanner) fillRecord(info *TypeInfo, st *types.Struct) {
	fields := dominantFields(collectFields(st))
	info.RecordFields = fields
	for _, f := range fields {
		info.Model.Fields = append(info.Model.Fields, model.Field{
			Name:   f.Key,
			GoName: f.Path[len(f.Path)-1].Name,
			Type:   s.ref(f.Type),
		})
	}
}

type candidate struct {
	RecordField
	depth  int
	tagged bool
	order  []int // field indexes, for Go declaration order
}

// collectFields walks the struct breadth-first through embedded structs.
func collectFields(root *types.Struct) []candidate {
	type level struct {
		st    *types.Struct
		path  []FieldStep
		order []int
	}
	var out []candidate
	current := []level{{st: root}}
	seen := map[*types.Struct]bool{root: true}
	for depth := 0; len(current) > 0; depth++ {
		var next []level
		for _, lv := range current {
			for i := 0; i < lv.st.NumFields(); i++ {
				f := lv.st.Field(i)
				name, tagged, skip := jsontag.Name(lv.st.Tag(i), f.Name())
				if skip || !f.Exported() {
					continue
				}
				path := append(append([]FieldStep{}, lv.path...), FieldStep{Name: f.Name(), Type: f.Type()})
				order := append(append([]int{}, lv.order...), i)
				if f.Embedded() && !tagged {
					if inner, ptr := embeddedStruct(f.Type()); inner != nil {
						path[len(path)-1].Pointer = ptr
						if !seen[inner] {
							next = append(next, level{st: inner, path: path, order: order})
						}
						continue
					}
				}
				out = append(out, candidate{
					RecordField: RecordField{Key: name, Path: path, Type: f.Type()},
					depth:       depth, tagged: tagged, order: order,
				})
			}
		}
		// A struct met at a shallower depth is not walked again (that
		// ends cycles); one met twice at this depth is walked twice, so its
		// fields collide and drop out, as in encoding/json.
		for _, lv := range next {
			seen[lv.st] = true
		}
		current = next
	}
	return out
}

// dominantFields keeps one field per key, encoding/json style, in Go
// declaration order.
func dominantFields(cands []candidate) []RecordField {
	byKey := map[string][]candidate{}
	for _, c := range cands {
		byKey[c.Key] = append(byKey[c.Key], c)
	}
	var kept []candidate
	for _, group := range byKey {
		if winner, ok := dominant(group); ok {
			kept = append(kept, winner)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return lessOrder(kept[i].order, kept[j].order) })
	out := make([]RecordField, len(kept))
	for i, c := range kept {
		out[i] = c.RecordField
	}
	return out
}

func dominant(group []candidate) (candidate, bool) {
	minDepth := group[0].depth
	for _, c := range group {
		if c.depth < minDepth {
			minDepth = c.depth
		}
	}
	var shallow, tagged []candidate
	for _, c := range group {
		if c.depth == minDepth {
			shallow = append(shallow, c)
			if c.tagged {
				tagged = append(tagged, c)
			}
		}
	}
	switch {
	case len(shallow) == 1:
		return shallow[0], true
	case len(tagged) == 1:
		return tagged[0], true
	}
	return candidate{}, false
}

func lessOrder(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// embeddedStruct returns the struct behind an embedded field of type S or *S.
func embeddedStruct(t types.Type) (*types.Struct, bool) {
	t = types.Unalias(t)
	ptr := false
	if p, ok := t.(*types.Pointer); ok {
		t, ptr = types.Unalias(p.Elem()), true
	}
	if isAdapted(t) {
		return nil, false // time.Time, big.Int are values, not bags of fields
	}
	st, _ := t.Underlying().(*types.Struct)
	return st, ptr
}
