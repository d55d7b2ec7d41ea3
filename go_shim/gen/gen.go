// Package gen writes the Go source of a bridge from a scan result. The code
// shapes live in templates/*.tmpl; this package only computes the names and
// expressions the templates fill in, then formats the result with go/format.
package gen

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"go/types"
	"strings"
	"text/template"

	"usegolib.local/shim/adapt"
	"usegolib.local/shim/model"
	"usegolib.local/shim/scan"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

var templates = template.Must(template.New("bridge").
	Funcs(template.FuncMap{"lower": strings.ToLower}).
	ParseFS(templateFiles, "templates/*.tmpl"))

// Bridge renders the bridge's main package for a scan result.
func Bridge(res *scan.Result) ([]byte, error) {
	g := newGenerator(res)
	data := &fileData{Module: res.Manifest.Module}
	for _, c := range res.Calls {
		data.Calls = append(data.Calls, g.call(c))
	}
	for _, info := range res.Types {
		if cd := g.codec(info); cd != nil {
			data.Codecs = append(data.Codecs, cd)
		}
	}
	data.Known = g.knownCases()
	data.ErrorCases = g.errorCases()
	data.RefTypes = g.refTypes()
	for _, v := range res.Sentinels {
		data.Sentinels = append(data.Sentinels, g.imports.qualifier(v.Pkg())+"."+v.Name())
	}
	data.UUIDType = g.uuidType()
	data.Imports = g.imports.list
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "bridge.go.tmpl", data); err != nil {
		return nil, err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated bridge does not parse (a usegolib bug): %v\n%s", err, numbered(buf.Bytes()))
	}
	return src, nil
}

type fileData struct {
	Module   string
	UUIDType string // github.com/google/uuid.UUID when the module uses it
	Imports  []importSpec
	Calls    []*callData
	Codecs   []*codecData
	Known    []caseData
	// ErrorCases are the module's error types, for errorValue.
	ErrorCases []caseData
	// Sentinels spell the module's error variables, in ErrorVar.ID order.
	Sentinels []string
	// RefTypes are the types a usegolib.Ref may stand for a pointer to.
	RefTypes []refTypeData
}

// FastArgsUsed reports whether a call has a fast-args slot, whose
// parameters are unsafe.Pointers: the bridge imports unsafe for them only.
func (d *fileData) FastArgsUsed() bool {
	for _, c := range d.Calls {
		if c.FastArgs != "" {
			return true
		}
	}
	return false
}

type refTypeData struct {
	ID     int
	GoType string
	Dec    string // sets the value from a Ref's initial value; "" for classes
}

// refTypes lists the module's named records and classes, which
// usegolib.Ref(T) makes a *T of.
func (g *generator) refTypes() []refTypeData {
	var out []refTypeData
	for _, info := range g.res.Types {
		if _, named := info.Go.(*types.Named); !named {
			continue
		}
		switch info.Model.Kind {
		case model.KindRecord:
			out = append(out, refTypeData{ID: info.Model.ID, GoType: g.goType(info.Go), Dec: g.dec(info.Model.ID)})
		case model.KindClass:
			out = append(out, refTypeData{ID: info.Model.ID, GoType: g.goType(info.Go)})
		}
	}
	return out
}

type generator struct {
	res     *scan.Result
	imports *importSet
}

func newGenerator(res *scan.Result) *generator {
	return &generator{res: res, imports: newImportSet()}
}

// goType spells t in generated code, importing what it names.
func (g *generator) goType(t types.Type) string {
	return types.TypeString(t, g.imports.qualifier)
}

