// Package model is the schema of a bridged module: what the scanner finds,
// what the generator turns into Go code, and what the Python runtime reads
// from manifest.json. Python depends on these JSON names; change them only
// together with the manifest version (docs/versioning.md).
package model

// Kind names a family of Go types that convert the same way.
type Kind string

// The kinds a type entry can have. See docs/type-mapping.md.
const (
	KindBool      Kind = "bool"
	KindInt       Kind = "int"  // signed integers
	KindUint      Kind = "uint" // unsigned integers, uintptr
	KindFloat     Kind = "float"
	KindComplex   Kind = "complex"
	KindString    Kind = "string"
	KindBytes     Kind = "bytes" // []byte, or [N]byte when Len is set
	KindList      Kind = "list"  // []T, or [N]T when Len is set
	KindMap       Kind = "map"
	KindOptional  Kind = "optional" // *T for a data T: the value or None
	KindRecord    Kind = "record"   // plain data struct, a dict in Python
	KindClass     Kind = "class"    // a struct type with methods or hidden state
	KindHandle    Kind = "handle"   // a reference to a class: T or *T
	KindInterface Kind = "interface"
	KindNamed     Kind = "named" // a named non-struct type's methods: a class over its value
	KindAny       Kind = "any"
	// KindFunc is a Go func value held as a handle; the entry is also the
	// class, whose Call method calls it.
	KindFunc Kind = "func"
	// KindChan is a channel held as a handle, of a class with Recv (and
	// Python iteration) when it can receive, Send and Close when it can send.
	KindChan Kind = "chan"
	// KindOpaque is a handle of a type generated code cannot name (an
	// unexported or internal type); the entry is also the class.
	KindOpaque   Kind = "opaque"
	KindTime     Kind = "time"
	KindDuration Kind = "duration"
	KindBigInt   Kind = "bigint"   // math/big.Int (Pointer: *big.Int)
	KindBigFloat Kind = "bigfloat" // math/big.Float (Pointer: *big.Float)
	KindUUID     Kind = "uuid"     // github.com/google/uuid.UUID
	KindIP       Kind = "ip"       // net.IP, net/netip.Addr
)

// Manifest is the part of manifest.json the generator writes; the Python
// builder adds the build facts (versions, hashes, platform) around it.
type Manifest struct {
	Module    string     `json:"module"`
	Packages  []*Package `json:"packages"`
	Types     []*Type    `json:"types"`
	CallCount int        `json:"call_count"`
	// SkippedPackages are packages of the module left out whole (Name the
	// import path, Kind one of the LeftOut kinds).
	SkippedPackages []Skip `json:"skipped_packages"`
}

// Why a package of the module is left out (Skip.Kind of SkippedPackages).
// Commands and test-only folders have nothing to import; a broken package,
// or one built for other platforms only, is an error to import.
const (
	LeftOutCommand  = "command"
	LeftOutTests    = "tests"
	LeftOutPlatform = "platform"
	LeftOutBroken   = "broken"
)

// Package is one importable Go package of the module.
type Package struct {
	Path      string  `json:"path"`
	Name      string  `json:"name"`
	Doc       string  `json:"doc,omitempty"`
	Functions []*Func `json:"functions"`
	// Types lists the ids of the classes, records and interfaces declared in
	// this package, which Python exposes as attributes of the package.
	Types     []int       `json:"types"`
	Constants []*Const    `json:"constants"`
	Variables []*Variable `json:"variables"`
	Generics  []*Generic  `json:"generics"`
	Skipped   []Skip      `json:"skipped"`
	// Errors are the package's exported error variables (var ErrX =
	// errors.New(...)): Python raises an exception class of each name for
	// a returned error that Is the variable.
	Errors []*ErrorVar `json:"errors,omitempty"`
	// API names every exported function ("F") and method ("T.M") a Go user
	// of the package can call, bridged or not: the measure of coverage.
	API []string `json:"api"`
}

// ErrorVar is an exported error variable. ID indexes the bridge's list of
// the module's error variables, which a returned error is matched against.
type ErrorVar struct {
	Name string `json:"name"`
	ID   int    `json:"id"`
	Doc  string `json:"doc,omitempty"`
}

// Generic is an instantiation of a generic function or type, requested at
// build time: Python reaches it with h.generic(Name, TypeArgs).
type Generic struct {
	Name     string   `json:"name"`
	TypeArgs []string `json:"type_args"`
	Function *Func    `json:"function,omitempty"`
	Type     *int     `json:"type,omitempty"` // a record, class (or other type) id
}

// Const is an exported constant, with its value computed at build time.
type Const struct {
	Name  string     `json:"name"`
	Type  int        `json:"type"`
	Value ConstValue `json:"value"`
	Doc   string     `json:"doc,omitempty"`
}

