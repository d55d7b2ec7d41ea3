package rt

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"usegolib.local/shim/codec"
)

// A handle is a Python object's claim on a Go value. The table keeps the
// value reachable for Go's garbage collector until Python releases it.
type handle struct {
	obj any // *T for classes, the interface value for interface classes
	// value returns the handle's value as T for a handle made from a T
	// rather than a *T, so that passing it as an interface keeps Go's value
	// semantics. nil for handles made from pointers.
	value func() any
	// onRelease runs when Python releases the handle: the end of the
	// context of the call that returned it (attachContext).
	onRelease func()
}

var handles = struct {
	sync.Mutex
	m    map[uint64]handle
	next uint64
}{m: map[uint64]handle{}}

// OpaqueClass is the class id of a handle whose Go type has no class of its
// own in the manifest (a dynamic type the module's API never names).
const OpaqueClass = 0xFFFFFFFF

func newHandle(h handle) uint64 {
	handles.Lock()
	handles.next++
	id := handles.next
	handles.m[id] = h
	handles.Unlock()
	return id
}

func lookupHandle(id uint64) (handle, bool) {
	handles.Lock()
	h, ok := handles.m[id]
	handles.Unlock()
	return h, ok
}

// ReleaseHandle drops Python's claim on a Go value, ending the iteration
// Python pulled through it, if any.
func ReleaseHandle(id uint64) {
	handles.Lock()
	h := handles.m[id]
	delete(handles.m, id)
	handles.Unlock()
	stopPull(id)
	if h.onRelease != nil {
		h.onRelease()
	}
}

// attachContext makes end, the end of a call's context, wait until Python
// has released every handle in the call's result: a Go function may keep
// using its context in what it returns (a channel fed by a goroutine, an
// iterator, a client). It returns false when the result holds no handle.
func attachContext(result []byte, end func()) bool {
	var ids []uint64
	handlesIn(result, func(id uint64) { ids = append(ids, id) })
	if len(ids) == 0 {
		return false
	}
	remaining := int64(len(ids))
	release := func() {
		if atomic.AddInt64(&remaining, -1) == 0 {
			end()
		}
	}
	handles.Lock()
	for _, id := range ids {
		h := handles.m[id]
		h.onRelease = release
		handles.m[id] = h
	}
	handles.Unlock()
	return true
}

// HandleCount is the number of live handles, for leak checks.
func HandleCount() int {
	handles.Lock()
	defer handles.Unlock()
	return len(handles.m)
}

// AppendHandle registers obj and appends its handle: ext ExtHandle with the
// class id and the handle id.
func AppendHandle(b []byte, class uint32, obj any, value func() any) []byte {
	id := newHandle(handle{obj: obj, value: value})
	b = codec.AppendExtHeader(b, ExtHandle, 12)
	b = binary.BigEndian.AppendUint32(b, class)
	return binary.BigEndian.AppendUint64(b, id)
}

// readHandle reads a handle argument: ext ExtHandle carrying the handle id.
func readHandle(r *codec.Reader) (handle, error) {
	typ, data, err := r.ReadExt()
	if err != nil || typ != ExtHandle || len(data) != 8 {
		if err == nil {
			err = TypeMismatch("a Go object handle", extName(typ))
		} else if k, kerr := r.NextKind(); kerr == nil {
			err = TypeMismatch("a Go object handle", pythonName(k))
		}
		return handle{}, err
	}
	return handleByID(binary.BigEndian.Uint64(data))
}

func handleByID(id uint64) (handle, error) {
	h, ok := lookupHandle(id)
	if !ok {
		return handle{}, Invalid(fmt.Sprintf("handle %d is closed or was never issued by this library", id))
	}
	return h, nil
}

// releaseHandlesIn releases every handle in a (possibly truncated) encoded
// result.
func releaseHandlesIn(b []byte) {
	extsIn(b, func(typ int8, data []byte) {
		switch {
		case typ == ExtHandle && len(data) == 12:
			ReleaseHandle(binary.BigEndian.Uint64(data[4:]))
		case typ == ExtBorrowed:
			releaseBorrowed(data)
		}
	})
}

// handlesIn calls each with the id of every handle in a (possibly
// truncated) encoded result.
func handlesIn(b []byte, each func(id uint64)) {
	extsIn(b, func(typ int8, data []byte) {
		if typ == ExtHandle && len(data) == 12 {
			each(binary.BigEndian.Uint64(data[4:]))
		}
	})
}

// extsIn calls each with every extension value in a (possibly truncated)
// encoded result, walking it token by token: container headers are
// stepped over, not skipped, so a cut-off container still yields the
// values before the cut.
func extsIn(b []byte, each func(typ int8, data []byte)) {
	r := codec.NewReader(b)
	for r.Remaining() > 0 {
		kind, err := r.NextKind()
		switch {
		case err != nil:
			return
		case kind == codec.KindArray:
			_, err = r.ReadArrayHeader()
		case kind == codec.KindMap:
			_, err = r.ReadMapHeader()
		case kind == codec.KindExt:
			var typ int8
			var data []byte
			if typ, data, err = r.ReadExt(); err == nil {
				each(typ, data)
			}
		default:
			err = r.Skip()
		}
		if err != nil {
			return
		}
	}
}

