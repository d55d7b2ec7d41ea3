package gen

import (
	"fmt"
	"go/types"
	"strings"

	"usegolib.local/shim/model"
	"usegolib.local/shim/scan"
)

// codecData fills one of the codec templates (templates/codec.go.tmpl),
// selected by Template.
type codecData struct {
	Template string
	ID       int
	Comment  string
	GoType   string // in generated code
	GoName   string // in error messages

	ElemEnc, ElemDec, ElemType string
	KeyEnc, KeyDec, KeyType    string

	Pointer bool // handles
	ClassID int  // handles, interfaces
	Cases   []caseData
	Record  *fieldsData

	Callback  *callbackData // func types Python callables can stand for
	Signature string        // their parameter and result lists

	Numbers bool // a slice of plain numbers: crosses as memory (rt.EncodeNumbers)
}

// fieldsData fills the "decodeFields" template, and for records the encoder.
type fieldsData struct {
	Reader string // an expression for the reader, when not the parameter r
	GoName string
	Always int // record keys always present (not behind a nil embedded pointer)
	Fields []fieldData
}

type fieldData struct {
	Key    string
	Dec    string
	Target string // the field, as a Go selector on v
	Alloc  []allocData
	Enc    string
	Source string // the field when encoding
	Cond   string // when set, the key is present only if it holds
}

type allocData struct {
	Expr   string
	GoType string
}

// caseData is one case of a type switch.
type caseData struct {
	GoType string
	Expr   string
}

// codec returns the template data for a type that needs generated code, or
// nil for types served by generic runtime functions.
func (g *generator) codec(info *scan.TypeInfo) *codecData {
	m := info.Model
	d := &codecData{ID: m.ID, Comment: m.Go, GoName: goName(info.Go)}
	switch m.Kind {
	case model.KindList:
		d.Template = "list"
		if m.Len != nil {
			d.Template = "array"
		}
		d.ElemEnc, d.ElemDec = g.enc(*m.Elem), g.dec(*m.Elem)
		d.Numbers = m.Numbers
	case model.KindBytes:
		if m.Len == nil {
			return nil
		}
		d.Template = "fixedbytes"
	case model.KindMap:
		d.Template = "map"
		d.KeyEnc, d.KeyDec, d.KeyType = g.enc(*m.Key), g.dec(*m.Key), g.goType(g.info(*m.Key).Go)
		d.ElemEnc, d.ElemDec, d.ElemType = g.enc(*m.Elem), g.dec(*m.Elem), g.goType(g.info(*m.Elem).Go)
	case model.KindOptional:
		d.Template = "optional"
		d.ElemEnc, d.ElemDec = g.enc(*m.Elem), g.dec(*m.Elem)
		d.ElemType = g.goType(info.Go.Underlying().(*types.Pointer).Elem())
	case model.KindRecord:
		d.Template = "record"
		d.Record = g.recordFields(info)
	case model.KindHandle:
		d.Template = "handle"
		d.Pointer, d.ClassID = m.Pointer, *m.Class
	case model.KindInterface:
		d.Template = "interface"
		d.ClassID = m.ID
		d.Cases = g.implementations(info.Go)
	case model.KindChan:
		// A channel is a handle of its own class, nil travels as None.
		d.Template = "interface"
		d.ClassID = m.ID
	case model.KindFunc:
		// A func value is a handle of its own class, nil travels as None:
		// the interface codec without dynamic types. A Python callable can
		// stand for it when its signature crosses.
		d.Template = "interface"
		d.ClassID = m.ID
		if cb := g.callback(info); cb != nil {
			d.Template, d.Callback, d.Signature = "funcvalue", cb, cb.signatureSpelled()
		}
	case model.KindAny:
		if isPlainAny(info) {
			return nil
		}
		d.Template = "namedany"
	default:
		return nil
	}
	// Spelled only now: spelling a type imports its package, and a type
	// served by the runtime must not leave an unused import behind.
	d.GoType = g.goType(info.Go)
	return d
}

