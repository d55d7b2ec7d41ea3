package gen

import (
	"fmt"
	"go/types"
	"strings"

	"usegolib.local/shim/model"
	"usegolib.local/shim/scan"
)

// callData fills the "call" template.
type callData struct {
	ID       int
	Comment  string
	Fixed    int        // arguments before the variadic ones, receiver included
	VarParam *paramData // the variadic parameter, if any
	Recv     string     // receiver type argument of RecvFunc
	RecvFunc string     // rt.Receiver or rt.InterfaceReceiver
	Params   []paramData
	New      string      // constructors: the struct type to allocate
	Fields   *fieldsData // constructors: the settable fields
	Callee   string
	Assign   string
	ArgList  string
	Store    string // variable and field setters: what is assigned the one argument
	// Generic, FnType and Target: for a signature with opaque types, the
	// type parameter list and func type of the generic function the call
	// passes its callee (Target) to.
	Generic string
	FnType  string
	Target  string
	// Context: the callee's first parameter is the call's context, read
	// from the first argument.
	Context bool
	// ReturnsError: the last Go result is an error, assigned to callErr.
	ReturnsError bool
	Results      []resultData
	// WriteBacks: the parameters whose new value goes back to Python when
	// the call changed them (rt/writeback.go).
	WriteBacks []paramData
	// Fast: the call also has a fast slot for the integer entry points
	// (rt.FastInts), which takes its arguments with no Call at all.
	Fast bool
	// FastArgs: the call also has a fast-args slot (rt.FastArgs); its
	// parameters' kinds, one letter each (model.Func.Fast).
	FastArgs string
}

type paramData struct {
	Name   string // Python name, for error paths
	Var    string
	GoType string
	Dec    string
	// Shared: the rt decoder that takes the memory of a writable Python
	// buffer in place, falling back to Dec (rt/shared.go).
	Shared string
	Index  int // position in the argument array
	// Before: for a slice or map Go may write into, the rt function that
	// snapshots it (rt/writeback.go); Write encodes its new value.
	Before string
	Write  resultData
	// Fast: how a fast-args slot takes the argument (fastKind); Borrowed:
	// it takes Python's memory itself (model.Param.Borrowed).
	Fast     string
	Borrowed bool
	typeID   int
}

type resultData struct {
	Expr      string
	Enc       string
	Extra     string // more arguments of Enc after the value
	Immediate string // "Int" or "Uint": returned in the status word
	id        int    // the result's type id
}

