package scan

import (
	"go/types"

	"usegolib.local/shim/model"
)

// seqValues returns the types an iter.Seq[V] or iter.Seq2[K, V] yields.
func seqValues(t types.Type) ([]types.Type, bool) {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != "iter" {
		return nil, false
	}
	if name := named.Obj().Name(); name != "Seq" && name != "Seq2" {
		return nil, false
	}
	args := named.TypeArgs()
	values := make([]types.Type, args.Len())
	for i := range values {
		values[i] = args.At(i)
	}
	return values, true
}

// bridgeSeq makes an iterator handle iterable from Python: Iter gives a
// fresh handle on the same sequence (so that two loops over one value do
// not share a position) and Next pulls the next values, with iter.Pull,
// followed by whether there were any. The Python class turns the two into
// __iter__. Calling the sequence itself would need a callback (yield).
func (s *scanner) bridgeSeq(info *TypeInfo, values []types.Type) {
	for _, v := range values {
		if reason := s.unsupported(v); reason != "" {
			info.Model.Skipped = append(info.Model.Skipped, model.Skip{Name: "__iter__", Kind: "method", Reason: "yields " + reason})
			return
		}
	}
	info.Model.Yields = len(values)
	iterFn := &model.Func{Name: "Iter", Params: []model.Param{}, Results: []int{info.Model.ID}, Doc: "A fresh iteration of the sequence."}
	s.addCall(&Call{Kind: CallSeqIter, Model: iterFn, Recv: info})
	next := &model.Func{Name: "Next", Params: []model.Param{}, Doc: "The next values of the iteration, and whether there were any."}
	for _, v := range values {
		next.Results = append(next.Results, s.ref(v))
	}
	next.Results = append(next.Results, s.ref(types.Typ[types.Bool]))
	s.addCall(&Call{Kind: CallSeqNext, Model: next, Recv: info, TypeArgs: values})
	info.Model.Methods = append(info.Model.Methods, iterFn, next)
}

// bridgeChan gives a channel handle the operations its direction allows.
// Recv and Send take the call's context, so that they block until they
// can proceed or Python gives up (timeout=, Ctrl-C, cancellation) without
// losing a value; Python iterates with Recv until the channel is closed.
func (s *scanner) bridgeChan(info *TypeInfo) {
	ch := info.Go.Underlying().(*types.Chan)
	elem := ch.Elem()
	// The context parameter the calls get, for the signature's shape.
	ctx := types.NewParam(0, nil, "ctx", types.NewInterfaceType(nil, nil))
	value := types.NewParam(0, nil, "value", elem)
	results := func(ts ...types.Type) *types.Tuple {
		vars := make([]*types.Var, len(ts))
		for i, t := range ts {
			vars[i] = types.NewParam(0, nil, "", t)
		}
		return types.NewTuple(vars...)
	}
	add := func(kind CallKind, f *model.Func, params ...*types.Var) {
		sig := types.NewSignatureType(nil, nil, nil, types.NewTuple(params...), results(), false)
		s.addCall(&Call{Kind: kind, Model: f, Recv: info, Sig: sig, TypeArgs: []types.Type{elem}})
		info.Model.Methods = append(info.Model.Methods, f)
	}
	if ch.Dir() != types.SendOnly {
		add(CallChanRecv, &model.Func{
			Name: "Recv", Params: []model.Param{}, Results: []int{s.ref(elem), s.ref(types.Typ[types.Bool])},
			ReturnsError: true, Context: true,
			Doc: "Receive a value, waiting for one: (value, True), or (zero value, False) once the channel is closed and empty.",
		}, ctx)
	}
	if ch.Dir() != types.RecvOnly {
		add(CallChanSend, &model.Func{
			Name: "Send", Params: []model.Param{{Name: "value", Type: s.ref(elem)}}, Results: []int{},
			ReturnsError: true, Context: true, Doc: "Send a value, waiting until the channel takes it.",
		}, ctx, value)
		add(CallChanClose, &model.Func{
			Name: "Close", Params: []model.Param{}, Results: []int{}, Doc: "Close the channel (a closed channel panics).",
		})
	}
}
