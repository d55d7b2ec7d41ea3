package rt

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"sort"
	"strconv"

	"usegolib.local/shim/codec"
)

// Codecs of the adapters of package adapt that are not basic enough for
// ext.go: big floats and IP addresses.

// EncodeBigFloat appends a *big.Float as ExtBigFloat: its shortest decimal
// text that reads back to the same value at its precision (None for nil).
func EncodeBigFloat(b []byte, v *big.Float) []byte {
	if v == nil {
		return codec.AppendNil(b)
	}
	return codec.AppendExt(b, ExtBigFloat, []byte(bigFloatText(v)))
}

// hugeExp is the binary exponent beyond which Text('g', -1) is slow: it
// works on the exact value, a number of about exp bits (a second at 2**3e6,
// hours near big.Float's limit of 2**(2**31)).
const hugeExp = 1 << 17

// bigFloatText is the shortest decimal that reads back to v at its
// precision.
func bigFloatText(v *big.Float) string {
	if exp := v.MantExp(nil); v.IsInf() || v.Sign() == 0 || (exp > -hugeExp && exp < hugeExp) {
		return v.Text('g', -1)
	}
	return hugeText(v)
}

// hugeText is bigFloatText for a huge or tiny v: its digits come from v
// scaled by a power of ten computed with 128 bits to spare, and the shortest
// of them that reads back to v is found by trying.
func hugeText(v *big.Float) string {
	prec := v.Prec()
	most := int(math.Ceil(float64(prec)*math.Log10(2))) + 2 // enough to read back, always
	mant := new(big.Float)
	exp2 := v.MantExp(mant)
	m, _ := mant.Float64()
	scale := int(math.Floor((float64(exp2)+math.Log2(math.Abs(m)))*math.Log10(2))) - most + 1
	// y = |v| / 10**scale, as / 5**scale / 2**scale: 10**scale itself may
	// be beyond big.Float's exponents when v is tiny.
	y := new(big.Float).SetPrec(prec + 128).Abs(v)
	if scale >= 0 {
		y.Quo(y, pow5(scale, prec+128))
	} else {
		y.Mul(y, pow5(-scale, prec+128))
	}
	y.SetMantExp(y, -scale)
	digits, _ := y.Add(y, big.NewFloat(0.5)).Int(nil)
	all := len(digits.String())
	sign := ""
	if v.Sign() < 0 {
		sign = "-"
	}
	spell := func(n int) string { // digits rounded to n of them
		cut := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(all-n)), nil)
		q, r := new(big.Int).QuoRem(digits, cut, new(big.Int))
		if r.Lsh(r, 1).Cmp(cut) >= 0 {
			q.Add(q, big.NewInt(1))
		}
		return sign + q.String() + "e" + strconv.Itoa(scale+all-n)
	}
	n := sort.Search(all, func(i int) bool {
		x, _, err := big.ParseFloat(spell(i+1), 10, prec, big.ToNearestEven)
		return err == nil && x.Cmp(v) == 0
	})
	return spell(min(n+1, all))
}

// pow5 is 5**k (k >= 0) at the given precision, by squaring.
func pow5(k int, prec uint) *big.Float {
	z := new(big.Float).SetPrec(prec).SetInt64(1)
	f := new(big.Float).SetPrec(prec).SetInt64(5)
	for n := k; n > 0; n >>= 1 {
		if n&1 != 0 {
			z.Mul(z, f)
		}
		f.Mul(f, f)
	}
	return z
}

// EncodeBigFloatValue appends a big.Float held by value.
func EncodeBigFloatValue(b []byte, v big.Float) []byte { return EncodeBigFloat(b, &v) }

// DecodeBigFloat reads a Decimal, float or int (or None) into a *big.Float.
func DecodeBigFloat(r *codec.Reader, v **big.Float) error {
	if r.IsNil() {
		*v = nil
		return r.ReadNil()
	}
	x, err := readBigFloat(r)
	if err != nil {
		return err
	}
	*v = x
	return nil
}

// DecodeBigFloatValue reads a number into a big.Float held by value.
func DecodeBigFloatValue(r *codec.Reader, v *big.Float) error {
	x, err := readBigFloat(r)
	if err != nil {
		return err
	}
	v.Set(x)
	return nil
}

// readBigFloat takes a Python float exactly (53 bits), an int exactly, and
// a Decimal's text with enough bits for all its digits.
func readBigFloat(r *codec.Reader) (*big.Float, error) {
	if huge, ok := bigArgument(r); ok {
		return new(big.Float).SetPrec(uint(max(64, huge.BitLen()))).SetInt(huge), nil
	}
	if i, err := r.ReadInt64(); err == nil {
		return new(big.Float).SetPrec(64).SetInt64(i), nil
	}
	if u, err := r.ReadUint64(); err == nil {
		return new(big.Float).SetPrec(64).SetUint64(u), nil
	}
	if f, err := r.ReadFloat64(); err == nil {
		if math.IsNaN(f) {
			return nil, Invalid("NaN has no big.Float value")
		}
		return big.NewFloat(f), nil
	}
	data, err := readExt(r, ExtBigFloat, -1, "decimal.Decimal")
	if err != nil {
		return nil, err
	}
	return parseBigFloat(data)
}