func (g *generator) call(c *scan.Call) *callData {
	d := &callData{ID: c.Model.ID, Comment: callComment(c)}
	switch c.Kind {
	case scan.CallFunction:
		d.Callee = g.imports.qualifier(c.Func.Pkg()) + "." + c.Func.Name() + g.typeArgs(c.TypeArgs)
		g.signature(d, c)
	case scan.CallMethod, scan.CallInterfaceMethod:
		g.receiver(d, c)
		d.Callee = "recv." + c.Func.Name()
		g.signature(d, c)
	case scan.CallOpaqueMethod:
		// The receiver's type cannot be spelled: an interface of just the
		// method holds it.
		d.Fixed, d.RecvFunc = 1, "InterfaceReceiver"
		d.Recv = "interface{ " + scan.MethodSpec(c.Func, g.goType) + " }"
		d.Callee = "recv." + c.Func.Name()
		g.signature(d, c)
	case scan.CallFuncValue:
		g.receiver(d, c)
		d.Callee = "recv"
		g.signature(d, c)
	case scan.CallSeqIter:
		g.receiver(d, c)
		d.Results = []resultData{g.result(c.Recv.Model.ID, "recv")}
	case scan.CallSeqNext:
		// The receiver is the puller of the handle's iteration.
		d.Fixed = 1
		d.Recv = g.typeArgs(c.TypeArgs)
		d.Recv = d.Recv[1 : len(d.Recv)-1]
		d.RecvFunc = "SeqPuller"
		if len(c.TypeArgs) == 2 {
			d.RecvFunc = "Seq2Puller"
		}
		d.Callee = "recv.Next"
		g.signature(d, c)
	case scan.CallValueMethod, scan.CallPointerValueMethod:
		// The receiver is the first argument, decoded as a value of the type.
		recvType := *c.Recv.Model.Elem
		d.Fixed = 1
		d.Params = []paramData{{Name: "self", Var: "recv", GoType: g.goType(c.Recv.Go), Dec: g.dec(recvType), typeID: recvType}}
		d.Callee = "recv." + c.Func.Name()
		g.signature(d, c)
		if c.Kind == scan.CallPointerValueMethod {
			// The local copy is addressable, so Go calls the pointer method
			// on it; its new value follows the method's results.
			d.Results = append(d.Results, g.result(recvType, "recv"))
		}
	case scan.CallChanRecv, scan.CallChanSend, scan.CallChanClose:
		g.receiver(d, c)
		g.signature(d, c)
		op := map[scan.CallKind]string{scan.CallChanRecv: "Recv", scan.CallChanSend: "Send", scan.CallChanClose: "Close"}[c.Kind]
		d.Callee = "rt.Chan" + op + g.typeArgs(c.TypeArgs)
		args := []string{"recv"}
		if c.Model.Context {
			args = []string{"c.Ctx()", "recv"}
		}
		if c.Kind == scan.CallChanSend {
			args = append(args, "a0")
		}
		d.ArgList = strings.Join(args, ", ")
	case scan.CallGetter:
		g.receiver(d, c)
		expr := "recv." + c.Field.Name
		d.Results = []resultData{g.fieldResult(c.Field, expr)}
	case scan.CallVarGet:
		expr := g.imports.qualifier(c.Var.Pkg()) + "." + c.Var.Name()
		d.Results = []resultData{g.fieldResult(c.Field, expr)}
	case scan.CallVarSet:
		g.signature(d, c)
		d.Store = g.imports.qualifier(c.Var.Pkg()) + "." + c.Var.Name()
	case scan.CallFieldSet:
		g.receiver(d, c)
		g.signature(d, c)
		d.Store = "recv." + c.Field.Name
	case scan.CallNew:
		d.Fixed = 1
		d.New = g.goType(c.Recv.Go)
		d.Fields = g.constructorFields(c)
		d.Results = []resultData{g.result(c.Model.Results[0], "r0")}
	}
	g.spellEncoders(d)
	g.writeBacks(d, c)
	d.Fast = c.Kind == scan.CallFunction && g.fastInts(d)
	if c.Kind == scan.CallFunction && !d.Fast {
		d.FastArgs = g.fastArgs(d)
		c.Model.Fast = d.FastArgs
	}
	return d
}

// maxIntArgs is rt.MaxIntArgs: the most arguments of the integer entry
// points (the generator does not link the runtime).
const maxIntArgs = 4

// fastInts says whether a function's call is all a fast slot can do: Go
// integers in, one Go integer or nothing out, and nothing else to do — no
// context, error, variadic arguments, generic spelling or write-back.
func (g *generator) fastInts(d *callData) bool {
	if d.Context || d.ReturnsError || d.VarParam != nil || d.Generic != "" || len(d.WriteBacks) > 0 ||
		len(d.Params) > maxIntArgs || len(d.Results) > 1 {
		return false
	}
	for _, p := range d.Params {
		if k := g.info(p.typeID).Model.Kind; k != model.KindInt && k != model.KindUint {
			return false
		}
	}
	return len(d.Results) == 0 || d.Results[0].Immediate != ""
}

// maxFastArgs is rt.MaxFastArgs.
const maxFastArgs = 4

// fastArgs is the kinds of a plain function's parameters when a fast-args
// slot can make its call (rt.FastArgs), else "": at most maxFastArgs
// parameters and one result, each a string, []byte, bool, float or
// integer, and no error, context or variadic parameter. Go may write into
// a []byte argument: C passes only bytes objects, whose changes Python
// could not see anyway, so that write-back is not needed.
func (g *generator) fastArgs(d *callData) string {
	if d.Context || d.ReturnsError || d.VarParam != nil || d.Generic != "" || len(d.Params) == 0 ||
		len(d.Params) > maxFastArgs || len(d.Results) > 1 {
		return ""
	}
	for _, w := range d.WriteBacks {
		if g.fastKind(w.typeID, true) != "b" {
			return ""
		}
	}
	if len(d.Results) == 1 && (g.fastKind(d.Results[0].id, false) == "" || d.Results[0].Extra != "") {
		return ""
	}
	kinds := ""
	for i := range d.Params {
		kind := g.fastKind(d.Params[i].typeID, true)
		if kind == "" {
			return ""
		}
		d.Params[i].Fast = kind
		kinds += kind
	}
	return kinds
}

