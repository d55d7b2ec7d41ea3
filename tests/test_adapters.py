"""SPEC §2 rows with Python counterparts of their own: *big.Int <-> int,
github.com/google/uuid.UUID <-> uuid.UUID."""

from __future__ import annotations

import inspect
import ipaddress
import math
import re
import subprocess
import uuid
from decimal import Decimal
from typing import Optional

import pytest

import usegolib
import usegolib.builder
from usegolib.errors import (
    ArgumentOverflowError,
    ArgumentTypeError,
    ArgumentValueError,
    GoError,
    UnsupportedTypeError,
)

from .conftest import FIXTURES, build_offline, run_python


def test_big_integers_of_any_size(kitchen):
    assert kitchen.Factorial(30) == math.factorial(30)
    assert kitchen.Factorial(5) == 120  # small values travel as plain ints
    huge = 3**200
    assert kitchen.AddBig(huge, -(2**300)) == huge - 2**300
    assert kitchen.AddBig(-1, 0) == -1
    assert kitchen.AddBig(2**64 - 1, 1) == 2**64


def test_big_int_values_and_nil(kitchen):
    assert kitchen.NegBig(7**90) == -(7**90)
    assert kitchen.IsNilBig(None) is True
    assert kitchen.IsNilBig(0) is False
    with pytest.raises(ArgumentTypeError, match=r"NegBig\(\): argument v: expected int, got None"):
        kitchen.NegBig(None)
    assert kitchen.BigInAny() == 2**100
    assert kitchen.Echo(2**100) == 2**100  # a Python int too big for 64 bits becomes *big.Int in any
    assert kitchen.Describe(2**100) == "*big.Int"


def test_big_int_annotations(kitchen):
    sig = inspect.signature(kitchen.AddBig)
    assert sig.parameters["a"].annotation == Optional[int]  # noqa: UP045
    assert inspect.signature(kitchen.NegBig).return_annotation is int


def test_huge_ints_overflow_fixed_size_parameters_and_convert_to_floats(kitchen):
    with pytest.raises(
        ArgumentOverflowError, match=r"EchoInt64\(\): argument v: value 1267650600228229401496703205376 out of range"
    ):
        kitchen.EchoInt64(2**100)
    assert kitchen.EchoFloat64(2**100) == float(2**100)


@pytest.fixture(scope="module")
def ids(tmp_path_factory):
    root = tmp_path_factory.mktemp("ids")
    build_offline(FIXTURES / "ids", root)
    return usegolib.import_("example.com/ids", artifact_dir=root)


def test_uuids_are_python_uuids(ids):
    text = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
    parsed = ids.ParseID(text)
    assert parsed == uuid.UUID(text)
    assert isinstance(parsed, uuid.UUID)
    assert ids.Text(uuid.UUID(text)) == text
    assert ids.Zero() == uuid.UUID(int=0)
    values = [uuid.uuid4() for _ in range(3)]
    assert ids.All(*values) == values
    assert ids.Maybe(values[0], True) == values[0]
    assert ids.Maybe(values[0], False) is None
    assert inspect.signature(ids.ParseID).return_annotation is uuid.UUID


def test_uuid_errors(ids):
    with pytest.raises(GoError, match="invalid UUID"):
        ids.ParseID("nope")
    with pytest.raises(ArgumentTypeError, match=r"Text\(\): argument u: expected uuid.UUID, got str"):
        ids.Text("6ba7b810-9dad-11d1-80b4-00c04fd430c8")


