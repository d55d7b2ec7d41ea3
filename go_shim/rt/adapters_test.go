package rt

import (
	"bytes"
	"errors"
	"go/parser"
	"go/token"
	"math/big"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"

	"usegolib.local/shim/codec"
)

func TestBigFloatsBeyondTheExponentRangeOverflow(t *testing.T) {
	for _, text := range []string{"1E+999999999", "-1E+999999999", "1E-999999999", "-2.5E-700000000"} {
		_, err := parseBigFloat([]byte(text))
		var ce *ConvError
		if !errors.As(err, &ce) || ce.Kind != KindOverflow || !strings.Contains(ce.Msg, text) {
			t.Errorf("parseBigFloat(%s) = %v, want an overflow error", text, err)
		}
	}
	// Near the limits: finite and nonzero (formatting them would take long).
	for _, text := range []string{"1E+646456992", "-1E-646456992"} {
		x, err := parseBigFloat([]byte(text))
		if err != nil || x.IsInf() || x.Sign() == 0 {
			t.Errorf("parseBigFloat(%s) = %v, %v; want a finite nonzero value", text, x, err)
		}
	}
	// Zeros and infinities are what they say.
	for text, want := range map[string]string{"0E-999999999": "0", "-0": "-0", "+Inf": "+Inf", "-Inf": "-Inf"} {
		if x, err := parseBigFloat([]byte(text)); err != nil || x.Text('g', -1) != want {
			t.Errorf("parseBigFloat(%s) = %v, %v; want %s", text, x, err, want)
		}
	}
}

func TestIPsThatAreNoAddressOrHaveAZone(t *testing.T) {
	for _, tc := range []struct {
		ip   net.IP
		want string // the ExtIP payload; "" for None
	}{
		{nil, ""},
		{net.IP{}, ""},
		{net.IP{10, 11, 12}, "?0a0b0c"},
		{net.IP{1, 2, 3, 4, 5, 6, 7}, "?01020304050607"},
		{make(net.IP, 17), "?0000000000..."},
		{net.IPv4(192, 0, 2, 1), "\xc0\x00\x02\x01"},
	} {
		r := codec.NewReader(EncodeIP(nil, tc.ip))
		if tc.want == "" {
			if !r.IsNil() {
				t.Errorf("EncodeIP(%#v) is not None", tc.ip)
			}
			continue
		}
		typ, data, err := r.ReadExt()
		if err != nil || typ != ExtIP || string(data) != tc.want {
			t.Errorf("EncodeIP(%#v) = %d %q %v, want %q", tc.ip, typ, data, err, tc.want)
		}
		if n := len(data); tc.ip.To4() == nil && (n == net.IPv4len || n >= net.IPv6len) {
			t.Errorf("EncodeIP(%#v): payload of %d bytes reads as an address", tc.ip, n)
		}
	}
	zoned := netip.MustParseAddr("fe80::1%eth0")
	var ip net.IP
	err := DecodeIP(extReader(ExtIP, append(zoned.AsSlice(), zoned.Zone()...)), &ip)
	var ce *ConvError
	if !errors.As(err, &ce) || ce.Kind != KindValue || !strings.Contains(ce.Msg, `zone "eth0"`) || !strings.Contains(ce.Msg, "netip.Addr") {
		t.Errorf("DecodeIP(zoned) = %v, want a value error naming the zone and netip.Addr", err)
	}
}

func TestHugeBigFloatsSpellLikeTextButFast(t *testing.T) {
	// hugeText works at any exponent: where Text is quick, the same value.
	for _, text := range []string{"1e+400", "-3.25e-400", "7.1e+5000", "0.1", "123456789e-3000", "2.5e30000"} {
		for _, prec := range []uint{24, 64, 200} {
			x, _, err := big.ParseFloat(text, 10, prec, big.ToNearestEven)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := new(big.Rat).SetString(x.Text('g', -1))
			got, ok := new(big.Rat).SetString(hugeText(x))
			if !ok || got.Cmp(want) != 0 {
				t.Errorf("hugeText(%s at %d bits) = %s, Text gives %s", text, prec, hugeText(x), x.Text('g', -1))
			}
		}
	}
	// Near big.Float's limits, where Text would take hours.
	for text, want := range map[string]string{
		"1E+646456992": "1e646456992", "5E+599999999": "5e599999999",
		"-1E-646456992": "-1e-646456992", "1.25E-600000000": "125e-600000002",
	} {
		x, err := parseBigFloat([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		if got := bigFloatText(x); got != want {
			t.Errorf("bigFloatText(%s) = %s, want %s", text, got, want)
		}
	}
}

// A net.IP inside an any value is found by its type's name, the runtime
// not importing net.
func TestAnyEncodesANetIP(t *testing.T) {
	for _, text := range []string{"10.0.0.1", "::ffff:10.0.0.1", "2001:db8::1"} {
		ip := net.ParseIP(text)
		if got, want := EncodeAny(nil, ip), EncodeIP(nil, ip); !bytes.Equal(got, want) {
			t.Errorf("EncodeAny(%s) = %x, want %x", text, got, want)
		}
	}
	if got := EncodeIP(nil, net.ParseIP("::ffff:10.0.0.1")); !bytes.Equal(got, EncodeIP(nil, net.IPv4(10, 0, 0, 1).To4())) {
		t.Errorf("an IPv4-mapped address does not travel as 4 bytes: %x", got)
	}
}

// The runtime does not import net, whose C resolver every build of a
// library linking it would compile (EncodeIP).
func TestTheRuntimeDoesNotImportNet(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range entries {
		name := entry.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range file.Imports {
			if path, _ := strconv.Unquote(spec.Path.Value); path == "net" {
				t.Errorf("%s imports net", name)
			}
		}
	}
}
