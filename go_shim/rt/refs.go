package rt

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"sync"

	"usegolib.local/shim/codec"
)

// A Ref (usegolib.Ref in Python) is a Go pointer Python holds across calls:
// Go APIs decode into a pointer the caller passes (Unmarshal(data, &v)),
// and Python reads what Go put there afterwards. The pointer (its box) is
// made on the first call that takes the Ref, of the type that call's
// parameter wants (*T for a *T, *M for a map M; for `any`, of the kind
// Python asked for), and lives until Python drops the Ref.
//
// ExtRef payload: token u64 (Python's name for the Ref), kind u8, type id
// i32 (RefType only), then the MessagePack initial value if any.
const ExtRef = 13

// Kinds of Refs: what a Ref passed where Go wants `any` points to.
const (
	RefAny   = 0 // *any
	RefMap   = 1 // *map[string]any
	RefList  = 2 // *[]any
	RefStr   = 3 // *string
	RefInt   = 4 // *int64
	RefFloat = 5 // *float64
	RefBool  = 6 // *bool
	RefBytes = 7 // *[]byte
	RefType  = 8 // *T of the module's record or class with that type id
)

var refs = struct {
	sync.Mutex
	boxes map[uint64]any
}{boxes: map[uint64]any{}}

// refFactory makes a *T of the module's type id, decoding init into it
// when there is one; set by the bridge.
var refFactory = func(typeID int, init *codec.Reader) (any, error) { return nil, NoRefType(typeID) }

// NoRefType reports a Ref of a type id the bridge cannot make.
func NoRefType(typeID int) error {
	return &ABIError{Msg: fmt.Sprintf("usegolib.Ref of type id %d: not a record or class of the module", typeID)}
}

// SetRefFactory installs the bridge's constructor of its types' pointers.
func SetRefFactory(f func(typeID int, init *codec.Reader) (any, error)) { refFactory = f }

type refArg struct {
	token  uint64
	kind   byte
	typeID int
	init   []byte // MessagePack, or empty
}

// isRef reads the next value as a Ref if it is one.
func isRef(r *codec.Reader) (refArg, bool, error) {
	if typ, ok := r.PeekExtType(); !ok || typ != ExtRef {
		return refArg{}, false, nil
	}
	_, data, err := r.ReadExt()
	if err != nil {
		return refArg{}, true, err
	}
	arg, err := parseRef(data)
	return arg, true, err
}

func parseRef(data []byte) (refArg, error) {
	if len(data) < 13 {
		return refArg{}, &ABIError{Msg: "malformed Ref"}
	}
	return refArg{
		token:  binary.BigEndian.Uint64(data),
		kind:   data[8],
		typeID: int(int32(binary.BigEndian.Uint32(data[9:]))),
		init:   data[13:],
	}, nil
}

// initReader reads the Ref's initial value, or nil when it has none.
func (a refArg) initReader() *codec.Reader {
	if len(a.init) == 0 {
		return nil
	}
	r := codec.NewReader(a.init)
	return &r
}

// box returns the Ref's pointer, made by make on first use.
func (a refArg) box(make func() (any, error)) (any, error) {
	refs.Lock()
	defer refs.Unlock()
	if p, ok := refs.boxes[a.token]; ok {
		return p, nil
	}
	p, err := make()
	if err != nil {
		return nil, err
	}
	refs.boxes[a.token] = p
	return p, nil
}

// DecodeRef decodes a Ref where Go wants a *T: the Ref's box, a new T (set
// from the Ref's initial value with dec) on first use. It reports false
// when the next value is not a Ref.
func DecodeRef[T any](r *codec.Reader, v **T, dec func(*codec.Reader, *T) error) (bool, error) {
	arg, ok, err := isRef(r)
	if !ok || err != nil {
		return ok, err
	}
	p, err := arg.box(func() (any, error) { return newRefBox(arg, dec) })
	if err != nil {
		return true, err
	}
	typed, ok := p.(*T)
	if !ok {
		return true, refMismatch(p, typed)
	}
	*v = typed
	return true, nil
}