// goName spells t for error messages shown to users: package names, not
// import aliases.
func goName(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

func (g *generator) info(id int) *scan.TypeInfo { return g.res.Types[id] }

// enc returns the expression of the encoder for type id: a generic runtime
// function for basic kinds, the generated encN otherwise.
func (g *generator) enc(id int) string {
	info := g.info(id)
	if name := genericCodec(info); name != "" {
		return fmt.Sprintf("rt.Encode%s[%s]", name, g.goType(info.Go))
	}
	if name := runtimeCodec(info); name != "" {
		return "rt.Encode" + name
	}
	return fmt.Sprintf("enc%d", id)
}

// dec returns the expression of the decoder for type id.
func (g *generator) dec(id int) string {
	info := g.info(id)
	if b, ok := info.Go.(*types.Basic); ok && (b.Name() == "rune" || b.Name() == "byte") {
		// Spelled rune or byte, not int32 or uint8: a 1-character str or
		// a 1-byte bytes is taken as well as an int.
		return "rt.Decode" + strings.ToUpper(b.Name()[:1]) + b.Name()[1:]
	}
	if name := genericCodec(info); name != "" {
		return fmt.Sprintf("rt.Decode%s[%s]", name, g.goType(info.Go))
	}
	if name := runtimeCodec(info); name != "" {
		return "rt.Decode" + name
	}
	switch m := info.Model; {
	case m.Kind == model.KindFunc && callMethod(info) != nil:
		return fmt.Sprintf("dec%d", id) // takes Python callables too
	case m.Kind == model.KindChan:
		return fmt.Sprintf("rt.DecodeChan[%s, %s]", g.goType(info.Go), g.goType(g.info(*m.Elem).Go))
	case m.Kind == model.KindInterface && m.Stream:
		return fmt.Sprintf("rt.DecodeStream[%s]", g.goType(info.Go)) // a Python file object too
	case m.Kind == model.KindInterface, m.Kind == model.KindFunc:
		return fmt.Sprintf("rt.DecodeInterface[%s]", g.goType(info.Go))
	case m.Kind == model.KindHandle && m.Pointer:
		return fmt.Sprintf("rt.DecodeHandlePtr[%s]", g.goType(info.Go.(*types.Pointer).Elem()))
	case m.Kind == model.KindHandle:
		return fmt.Sprintf("rt.DecodeHandleValue[%s]", g.goType(info.Go))
	}
	return fmt.Sprintf("dec%d", id)
}

// runtimeCodec names the non-generic runtime codec of a type, if any:
// adapters (package adapt) and the plain empty interface.
func runtimeCodec(info *scan.TypeInfo) string {
	if a, ptr, ok := adapterFor(info.Go); ok && !a.Generic {
		if ptr {
			return a.PointerCodec
		}
		return a.Codec
	}
	if isPlainAny(info) {
		return "Any"
	}
	return ""
}

// adapterFor finds the adapter of T, or of *T when T's adapter has a
// pointer codec.
func adapterFor(t types.Type) (adapt.Adapter, bool, bool) {
	if p, isPtr := t.(*types.Pointer); isPtr {
		a, ok := lookupAdapter(p.Elem())
		return a, true, ok && a.PointerCodec != ""
	}
	a, ok := lookupAdapter(t)
	return a, false, ok
}

func lookupAdapter(t types.Type) (adapt.Adapter, bool) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return adapt.Adapter{}, false
	}
	return adapt.Lookup(n.Obj().Pkg().Path(), n.Obj().Name())
}

// genericCodec names the generic runtime codec of a type, if any;
// generated code instantiates it with the Go type.
func genericCodec(info *scan.TypeInfo) string {
	if a, ok := lookupAdapter(info.Go); ok && a.Generic {
		return a.Codec
	}
	return basicCodec(info.Model)
}

// basicCodec names the generic runtime codec of a basic kind, if any.
func basicCodec(m *model.Type) string {
	switch m.Kind {
	case model.KindBool:
		return "Bool"
	case model.KindInt:
		return "Int"
	case model.KindUint:
		return "Uint"
	case model.KindFloat:
		return "Float"
	case model.KindComplex:
		return "Complex"
	case model.KindString:
		return "String"
	case model.KindBytes:
		if m.Len == nil {
			return "Bytes"
		}
	}
	return ""
}

// isPlainAny reports the unnamed empty interface, which the runtime's
// DecodeAny handles directly; a named one needs a converting wrapper.
func isPlainAny(info *scan.TypeInfo) bool {
	if info.Model.Kind != model.KindAny {
		return false
	}
	_, named := info.Go.(*types.Named)
	return !named
}

func numbered(src []byte) string {
	lines := strings.Split(string(src), "\n")
	for i := range lines {
		lines[i] = fmt.Sprintf("%5d  %s", i+1, lines[i])
	}
	return strings.Join(lines, "\n")
}
