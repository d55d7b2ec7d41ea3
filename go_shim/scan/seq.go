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
