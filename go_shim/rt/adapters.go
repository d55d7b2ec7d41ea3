package rt

import (
	"math"
	"math/big"
	"net"
	"net/netip"

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
	return codec.AppendExt(b, ExtBigFloat, []byte(v.Text('g', -1)))
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
// every digit of it.
func parseBigFloat(text []byte) (*big.Float, error) {
	x, _, err := big.ParseFloat(string(text), 10, uint(max(64, len(text)*4)), big.ToNearestEven)
	if err != nil {
		return nil, Invalid("not a big.Float value: " + string(text))
	}
	return x, nil
}

// EncodeIP appends a net.IP as ExtIP (None for nil); an IPv4 address held
// in 16 bytes travels as 4.
func EncodeIP(b []byte, v net.IP) []byte {
	if v == nil {
		return codec.AppendNil(b)
	}
	if v4 := v.To4(); v4 != nil {
		v = v4
	}
	return codec.AppendExt(b, ExtIP, v)
}

// DecodeIP reads an ipaddress object (or None) into a net.IP.
func DecodeIP(r *codec.Reader, v *net.IP) error {
	if r.IsNil() {
		*v = nil
		return r.ReadNil()
	}
	addr, err := readAddr(r)
	if err != nil {
		return err
	}
	*v = net.IP(addr.AsSlice())
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