// fastKind is the letter of a type a fast-args slot takes or returns, or
// "". A parameter's float must be a float64 (C passes a double's bits).
func (g *generator) fastKind(id int, param bool) string {
	info := g.info(id)
	basic, _ := info.Go.Underlying().(*types.Basic)
	switch info.Model.Kind {
	case model.KindString:
		if basic != nil && basic.Info()&types.IsString != 0 {
			return "s"
		}
	case model.KindBytes:
		if info.Model.Len == nil {
			return "b"
		}
	case model.KindBool:
		return "?"
	case model.KindFloat:
		if !param || basic != nil && basic.Kind() == types.Float64 {
			return "f"
		}
	case model.KindInt, model.KindUint:
		return "i"
	}
	return ""
}

// writeBacks picks the parameters whose changes Go's caller would see: a
// slice or map passed by value (its items are shared), not the receiver of
// a pointer method on a value (sent back as a result) and not a value the
// call stores, which outlives it.
func (g *generator) writeBacks(d *callData, c *scan.Call) {
	switch c.Kind {
	case scan.CallFunction, scan.CallMethod, scan.CallInterfaceMethod, scan.CallOpaqueMethod,
		scan.CallFuncValue, scan.CallValueMethod, scan.CallPointerValueMethod:
	default:
		return
	}
	for i, p := range d.Params {
		if p.Var == "recv" && c.Kind == scan.CallPointerValueMethod || p.GoType == "" {
			continue
		}
		switch g.info(p.typeID).Go.Underlying().(type) {
		case *types.Slice:
			p.Before = "SnapshotSlice"
			if p.Shared != "" {
				p.Before = "SnapshotSharedSlice"
			}
		case *types.Map:
			p.Before = "SnapshotMap"
		default:
			continue
		}
		p.Write = g.result(p.typeID, p.Var)
		d.Params[i] = p
		d.WriteBacks = append(d.WriteBacks, p)
	}
}

// typeArgs spells the explicit instantiation of a generic function.
func (g *generator) typeArgs(args []types.Type) string {
	if len(args) == 0 {
		return ""
	}
	spelled := make([]string, len(args))
	for i, a := range args {
		spelled[i] = g.goType(a)
	}
	return "[" + strings.Join(spelled, ", ") + "]"
}

func (g *generator) receiver(d *callData, c *scan.Call) {
	d.Fixed = 1
	d.Recv = g.goType(c.Recv.Go)
	d.RecvFunc = "Receiver"
	switch c.Kind {
	case scan.CallInterfaceMethod, scan.CallFuncValue, scan.CallSeqIter, scan.CallChanRecv, scan.CallChanSend, scan.CallChanClose:
		d.RecvFunc = "InterfaceReceiver" // the handle holds the value itself
	}
}

// signature fills parameters, the call expression and results from the
// function's model.
func (g *generator) signature(d *callData, c *scan.Call) {
	opaque := g.opaqueTypesOf(c.Sig)
	var args []string
	first := 0 // the Go parameter of Model.Params[0]
	if c.Model.Context {
		d.Context, first = true, 1
		d.Fixed++
		args = append(args, "c.Ctx()")
	}
	for i, p := range c.Model.Params {
		pd := paramData{Name: p.Name, Var: fmt.Sprintf("a%d", i), Index: d.Fixed, Borrowed: p.Borrowed, typeID: p.Type}
		if g.info(p.Type).Model.Kind != model.KindOpaque { // opaque: spelled by opaqueParam
			pd.GoType, pd.Dec = g.goType(g.info(p.Type).Go), g.dec(p.Type)
		}
		if p.Shared {
			pd.Shared = "DecodeSharedNumbers"
			if g.info(p.Type).Model.Kind == model.KindBytes {
				pd.Shared = "DecodeSharedBytes"
			}
		}
		if c.Model.Variadic && i == len(c.Model.Params)-1 {
			if opaque != nil {
				g.opaqueParam(&pd, c.Sig.Params().At(first+i).Type().(*types.Slice).Elem(), opaque)
			}
			d.VarParam = &pd
			args = append(args, pd.Var+"...")
			continue
		}
		arg := pd.Var
		if opaque != nil {
			arg = g.opaqueParam(&pd, c.Sig.Params().At(first+i).Type(), opaque)
		}
		d.Fixed++
		d.Params = append(d.Params, pd)
		args = append(args, arg)
	}
	d.ArgList = strings.Join(args, ", ")
	var assign []string
	for i, id := range c.Model.Results {
		v := fmt.Sprintf("r%d", i)
		assign = append(assign, v)
		r := g.result(id, v)
		if opaque != nil {
			g.opaqueResult(&r, c.Sig.Results().At(i).Type(), id, opaque)
		}
		d.Results = append(d.Results, r)
	}
	if c.Model.ReturnsError {
		assign = append(assign, "callErr")
		d.ReturnsError = true
	}
	d.Assign = strings.Join(assign, ", ")
	if opaque != nil {
		d.Generic, d.FnType, d.Target = opaque.typeList(), g.funcType(c.Sig, opaque), d.Callee
		d.Callee = "fn"
	}
}

