package scan

import (
	"go/constant"
	"go/token"
	"reflect"
	"testing"

	"usegolib.local/shim/model"
)

func TestFloatConstantsStayExactBeyondFloat64(t *testing.T) {
	third := constant.BinaryOp(constant.MakeInt64(1), token.QUO, constant.MakeFloat64(3))
	tiny := constant.BinaryOp(constant.MakeFromLiteral("1e-400", token.FLOAT, 0), token.QUO, constant.MakeInt64(3))
	for _, tc := range []struct {
		value constant.Value
		want  model.ConstValue
	}{
		{constant.MakeFromLiteral("2.5", token.FLOAT, 0), model.ConstValue{Kind: "float", Text: "2.5"}},
		{third, model.ConstValue{Kind: "float", Text: "0.3333333333333333"}}, // rounded, as Go code gets it
		{constant.MakeFromLiteral("0.0", token.FLOAT, 0), model.ConstValue{Kind: "float", Text: "0"}},
		{constant.MakeFromLiteral("1e400", token.FLOAT, 0), model.ConstValue{Kind: "decimal", Text: "1e400"}},
		{constant.MakeFromLiteral("-12.5e400", token.FLOAT, 0), model.ConstValue{Kind: "decimal", Text: "-125e399"}},
		{constant.MakeFromLiteral("1e-400", token.FLOAT, 0), model.ConstValue{Kind: "decimal", Text: "1e-400"}},
		{constant.MakeFromLiteral("1e5000", token.FLOAT, 0), model.ConstValue{Kind: "decimal", Text: "1e+5000"}},
	} {
		if got := constValue(tc.value); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("constValue(%s) = %+v, want %+v", tc.value, got, tc.want)
		}
	}
	// A nonzero value that underflows and has no finite decimal expansion:
	// the digits that identify it at 512 bits.
	got := constValue(tiny)
	if got.Kind != "decimal" || len(got.Text) < 150 || got.Text[:6] != "3.3333" || got.Text[len(got.Text)-5:] != "e-401" {
		t.Errorf("constValue(1e-400/3) = %+v", got)
	}
}

func TestConstructorFieldsRecordTheTypeTheySet(t *testing.T) {
	res := scanShapes(t)
	outer := typeNamed(t, res, "example.com/shapes.Outer", model.KindClass)
	set := map[string]string{}
	for _, f := range outer.Fields {
		if f.Set != nil {
			set[f.Name] = res.Manifest.Types[*f.Set].Go
		}
	}
	// Deep lives behind the embedded pointer, which may be nil: not settable.
	want := map[string]string{"Inner": "*example.com/shapes.Inner", "Own": "int"}
	if !reflect.DeepEqual(set, want) {
		t.Errorf("settable fields = %v, want %v", set, want)
	}
}
