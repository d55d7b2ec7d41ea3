package gen

import (
	"fmt"
	"go/types"
	"strings"

	"usegolib.local/shim/scan"
)

// opaqueParams names the types of a call's signature that generated code
// cannot spell (see scan.OpaqueNamed) U0, U1, …: the call becomes a
// trampoline passing the callee to a generic function, and Go infers the
// type parameters from the callee's type.
type opaqueParams struct {
	names map[string]string // type key -> type parameter name
	decls []string          // "U0 any", "U1 ~uint16"
}

// opaqueTypesOf returns the opaque types of sig, or nil when it has none.
func (g *generator) opaqueTypesOf(sig *types.Signature) *opaqueParams {
	if sig == nil {
		return nil
	}
	o := &opaqueParams{names: map[string]string{}}
	for _, tuple := range []*types.Tuple{sig.Params(), sig.Results()} {
		for i := 0; i < tuple.Len(); i++ {
			t := tuple.At(i).Type()
			if sig.Variadic() && tuple == sig.Params() && i == tuple.Len()-1 {
				t = t.(*types.Slice).Elem()
			}
			o.add(g, t)
		}
	}
	if len(o.decls) == 0 {
		return nil
	}
	return o
}

func (o *opaqueParams) add(g *generator, t types.Type) {
	if _, opaque := scan.OpaqueNamed(t); !opaque || o.names[typeKeyOf(t)] != "" {
		return
	}
	name := fmt.Sprintf("U%d", len(o.decls))
	o.names[typeKeyOf(t)] = name
	constraint := "any"
	if b, ok := scan.OpaqueBasic(t); ok {
		// ~basic lets the wrapper convert between the value Python sends
		// and the type Go wants.
		constraint = "~" + g.goType(b)
	}
	o.decls = append(o.decls, name+" "+constraint)
}

// name returns the type parameter standing for t, if t is opaque.
func (o *opaqueParams) name(t types.Type) (string, bool) {
	if o == nil {
		return "", false
	}
	name, ok := o.names[typeKeyOf(t)]
	return name, ok
}

// typeList spells the type parameter list.
func (o *opaqueParams) typeList() string { return "[" + strings.Join(o.decls, ", ") + "]" }

// funcType spells sig with the type parameters for its opaque types.
func (g *generator) funcType(sig *types.Signature, o *opaqueParams) string {
	spell := func(t types.Type) string {
		if name, ok := o.name(t); ok {
			return name
		}
		return g.goType(t)
	}
	var params []string
	for i := 0; i < sig.Params().Len(); i++ {
		t := sig.Params().At(i).Type()
		if sig.Variadic() && i == sig.Params().Len()-1 {
			params = append(params, "..."+spell(t.(*types.Slice).Elem()))
			continue
		}
		params = append(params, spell(t))
	}
	var results []string
	for i := 0; i < sig.Results().Len(); i++ {
		results = append(results, spell(sig.Results().At(i).Type()))
	}
	return "func" + spellSignature(params, results)
}

func typeKeyOf(t types.Type) string { return types.TypeString(types.Unalias(t), nil) }

// opaqueParam adapts a parameter of opaque type: a handle is decoded as
// the type parameter; a basic value is decoded as itself and converted.
func (g *generator) opaqueParam(pd *paramData, t types.Type, o *opaqueParams) (arg string) {
	name, ok := o.name(t)
	if !ok {
		return pd.Var
	}
	if _, basic := scan.OpaqueBasic(t); basic {
		return name + "(" + pd.Var + ")"
	}
	pd.GoType, pd.Dec = name, "rt.DecodeOpaque["+name+"]"
	return pd.Var
}

// opaqueResult adapts a result of opaque type: a handle of its class, or
// its value converted to the basic type.
func (g *generator) opaqueResult(r *resultData, t types.Type, id int, o *opaqueParams) {
	if _, ok := o.name(t); !ok {
		return
	}
	if b, basic := scan.OpaqueBasic(t); basic {
		r.Expr = g.goType(b) + "(" + r.Expr + ")"
		return
	}
	r.Enc, r.Extra = "rt.EncodeOpaque", fmt.Sprintf(", %d", id)
}