// EncodeHandlePtr appends a handle for a *T (None for nil).
func EncodeHandlePtr[T any](b []byte, v *T, class uint32) []byte {
	if v == nil {
		return codec.AppendNil(b)
	}
	return AppendHandle(b, class, v, nil)
}

// EncodeHandleInterior appends a handle for a field or variable holding a
// T: methods act on it in place, and where Go wants an interface (or any)
// the handle passes as a copy of the current value, as the field would in
// Go.
func EncodeHandleInterior[T any](b []byte, p *T, class uint32) []byte {
	return AppendHandle(b, class, p, func() any { return *p })
}

// EncodeHandleValue appends a handle for a T, boxed into a *T so that its
// pointer methods can be called on it.
func EncodeHandleValue[T any](b []byte, v T, class uint32) []byte {
	p := new(T)
	*p = v
	return AppendHandle(b, class, p, func() any { return *p })
}

// DecodeHandlePtr reads a handle (or None) where Go wants a *T.
func DecodeHandlePtr[T any](r *codec.Reader, v **T) error {
	if r.IsNil() {
		*v = nil
		return r.ReadNil()
	}
	if ok, err := DecodeRef(r, v, noRefInit[T]); ok {
		return err
	}
	h, err := readHandle(r)
	if err != nil {
		return err
	}
	p, ok := h.obj.(*T)
	if !ok {
		return handleMismatch[*T](h)
	}
	*v = p
	return nil
}

// noRefInit refuses an initial value for a Ref of a class: a class is
// made with its constructor, not from a Python value.
func noRefInit[T any](*codec.Reader, *T) error {
	return TypeMismatch("usegolib.Ref() of the class (no initial value) for Go *"+typeName[T](), "a Ref with a value")
}

// DecodeHandleValue reads a handle where Go wants a T: the value is copied,
// as Go copies a T passed by value.
func DecodeHandleValue[T any](r *codec.Reader, v *T) error {
	var p *T
	if err := DecodeHandlePtr(r, &p); err != nil {
		return err
	}
	if p == nil {
		return TypeMismatch("Go "+typeName[T](), "None")
	}
	*v = *p
	return nil
}

// DecodeInterface reads a handle (or None) where Go wants an interface I.
func DecodeInterface[I any](r *codec.Reader, v *I) error {
	if r.IsNil() {
		var zero I
		*v = zero
		return r.ReadNil()
	}
	h, err := readHandle(r)
	if err != nil {
		return err
	}
	if h.value != nil {
		if i, ok := h.value().(I); ok {
			*v = i
			return nil
		}
	}
	i, ok := h.obj.(I)
	if !ok {
		return handleMismatch[I](h)
	}
	*v = i
	return nil
}

func handleMismatch[T any](h handle) error {
	return &ConvError{Kind: KindType, Msg: fmt.Sprintf("expected a handle of Go type %s, got %s", typeName[T](), fmt.Sprintf("%T", h.goValue()))}
}

// goValue is the Go value behind the handle, as Go code passed it: the T
// for a handle made from a T, else the object.
func (h handle) goValue() any {
	if h.value != nil {
		return h.value()
	}
	return h.obj
}

func typeName[T any]() string {
	return fmt.Sprintf("%T", (*T)(nil))[1:]
}

// Receiver reads the receiver of a method call: a bare handle id.
func Receiver[T any](c *Call) (*T, error) {
	h, err := receiverHandle(c)
	if err != nil {
		return nil, err
	}
	p, ok := h.obj.(*T)
	if !ok {
		return nil, Param(handleMismatch[*T](h), "self")
	}
	return p, nil
}

// InterfaceReceiver reads the receiver of an interface method call.
func InterfaceReceiver[I any](c *Call) (I, error) {
	h, err := receiverHandle(c)
	if err != nil {
		var zero I
		return zero, err
	}
	i, ok := h.obj.(I)
	if !ok {
		return i, Param(handleMismatch[I](h), "self")
	}
	return i, nil
}

func receiverHandle(c *Call) (handle, error) {
	id, err := c.In.ReadUint64()
	if err != nil {
		return handle{}, &ABIError{Msg: "method receiver must be a handle id: " + err.Error()}
	}
	h, err := handleByID(id)
	if err != nil {
		return handle{}, Param(err, "self")
	}
	return h, nil
}

// pinned keeps big results alive and fixed in memory while Python reads
// them, keyed by an id that is never reused, so that releasing twice is
// harmless even when Go has reused the address.
var pinned = struct {
	sync.Mutex
	m    map[uint64]pinnedResult
	next uint64
}{m: map[uint64]pinnedResult{}}

type pinnedResult struct {
	pinner *runtime.Pinner
	data   []byte
}

// pinResult pins b (not empty) and returns its address and release id.
func pinResult(b []byte) (uintptr, uint64) {
	p := new(runtime.Pinner)
	p.Pin(&b[0])
	addr := uintptr(unsafe.Pointer(&b[0]))
	pinned.Lock()
	pinned.next++
	id := pinned.next
	pinned.m[id] = pinnedResult{p, b}
	pinned.Unlock()
	return addr, id
}

// ReleaseResult unpins a big result once Python has read it.
func ReleaseResult(id uint64) {
	pinned.Lock()
	p, ok := pinned.m[id]
	delete(pinned.m, id)
	pinned.Unlock()
	if ok {
		p.pinner.Unpin()
	}
}
