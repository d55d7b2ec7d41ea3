package codec

import "strconv"

// TypeError reports that the next value has a different kind than the
// caller asked for. Want is a short word such as "int" or "str".
type TypeError struct {
	Want string
	Got  Kind
}

func (e *TypeError) Error() string {
	return "expected " + e.Want + ", got " + e.Got.String()
}

// OverflowError reports a value that does not fit the requested type. The
// Reader uses Type "int64", "uint64" or "float32"; callers narrowing further
// build their own with the narrower Go type name.
type OverflowError struct {
	Value string
	Type  string
}

func (e *OverflowError) Error() string {
	return "value " + e.Value + " out of range for " + e.Type
}

// FormatError reports malformed or truncated input. Pos is the offset of the
// value being decoded when the problem was found.
type FormatError struct {
	Pos int
	Msg string
}

func (e *FormatError) Error() string {
	return "msgpack: " + e.Msg + " at offset " + strconv.Itoa(e.Pos)
}

// Shared messages, so callers and tests can rely on stable wording.
const (
	msgEOF      = "unexpected end of input"
	msgReserved = "reserved type byte 0xc1"
	msgTooLarge = "header count exceeds remaining input"
	msgTooDeep  = "nesting deeper than MaxDepth"
)