def module_proxy_reachable(module: str) -> str | None:
    """None when `go mod download` of module works, else why not."""
    try:
        done = subprocess.run(
            ["go", "mod", "download", module], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot run go mod download: {exc}"
    return None if done.returncode == 0 else f"Go module proxy unreachable: {done.stderr.strip()[:200]}"


def test_the_real_google_uuid_module(tmp_path):
    reason = module_proxy_reachable("github.com/google/uuid@v1.6.0")
    if reason:
        pytest.skip(reason)
    root = tmp_path / "root"
    usegolib.builder.build_module(FIXTURES / "realuuid", root)
    done = run_python(f"""
        import uuid, usegolib
        h = usegolib.import_("example.com/realuuid", artifact_dir={str(root)!r})
        text = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
        assert h.Parse(text) == uuid.UUID(text)
        assert h.NewSHA1(uuid.NAMESPACE_DNS, "python.org") == uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        assert h.VersionOf(uuid.uuid4()) == 4
        print("ok")
    """)
    assert done.stdout.strip() == "ok", done.stderr


def test_uuids_inside_any_stay_uuids(ids):
    value = uuid.uuid4()
    assert ids.IsUUID(value) is True
    assert ids.Pass(value) == value
    assert ids.Pass([value]) == [value]


def test_big_floats_are_decimals(kitchen):
    assert kitchen.HalfBig(Decimal("3")) == Decimal("1.5")
    assert kitchen.HalfBig(1) == Decimal("0.5")
    assert kitchen.HalfBig(0.25) == Decimal("0.125")
    assert kitchen.HalfBig(None) is None
    third = kitchen.Third()
    assert isinstance(third, Decimal)
    assert str(third).startswith("0.333333333333333333333333333333333333333333333333333333333333")  # 200 bits
    assert kitchen.BigText(Decimal("1.000000000000000000000000001")) == "1.000000000000000000000000001"
    assert kitchen.DoubleBig(Decimal("2.5")) == Decimal(5)
    assert kitchen.HalfBig(Decimal("-Infinity")) == Decimal("-Infinity")
    with pytest.raises(ArgumentValueError, match=r"HalfBig\(\): argument x: NaN"):
        kitchen.HalfBig(Decimal("NaN"))
    assert kitchen.Echo(Decimal("1.25")) == Decimal("1.25")  # inside any: *big.Float
    assert inspect.signature(kitchen.HalfBig).return_annotation == Optional[Decimal]  # noqa: UP045


def test_big_floats_keep_huge_exponents_and_refuse_what_big_float_cannot_hold(kitchen):
    # big.Float's binary exponent reaches 2**31: about 10**646456992, which Go takes and returns.
    assert kitchen.HalfBig(Decimal("1E+600000000")) == Decimal("5E+599999999")
    assert kitchen.DoubleBig(Decimal("-2.5E-646456992")) == Decimal("-5E-646456992")
    for huge in (Decimal("1E+999999999"), Decimal("-1E+999999999"), Decimal("1E-999999999")):
        message = rf"HalfBig\(\): argument x: value {re.escape(str(huge))} out of range for Go big.Float"
        with pytest.raises(ArgumentOverflowError, match=message):
            kitchen.HalfBig(huge)
    assert kitchen.HalfBig(Decimal("0E-999999999")) == 0  # a zero is a zero


def test_net_ips_refuse_zones_and_those_of_other_lengths_are_not_addresses(kitchen):
    with pytest.raises(ArgumentValueError, match=r"IsLoopback\(\): argument ip: .*zone \"eth0\".*netip.Addr"):
        kitchen.IsLoopback(ipaddress.IPv6Address("::1%eth0"))
    assert kitchen.IPOf(b"\x7f\x00\x00\x01") == ipaddress.IPv4Address("127.0.0.1")
    assert kitchen.IPOf(b"") is None  # net.IP{}: no address, like nil (as Go's MarshalText has it)
    with pytest.raises(UnsupportedTypeError, match=r"Go net.IP \?0a0b0c is not an IP address"):
        kitchen.IPOf(b"\n\x0b\x0c")
    with pytest.raises(UnsupportedTypeError, match=r"Go net.IP \?0000000000\.\.\. is not an IP address"):
        kitchen.IPOf(bytes(17))  # not read as an IPv6 address with a zone
    assert kitchen.Echo(kitchen.ParseAddr("fe80::1%eth0")).scope_id == "eth0"  # netip.Addr keeps it


def test_ip_addresses_are_ipaddress_objects(kitchen):
    assert kitchen.ParseIP("192.0.2.1") == ipaddress.IPv4Address("192.0.2.1")
    assert kitchen.ParseIP("2001:db8::1") == ipaddress.IPv6Address("2001:db8::1")
    assert kitchen.ParseIP("not an ip") is None
    assert kitchen.IsLoopback(ipaddress.IPv4Address("127.0.0.1")) is True
    assert kitchen.IsLoopback(ipaddress.IPv6Address("::1")) is True
    assert kitchen.IsLoopback(None) is False
    assert kitchen.NextAddr(ipaddress.IPv4Address("10.0.0.255")) == ipaddress.IPv4Address("10.0.1.0")
    zoned = kitchen.ParseAddr("fe80::1%eth0")
    assert zoned == ipaddress.IPv6Address("fe80::1%eth0") and zoned.scope_id == "eth0"
    assert kitchen.NextAddr(zoned) == ipaddress.IPv6Address("fe80::2%eth0")
    assert kitchen.ZeroAddr() is None
    with pytest.raises(ArgumentTypeError, match=r"IsLoopback\(\): argument ip: expected ipaddress"):
        kitchen.IsLoopback("127.0.0.1")
    assert kitchen.Echo(ipaddress.IPv4Address("192.0.2.7")) == ipaddress.IPv4Address("192.0.2.7")


def test_json_raw_messages_are_bytes(kitchen):
    assert kitchen.Raw('{"a": 1}') == b'{"a": 1}'
    assert kitchen.RawValid(b"[1, 2]") is True
    assert kitchen.RawValid(b"[1,") is False