// DecodeRefTarget decodes a Ref where Go wants a map or slice M by value:
// Go gets the box's M (a map made empty rather than nil), so its writes
// into the map, or into the slice's items, are what the Ref holds after.
func DecodeRefTarget[M any](r *codec.Reader, v *M, dec func(*codec.Reader, *M) error) (bool, error) {
	var p *M
	handled, err := DecodeRef(r, &p, func(r *codec.Reader, m *M) error { return dec(r, m) })
	if !handled || err != nil {
		return handled, err
	}
	if mv := reflect.ValueOf(p).Elem(); mv.Kind() == reflect.Map && mv.IsNil() {
		mv.Set(reflect.MakeMap(mv.Type())) // once: the box keeps it
	}
	*v = *p
	return true, nil
}

// newRefBox makes a Ref's *T, from its initial value when it has one.
func newRefBox[T any](arg refArg, dec func(*codec.Reader, *T) error) (any, error) {
	p := new(T)
	if init := arg.initReader(); init != nil {
		if err := dec(init, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func refMismatch(held any, want any) error {
	return &ConvError{Kind: KindType, Msg: fmt.Sprintf("the usegolib.Ref holds a Go %T (made by the first call it was passed to), Go wants %T here", held, want)}
}

// decodeAnyRef is a Ref inside `any`: Go gets the box itself, a pointer of
// the Ref's kind.
func decodeAnyRef(arg refArg) (any, error) {
	return arg.box(func() (any, error) {
		var init any
		if r := arg.initReader(); r != nil {
			var err error
			if arg.kind == RefType {
				return refFactory(arg.typeID, r)
			}
			if init, err = decodeAny(r, 0); err != nil {
				return nil, err
			}
		} else if arg.kind == RefType {
			return refFactory(arg.typeID, nil)
		}
		return newOfKind(arg.kind, init)
	})
}

// newOfKind makes a pointer of a Ref kind, to init when it has that type.
func newOfKind(kind byte, init any) (any, error) {
	switch kind {
	case RefAny:
		return &init, nil
	case RefMap:
		m, _ := init.(map[string]any)
		if m == nil {
			m = map[string]any{}
		}
		return &m, nil
	case RefList:
		return pointerTo[[]any](init), nil
	case RefStr:
		return pointerTo[string](init), nil
	case RefInt:
		return pointerTo[int64](init), nil
	case RefFloat:
		return pointerTo[float64](init), nil
	case RefBool:
		return pointerTo[bool](init), nil
	case RefBytes:
		return pointerTo[[]byte](init), nil
	}
	return nil, &ABIError{Msg: fmt.Sprintf("unknown Ref kind %d", kind)}
}

// pointerTo is a pointer to init when it is a T, else to T's zero value.
func pointerTo[T any](init any) *T {
	v, _ := init.(T)
	return &v
}

// refValue (builtin) encodes what a Ref points to: [true, value], or
// [false, nil] when no call has taken it yet. A pointer to one of the
// module's classes is its handle; anything else is the value pointed to.
func refValue(c *Call) error {
	token, err := refToken(c)
	if err != nil {
		return err
	}
	refs.Lock()
	p, ok := refs.boxes[token]
	refs.Unlock()
	c.Out = codec.AppendArrayHeader(c.Out, 2)
	c.Out = codec.AppendBool(c.Out, ok)
	if !ok {
		c.Out = codec.AppendNil(c.Out)
		return nil
	}
	if knownEncoder != nil {
		if out, ok := knownEncoder(c.Out, p); ok {
			c.Out = out
			return nil
		}
	}
	c.Out = EncodeAny(c.Out, reflect.ValueOf(p).Elem().Interface())
	return nil
}

// releaseRef (builtin) forgets a Ref Python dropped.
func releaseRef(c *Call) error {
	token, err := refToken(c)
	if err != nil {
		return err
	}
	refs.Lock()
	delete(refs.boxes, token)
	refs.Unlock()
	return nil
}

// refToken reads the one argument of the Ref builtins: a Ref's token.
func refToken(c *Call) (uint64, error) { return idArgs(c, 1, "Ref token") }

// refCount (builtin) counts live Refs, for leak checks.
func refCount(c *Call) error {
	if err := c.Args(0); err != nil {
		return err
	}
	refs.Lock()
	n := len(refs.boxes)
	refs.Unlock()
	c.ReturnInt(int64(n))
	return nil
}