// fieldResult reads a field or variable. A class held by value is handed
// out as a handle to the field itself (methods act on it, as in Go) that
// still passes as a copy of its value where Go wants an interface.
func (g *generator) fieldResult(f *scan.ClassField, expr string) resultData {
	if !f.Interior {
		return g.result(f.TypeID, expr)
	}
	class := *g.info(f.TypeID).Model.Class
	return resultData{Expr: "&" + expr, Enc: "rt.EncodeHandleInterior", Extra: fmt.Sprintf(", %d", class)}
}

func (g *generator) result(id int, expr string) resultData {
	if g.info(id).Model.Kind == model.KindOpaque {
		return resultData{Expr: expr} // completed by opaqueResult
	}
	r := resultData{Expr: expr, id: id}
	switch g.info(id).Model.Kind {
	case model.KindInt:
		r.Immediate = "Int"
	case model.KindUint:
		r.Immediate = "Uint"
	default:
		r.Enc = g.enc(id)
	}
	return r
}

// spellEncoders spells the encoders of integer results that do not
// travel in the status word: those of calls with several results. Spelled
// only where used, since spelling a type imports its package, and an
// unused import does not compile (an int type reached through an alias,
// protoreflect.FieldNumber = protowire.Number).
func (g *generator) spellEncoders(d *callData) {
	if len(d.Results) == 1 {
		return
	}
	for i := range d.Results {
		if r := &d.Results[i]; r.Enc == "" && r.Immediate != "" {
			r.Enc = g.enc(r.id)
		}
	}
}

func (g *generator) constructorFields(c *scan.Call) *fieldsData {
	fd := &fieldsData{Reader: "&c.In", GoName: goName(c.Recv.Go)}
	for _, f := range c.Fields {
		fd.Fields = append(fd.Fields, fieldData{Key: f.Name, Dec: g.dec(f.SetID), Target: "r0." + f.Name})
	}
	return fd
}

func callComment(c *scan.Call) string {
	switch c.Kind {
	case scan.CallFunction:
		if len(c.TypeArgs) > 0 {
			return c.Func.FullName() + " (instantiated)"
		}
		return c.Func.FullName()
	case scan.CallMethod, scan.CallInterfaceMethod, scan.CallValueMethod, scan.CallOpaqueMethod, scan.CallPointerValueMethod:
		return fmt.Sprintf("(%s).%s", c.Recv.Model.Go, c.Func.Name())
	case scan.CallFuncValue:
		return "call a " + c.Recv.Model.Go
	case scan.CallSeqIter:
		return "iterate a " + c.Recv.Model.Go
	case scan.CallSeqNext:
		return "next values of a " + c.Recv.Model.Go
	case scan.CallChanRecv, scan.CallChanSend, scan.CallChanClose:
		return fmt.Sprintf("%s on a %s", c.Model.Name, c.Recv.Model.Go)
	case scan.CallGetter:
		return fmt.Sprintf("field %s.%s", c.Recv.Model.Go, c.Field.Name)
	case scan.CallFieldSet:
		return fmt.Sprintf("assign field %s.%s", c.Recv.Model.Go, c.Field.Name)
	case scan.CallNew:
		return "new " + c.Recv.Model.Go
	case scan.CallVarGet:
		return "read " + c.Var.Pkg().Path() + "." + c.Var.Name()
	case scan.CallVarSet:
		return "assign " + c.Var.Pkg().Path() + "." + c.Var.Name()
	}
	return ""
}