// ConstValue is a constant's exact value. Kind is bool, int, float, string,
// complex, or decimal for a float constant that float64 would turn into
// infinity or zero; Text is its decimal (or literal) spelling, except for
// strings that are not UTF-8, which are in Bytes, and complex numbers, in
// Real and Imag.
type ConstValue struct {
	Kind  string `json:"kind"`
	Text  string `json:"text,omitempty"`
	Bytes []byte `json:"bytes,omitempty"`
	Real  string `json:"real,omitempty"`
	Imag  string `json:"imag,omitempty"`
}

// Variable is an exported package variable, read (and set) through call
// table slots so that Python always sees its current value.
type Variable struct {
	Name string `json:"name"`
	Type int    `json:"type"`
	Get  int    `json:"get"`
	Set  *int   `json:"set,omitempty"`
	Doc  string `json:"doc,omitempty"`
}

// Func is a bridged function, method, field getter or constructor: one slot
// of the call table.
type Func struct {
	Name         string  `json:"name"`
	ID           int     `json:"id"`
	Doc          string  `json:"doc,omitempty"`
	Params       []Param `json:"params"`
	Results      []int   `json:"results"`
	Variadic     bool    `json:"variadic,omitempty"`
	ReturnsError bool    `json:"returns_error,omitempty"`
	// WritesBack marks a pointer-receiver method of a named value type: Go
	// changes a copy of the receiver, and the call returns that copy's new
	// value after the method's own results, for Python to store.
	WritesBack bool `json:"writes_back,omitempty"`
	// Context marks a Go function whose first parameter, a context.Context,
	// is made by the call: Python passes [context id, timeout] before the
	// arguments (and before a receiver) instead.
	Context bool `json:"context,omitempty"`
	// Fast: the call also has a fast-args slot (usegolib_call_fast), which
	// takes each argument as C holds it: one letter per parameter, "s" a
	// str, "b" bytes, "?" a bool, "f" a float, "i" an int (docs/abi.md).
	Fast string `json:"fast,omitempty"`
}

// Param is a parameter: its Python keyword name and type id.
type Param struct {
	Name string `json:"name"`
	Type int    `json:"type"`
	// Shared: a []byte or numbers parameter the function does not keep
	// (escape analysis proves it), which takes a writable buffer's memory
	// in place (rt/shared.go).
	Shared bool `json:"shared,omitempty"`
	// Borrowed: a string or []byte parameter of a plain function that keeps
	// it nowhere but in its results and never writes through it
	// (scan/borrow.go): its fast-args slot takes Python's memory itself.
	Borrowed bool `json:"borrowed,omitempty"`
}

// Skip records a symbol that was not bridged and why, so that users see the
// reason instead of a silent gap.
type Skip struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

// Type is one entry of the type table. Which fields are set depends on Kind.
type Type struct {
	ID   int    `json:"id"`
	Kind Kind   `json:"kind"`
	Go   string `json:"go"` // the Go type, package paths spelled out

	Name    string `json:"name,omitempty"`    // named types: the bare name
	Package string `json:"package,omitempty"` // named types: the package path
	Doc     string `json:"doc,omitempty"`

	// Error marks a class whose values are Go errors (*T implements
	// error): Python raises an exception class of its name for a returned
	// error that holds one in its chain.
	Error bool `json:"error,omitempty"`
	// Stream marks an interface a Python file object can stand for: made
	// only of io methods (Read, Write, Close…; rt.PyStream).
	Stream bool `json:"stream,omitempty"`

	Bits int  `json:"bits,omitempty"` // int, uint, float, complex
	Elem *int `json:"elem,omitempty"` // list, bytes(array), map, optional
	Key  *int `json:"key,omitempty"`  // map
	Len  *int `json:"len,omitempty"`  // arrays
	// Numbers marks a slice of plain numbers, which crosses as memory
	// (ExtNumbers) and takes arrays and buffers from Python.
	Numbers bool `json:"numbers,omitempty"`

	Fields []Field `json:"fields,omitempty"` // record keys, or class attributes

	Class   *int `json:"class,omitempty"`   // handle: its class; value kinds: their named class, if any
	Pointer bool `json:"pointer,omitempty"` // handles, big numbers: Go wants *T rather than T

	// Yields is, for iter.Seq (1) and iter.Seq2 (2), how many values each
	// step yields: Python iterates the handle.
	Yields int `json:"yields,omitempty"`

	Methods []*Func `json:"methods,omitempty"` // class, interface
	New     *int    `json:"new,omitempty"`     // class: constructor call id
	Skipped []Skip  `json:"skipped,omitempty"` // class, interface: methods and fields left out
}

// Field is a record key or a readable class attribute.
type Field struct {
	Name   string `json:"name"`             // Python key or attribute name
	GoName string `json:"go_name"`          // the Go field name
	Type   int    `json:"type"`             // type id
	Getter *int   `json:"getter,omitempty"` // class fields: call id of the getter
	// Set is, for a class field the constructor takes as a keyword, the type
	// id of the value it accepts (a class held by value is set by value).
	Set *int `json:"set,omitempty"`
	// Setter is the call id assigning the field (value of type Set), on
	// the handle: the class field is settable from Python.
	Setter *int `json:"setter,omitempty"`
}