// parseBigFloat reads decimal text with 4 bits per character, enough for
// every digit of it. big.Float's binary exponent stops at ±2**31 (decimal
// exponents near ±646456992); ParseFloat turns a number beyond that into
// ±Inf or 0 without saying so, which would be a different value.
func parseBigFloat(text []byte) (*big.Float, error) {
	x, _, err := big.ParseFloat(string(text), 10, uint(max(64, len(text)*4)), big.ToNearestEven)
	if err != nil {
		return nil, Invalid("not a big.Float value: " + string(text))
	}
	infinite := bytes.Contains(text, []byte("Inf"))
	mantissa, _, _ := bytes.Cut(bytes.ToLower(text), []byte("e"))
	if x.IsInf() != infinite || (x.Sign() == 0 && bytes.ContainsAny(mantissa, "123456789")) {
		return nil, Overflow(string(text), "big.Float (binary exponents within ±2**31)")
	}
	return x, nil
}

// EncodeIP appends a net.IP as ExtIP; an IPv4 address held in 16 bytes
// travels as 4 (as net.IP.To4 gives it). As in Go's own MarshalText, an
// empty net.IP is no address (None, like nil), and one of another length
// than 4 or 16 is not an IP address: it travels as invalidIP says, and
// Python refuses it. Generic over the byte slice, so that the runtime
// does not import package net: its resolver is C code (cgo), whose
// compilation every build of a library that links net pays for.
func EncodeIP[T ~[]byte](b []byte, v T) []byte {
	if len(v) == 0 {
		return codec.AppendNil(b)
	}
	addr, ok := netip.AddrFromSlice(v)
	if !ok {
		return codec.AppendExt(b, ExtIP, invalidIP(v))
	}
	if addr = addr.Unmap(); addr.Is4() {
		v4 := addr.As4()
		return codec.AppendExt(b, ExtIP, v4[:])
	}
	return codec.AppendExt(b, ExtIP, v)
}

// invalidIP spells a net.IP of a wrong length like its String() does, "?"
// and hex, cut so that the payload stays shorter than 16 bytes and is not 4
// bytes long: no address (4 or 16 bytes, then a zone) is.
func invalidIP[T ~[]byte](v T) []byte {
	const whole = 7 // bytes of hex that fit in 15 bytes after the "?"
	if len(v) <= whole {
		return []byte("?" + hex.EncodeToString([]byte(v)))
	}
	return []byte("?" + hex.EncodeToString([]byte(v[:whole-2])) + "...")
}

// DecodeIP reads an ipaddress object (or None) into a net.IP. A net.IP has
// no IPv6 zone, so an address with one is refused rather than cut.
func DecodeIP[T ~[]byte](r *codec.Reader, v *T) error {
	if r.IsNil() {
		*v = nil
		return r.ReadNil()
	}
	addr, err := readAddr(r)
	if err != nil {
		return err
	}
	if addr.Zone() != "" {
		return Invalid(fmt.Sprintf("Go net.IP cannot hold the IPv6 zone %q; pass the address without its scope_id, or take a netip.Addr in Go", addr.Zone()))
	}
	*v = T(addr.AsSlice())
	return nil
}

// EncodeAddr appends a netip.Addr as ExtIP: the address bytes, then the
// IPv6 zone if any (None for the zero Addr).
func EncodeAddr(b []byte, v netip.Addr) []byte {
	if !v.IsValid() {
		return codec.AppendNil(b)
	}
	return codec.AppendExt(b, ExtIP, append(v.AsSlice(), v.Zone()...))
}

// DecodeAddr reads an ipaddress object (or None, the zero Addr).
func DecodeAddr(r *codec.Reader, v *netip.Addr) error {
	if r.IsNil() {
		*v = netip.Addr{}
		return r.ReadNil()
	}
	addr, err := readAddr(r)
	if err != nil {
		return err
	}
	*v = addr
	return nil
}

func readAddr(r *codec.Reader) (netip.Addr, error) {
	data, err := readExt(r, ExtIP, -1, "ipaddress.IPv4Address or IPv6Address")
	if err != nil {
		return netip.Addr{}, err
	}
	switch {
	case len(data) == 4:
		return netip.AddrFrom4([4]byte(data)), nil
	case len(data) >= 16:
		return netip.AddrFrom16([16]byte(data[:16])).WithZone(string(data[16:])), nil
	}
	return netip.Addr{}, Invalid("malformed IP address")
}
