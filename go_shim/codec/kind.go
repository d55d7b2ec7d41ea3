package codec

import "strconv"

// Kind is the family of a MessagePack value, as seen from its first byte.
type Kind uint8

const (
	KindInvalid Kind = iota // end of input or the reserved byte 0xc1
	KindNil
	KindBool
	KindInt  // negative fixint or a signed (int8..int64) encoding
	KindUint // positive fixint or an unsigned (uint8..uint64) encoding
	KindFloat32
	KindFloat64
	KindStr
	KindBin
	KindArray
	KindMap
	KindExt
)

// String returns the word used in error messages shown to Python users,
// which is why both int kinds say "int" and both float kinds say "float".
func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindNil:
		return "nil"
	case KindBool:
		return "bool"
	case KindInt, KindUint:
		return "int"
	case KindFloat32, KindFloat64:
		return "float"
	case KindStr:
		return "str"
	case KindBin:
		return "bin"
	case KindArray:
		return "array"
	case KindMap:
		return "map"
	case KindExt:
		return "ext"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// kindOf maps a leading byte to its Kind; a table keeps NextKind branch-free.
var kindOf = func() (t [256]Kind) {
	for c := 0; c < 256; c++ {
		var k Kind
		switch {
		case c <= 0x7f:
			k = KindUint
		case c <= 0x8f:
			k = KindMap
		case c <= 0x9f:
			k = KindArray
		case c <= 0xbf:
			k = KindStr
		case c >= 0xe0:
			k = KindInt
		default:
			switch c {
			case 0xc0:
				k = KindNil
			case 0xc1:
				k = KindInvalid
			case 0xc2, 0xc3:
				k = KindBool
			case 0xc4, 0xc5, 0xc6:
				k = KindBin
			case 0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
				k = KindExt
			case 0xca:
				k = KindFloat32
			case 0xcb:
				k = KindFloat64
			case 0xcc, 0xcd, 0xce, 0xcf:
				k = KindUint
			case 0xd0, 0xd1, 0xd2, 0xd3:
				k = KindInt
			case 0xd9, 0xda, 0xdb:
				k = KindStr
			case 0xdc, 0xdd:
				k = KindArray
			case 0xde, 0xdf:
				k = KindMap
			}
		}
		t[c] = k
	}
	return t
}()
