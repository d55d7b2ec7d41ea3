package scan

import (
	"go/constant"
	"go/types"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"usegolib.local/shim/model"
)

// addConst records an exported constant with its exact value. An untyped
// constant takes its default type (int, float64, rune, string, bool,
// complex128); its value stays exact even when that type could not hold it
// (1 << 100 is a Python int). A constant of a type the bridge cannot name
// takes the type's basic underlying type.
func (s *scanner) addConst(pkg *model.Package, c *types.Const) {
	t := types.Default(c.Type())
	if s.unsupported(t) != "" {
		t = types.Default(t.Underlying())
	}
	pkg.Constants = append(pkg.Constants, &model.Const{
		Name:  c.Name(),
		Type:  s.ref(t),
		Value: constValue(c.Val()),
		Doc:   s.docs[pkg.Path][c.Name()],
	})
}

func constValue(v constant.Value) model.ConstValue {
	switch v.Kind() {
	case constant.Bool:
		return model.ConstValue{Kind: "bool", Text: strconv.FormatBool(constant.BoolVal(v))}
	case constant.String:
		text := constant.StringVal(v)
		if !utf8.ValidString(text) {
			return model.ConstValue{Kind: "string", Bytes: []byte(text)}
		}
		return model.ConstValue{Kind: "string", Text: text}
	case constant.Int:
		return model.ConstValue{Kind: "int", Text: v.ExactString()}
	case constant.Float:
		return floatValue(v)
	case constant.Complex:
		return model.ConstValue{Kind: "complex", Real: floatText(constant.Real(v)), Imag: floatText(constant.Imag(v))}
	}
	return model.ConstValue{Kind: "unknown"}
}

// floatText spells a float constant as the nearest float64.
func floatText(v constant.Value) string {
	f, _ := constant.Float64Val(constant.ToFloat(v))
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// floatValue is a float constant as the nearest float64, or as a decimal
// (a Python Decimal) where float64 would lose it: beyond float64's range,
// where the nearest float64 is infinite, or so small that it is zero. A
// float64 that is merely rounded is what Go code using the constant gets.
func floatValue(v constant.Value) model.ConstValue {
	f, _ := constant.Float64Val(v)
	if !math.IsInf(f, 0) && (f != 0 || constant.Sign(v) == 0) {
		return model.ConstValue{Kind: "float", Text: strconv.FormatFloat(f, 'g', -1, 64)}
	}
	return model.ConstValue{Kind: "decimal", Text: decimalText(v)}
}

// decimalText spells a float constant in decimal: exactly when its decimal
// expansion ends (every literal's does), else with the digits that identify
// it at the 512 bits go/constant computes with.
func decimalText(v constant.Value) string {
	switch x := constant.Val(v).(type) {
	case *big.Rat:
		if text, ok := ratDecimal(x); ok {
			return text
		}
		return new(big.Float).SetPrec(512).SetRat(x).Text('g', -1)
	case *big.Float:
		return x.Text('g', -1)
	}
	return constant.ToInt(v).ExactString() // not reached: Val of a float is one of the above
}

// ratDecimal spells r exactly as digits and a power of ten, when its
// denominator has no prime factors but 2 and 5.
func ratDecimal(r *big.Rat) (string, bool) {
	den := new(big.Int).Set(r.Denom())
	twos := den.TrailingZeroBits()
	den.Rsh(den, twos)
	fives, five, q, m := uint(0), big.NewInt(5), new(big.Int), new(big.Int)
	for den.Cmp(five) >= 0 {
		if q.QuoRem(den, five, m); m.Sign() != 0 {
			break
		}
		den.Set(q)
		fives++
	}
	if den.Cmp(big.NewInt(1)) != 0 {
		return "", false
	}
	places := max(twos, fives)
	digits := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	digits.Mul(digits, r.Num()).Quo(digits, r.Denom())
	text := digits.String()
	trimmed := strings.TrimRight(text, "0")
	return trimmed + "e" + strconv.Itoa(len(text)-len(trimmed)-int(places)), true
}

// addVariable bridges an exported package variable: a getter, and a setter
// where Python can supply the type. A variable of a class held by value is
// read as a handle to the variable itself, like a struct-valued field.
func (s *scanner) addVariable(pkg *model.Package, v *types.Var) {
	t := v.Type()
	if reason := s.unsupported(t); reason != "" {
		pkg.Skipped = append(pkg.Skipped, model.Skip{Name: v.Name(), Kind: "variable", Reason: reason})
		return
	}
	interior := false
	if named, ok := types.Unalias(t).(*types.Named); ok && s.isClass(named) {
		t, interior = types.NewPointer(named), true
	}
	typeID := s.ref(t)
	getter := &model.Func{Name: v.Name(), Params: []model.Param{}, Results: []int{typeID}}
	s.addCall(&Call{Kind: CallVarGet, Model: getter, Var: v, Field: &ClassField{Name: v.Name(), Interior: interior, TypeID: typeID}})
	out := &model.Variable{Name: v.Name(), Type: typeID, Get: getter.ID, Doc: s.docs[pkg.Path][v.Name()]}
	if !interior {
		setter := &model.Func{Name: v.Name(), Params: []model.Param{{Name: "value", Type: typeID}}, Results: []int{}}
		s.addCall(&Call{Kind: CallVarSet, Model: setter, Var: v})
		out.Set = intPtr(setter.ID)
	}
	pkg.Variables = append(pkg.Variables, out)
}

// namedClass bridges the methods of a named non-struct type (type Weekday
// int): values stay their underlying Python value (SPEC §2), and a class
// named after the type carries the methods, called with the value as
// receiver. Methods with pointer receivers would change a copy Python
// cannot see, so they write the changed copy back (model.Func.WritesBack).
// No exported methods, no class.
func (s *scanner) namedClass(t *types.Named) (int, bool) {
	values := types.NewMethodSet(t)
	pointers := types.NewMethodSet(types.NewPointer(t))
	exported := 0
	for i := 0; i < pointers.Len(); i++ {
		if pointers.At(i).Obj().Exported() {
			exported++
		}
	}
	if exported == 0 {
		return 0, false
	}
	valueID := s.ref(t)
	info := s.add("named:"+typeKey(t), t, &model.Type{
		Kind: model.KindNamed, Go: typeKey(t), Name: displayName(t), Package: t.Obj().Pkg().Path(),
		Doc: s.typeDoc(t.Obj()), Elem: intPtr(valueID),
	})
	s.types[valueID].Model.Class = intPtr(info.Model.ID)
	for i := 0; i < pointers.Len(); i++ {
		m := pointers.At(i).Obj().(*types.Func)
		switch {
		case !m.Exported():
		case values.Lookup(m.Pkg(), m.Name()) == nil:
			if f := s.bridgeMethod(info, t.Obj(), m, CallPointerValueMethod); f != nil {
				f.WritesBack = true
			}
		default:
			s.bridgeMethod(info, t.Obj(), m, CallValueMethod)
		}
	}
	return info.Model.ID, true
}