// recordFields lays out a record's keys for its encoder and decoder.
func (g *generator) recordFields(info *scan.TypeInfo) *fieldsData {
	fd := &fieldsData{GoName: goName(info.Go)}
	for i, f := range info.RecordFields {
		id := info.Model.Fields[i].Type
		field := fieldData{Key: f.Key, Enc: g.enc(id), Dec: g.dec(id)}
		selector := "v"
		var conds []string
		for _, step := range f.Path {
			selector += "." + step.Name
			if step.Pointer {
				conds = append(conds, selector+" != nil")
				elem := types.Unalias(step.Type).(*types.Pointer).Elem()
				field.Alloc = append(field.Alloc, allocData{Expr: selector, GoType: g.goType(elem)})
			}
		}
		field.Target, field.Source = selector, selector
		field.Cond = strings.Join(conds, " && ")
		if field.Cond == "" {
			fd.Always++
		}
		fd.Fields = append(fd.Fields, field)
	}
	return fd
}

// implementations lists the classes whose values (or pointers) implement an
// interface, so that an interface result comes back as the concrete class
// with all its methods rather than as the bare interface.
func (g *generator) implementations(iface types.Type) []caseData {
	it := iface.Underlying().(*types.Interface)
	var cases []caseData
	for _, info := range g.res.Types {
		if info.Model.Kind != model.KindClass {
			continue
		}
		if types.Implements(types.NewPointer(info.Go), it) {
			cases = append(cases, g.handleCase(info, true))
		}
		if types.Implements(info.Go, it) {
			cases = append(cases, g.handleCase(info, false))
		}
	}
	return cases
}

func (g *generator) handleCase(class *scan.TypeInfo, pointer bool) caseData {
	if pointer {
		return caseData{GoType: "*" + g.goType(class.Go), Expr: fmt.Sprintf("rt.EncodeHandlePtr(b, x, %d)", class.Model.ID)}
	}
	return caseData{GoType: g.goType(class.Go), Expr: fmt.Sprintf("rt.EncodeHandleValue(b, x, %d)", class.Model.ID)}
}

// knownCases is the type switch of encodeKnown: every class and every named
// record of the table.
func (g *generator) knownCases() []caseData {
	var cases []caseData
	for _, info := range g.res.Types {
		switch info.Model.Kind {
		case model.KindClass:
			cases = append(cases, g.handleCase(info, true), g.handleCase(info, false))
		case model.KindRecord:
			if _, named := info.Go.(*types.Named); named {
				cases = append(cases, caseData{GoType: g.goType(info.Go), Expr: fmt.Sprintf("enc%d(b, x)", info.Model.ID)})
			}
		case model.KindUUID:
			cases = append(cases, caseData{GoType: g.goType(info.Go), Expr: g.enc(info.Model.ID) + "(b, x)"})
		}
	}
	return cases
}

var errorInterface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// errorCases is the type switch of errorValue: each of the module's error
// types (a class, or a named non-struct type, whose values are errors),
// appending [type id, value] for Python's exception class of the type.
func (g *generator) errorCases() []caseData {
	var cases []caseData
	for _, info := range g.res.Types {
		if !info.Model.Error {
			continue
		}
		head := fmt.Sprintf("codec.AppendInt(codec.AppendArrayHeader(b, 2), %d)", info.Model.ID)
		// A case for T only where T itself (not only *T) is an error: Go
		// refuses an impossible case in a switch over an error.
		byValue := types.Implements(info.Go, errorInterface)
		switch info.Model.Kind {
		case model.KindClass:
			handles := []caseData{g.handleCase(info, true)}
			if byValue {
				handles = append(handles, g.handleCase(info, false))
			}
			for _, c := range handles {
				cases = append(cases, caseData{GoType: c.GoType, Expr: strings.Replace(c.Expr, "(b,", "("+head+",", 1)})
			}
		case model.KindNamed:
			if value := *info.Model.Elem; byValue {
				cases = append(cases, caseData{GoType: g.goType(g.info(value).Go), Expr: g.enc(value) + "(" + head + ", x)"})
			}
		}
	}
	return cases
}

// uuidType spells github.com/google/uuid.UUID if the module uses it.
func (g *generator) uuidType() string {
	for _, info := range g.res.Types {
		if info.Model.Kind == model.KindUUID {
			return g.goType(info.Go)
		}
	}
	return ""
}
