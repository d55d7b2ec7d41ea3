package gen

import (
	"fmt"
	"go/types"
	"strings"

	"usegolib.local/shim/model"
	"usegolib.local/shim/scan"
)

// callbackData fills the "funcvalue" template: the Go func that stands for
// a Python callable, with the func type's signature.
type callbackData struct {
	Params       []callbackParam
	Results      []callbackResult
	ReturnsError bool
	Return       string // the result list of the success return
	Failed       string // the result list of a failure return, error last
}

type callbackParam struct {
	Var, GoType, Enc string
	Variadic         bool
}

type callbackResult struct {
	Var, GoType, Dec string
}

// callMethod is the Call method of a func type's class when a Python
// callable can stand for the func: its parameters and results cross (so
// Call is bridged) and generated code can spell them all.
func callMethod(info *scan.TypeInfo) *model.Func {
	if scan.SpellReason(info.Go.Underlying()) != "" {
		return nil
	}
	for _, m := range info.Model.Methods {
		if m.Name == "Call" && !m.Context { // Python would have no use for the context
			return m
		}
	}
	return nil
}

// callback lays out the Go func wrapping a Python callable for info's
// func type, or nil when Python callables cannot stand for it.
func (g *generator) callback(info *scan.TypeInfo) *callbackData {
	call := callMethod(info)
	if call == nil {
		return nil
	}
	sig := info.Go.Underlying().(*types.Signature)
	d := &callbackData{ReturnsError: call.ReturnsError}
	for i, p := range call.Params {
		param := callbackParam{Var: fmt.Sprintf("a%d", i), GoType: g.goType(sig.Params().At(i).Type()), Enc: g.enc(p.Type)}
		if call.Variadic && i == len(call.Params)-1 {
			param.Variadic = true
			param.GoType = "..." + g.goType(sig.Params().At(i).Type().(*types.Slice).Elem())
		}
		d.Params = append(d.Params, param)
	}
	var names []string
	for i, id := range call.Results {
		r := callbackResult{Var: fmt.Sprintf("r%d", i), GoType: g.goType(g.info(id).Go), Dec: g.dec(id)}
		d.Results = append(d.Results, r)
		names = append(names, r.Var)
	}
	d.Return = strings.Join(append(append([]string{}, names...), errorResult(d.ReturnsError, "nil")...), ", ")
	d.Failed = strings.Join(append(append([]string{}, names...), errorResult(d.ReturnsError, "err")...), ", ")
	return d
}

func errorResult(returnsError bool, value string) []string {
	if returnsError {
		return []string{value}
	}
	return nil
}

// signatureSpelled spells the wrapper's parameter and result lists.
func (d *callbackData) signatureSpelled() string {
	var params, results []string
	for _, p := range d.Params {
		params = append(params, p.Var+" "+p.GoType)
	}
	for _, r := range d.Results {
		results = append(results, r.GoType)
	}
	if d.ReturnsError {
		results = append(results, "error")
	}
	return spellSignature(params, results)
}

// spellSignature spells a parameter list and its results as Go writes
// them after `func`: "(a int, b string) (int, error)".
func spellSignature(params, results []string) string {
	out := "(" + strings.Join(params, ", ") + ")"
	switch len(results) {
	case 0:
	case 1:
		out += " " + results[0]
	default:
		out += " (" + strings.Join(results, ", ") + ")"
	}
	return out
}
