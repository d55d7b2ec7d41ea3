"""Values MessagePack has no type for, as ABI extension types (docs/abi.md).

ADAPTERS is the Python half of the adapter table (the Go half is
go_shim/adapt): each row pairs an extension code with the Python types that
travel as it and their conversions. Handles and big integers need the
library or context, so Library treats them itself.
"""

from __future__ import annotations

import importlib
import struct
import sys
from datetime import datetime, timedelta, timezone

from msgpack import ExtType

from ..errors import UnsupportedTypeError
from .numbers import EXT_NUMBERS, decode_numbers

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ipaddress
    import uuid
    from collections.abc import Callable
    from decimal import Decimal
    from typing import Any

    IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# uuid, decimal and ipaddress are imported when first needed: most modules
# never use them, and importing them costs every import of a Go module.

# Extension type codes; must match go_shim/rt/ext.go.
EXT_HANDLE = 1
EXT_TIME = 2
EXT_DURATION = 3
EXT_COMPLEX = 4
EXT_BIGINT = 5
EXT_UUID = 6
EXT_BIGFLOAT = 7
EXT_IP = 8
EXT_CALLBACK = 9  # Python -> Go only: a registered callable, u64 id

HANDLE_FROM_GO = struct.Struct(">IQ")  # class id, handle id
HANDLE_TO_GO = struct.Struct(">Q")  # handle id
_TIME = struct.Struct(">qIi")  # unix seconds, nanoseconds, UTC offset seconds
_DURATION = struct.Struct(">q")
_COMPLEX = struct.Struct(">dd")

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


def encode_time(value: datetime) -> ExtType:
    """An aware datetime as Go time.Time in the same UTC offset. A naive
    datetime is refused: its instant is ambiguous."""
    offset = value.utcoffset()
    if offset is None:
        raise UnsupportedTypeError(
            "naive datetime: Go time.Time needs an instant; attach a tzinfo (e.g. datetime.timezone.utc)"
        )
    delta = value - _EPOCH
    seconds = delta.days * 86400 + delta.seconds
    return ExtType(EXT_TIME, _TIME.pack(seconds, delta.microseconds * 1000, int(offset.total_seconds())))


def decode_time(data: bytes) -> datetime:
    """Go time.Time as an aware datetime in the same UTC offset; nanoseconds
    are truncated to microseconds, Python's resolution."""
    seconds, nanos, offset = _TIME.unpack(data)
    # Python's offsets stay within a day; Go's fixed zones need not. Such a
    # time keeps its instant, in UTC.
    tz = timezone(timedelta(seconds=offset)) if 0 < abs(offset) < 86400 else timezone.utc
    try:
        return (_EPOCH + timedelta(seconds=seconds, microseconds=nanos // 1000)).astimezone(tz)
    except OverflowError:
        raise UnsupportedTypeError(
            f"Go time.Time {seconds}s from the Unix epoch is outside the range of datetime.datetime"
        ) from None


def encode_duration(value: timedelta) -> ExtType:
    nanos = ((value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds) * 1000
    if not _INT64_MIN <= nanos <= _INT64_MAX:
        raise OverflowError(f"timedelta {value} is out of range for Go time.Duration (about ±292 years)")
    return ExtType(EXT_DURATION, _DURATION.pack(nanos))


def decode_duration(data: bytes) -> timedelta:
    (nanos,) = _DURATION.unpack(data)
    return duration(nanos)


def duration(nanos: int) -> timedelta:
    """Go time.Duration nanoseconds as a timedelta, truncated toward zero to
    whole microseconds."""
    micros = abs(nanos) // 1000
    return timedelta(microseconds=-micros if nanos < 0 else micros)


def encode_complex(value: complex) -> ExtType:
    return ExtType(EXT_COMPLEX, _COMPLEX.pack(value.real, value.imag))


def decode_complex(data: bytes) -> complex:
    real, imag = _COMPLEX.unpack(data)
    return complex(real, imag)


def encode_bigint(value: int) -> ExtType:
    """An integer beyond 64 bits, for Go's *big.Int: a sign byte and the
    big-endian magnitude. Fixed-size Go integers report it as an overflow."""
    magnitude = abs(value)
    body = magnitude.to_bytes((magnitude.bit_length() + 7) // 8, "big")
    return ExtType(EXT_BIGINT, (b"\x01" if value < 0 else b"\x00") + body)


def decode_bigint(data: bytes) -> int:
    magnitude = int.from_bytes(data[1:], "big")
    return -magnitude if data[:1] == b"\x01" else magnitude


def encode_uuid(value: uuid.UUID) -> ExtType:
    return ExtType(EXT_UUID, value.bytes)


def decode_uuid(data: bytes) -> uuid.UUID:
    import uuid

    return uuid.UUID(bytes=data)


def encode_bigfloat(value: Decimal) -> ExtType:
    """A Decimal for Go's big.Float, as its text (NaN has no big.Float)."""
    if value.is_nan():
        raise ValueError("NaN has no Go big.Float value")
    text = ("-Inf" if value < 0 else "+Inf") if value.is_infinite() else str(value)
    return ExtType(EXT_BIGFLOAT, text.encode())


def decode_bigfloat(data: bytes) -> Decimal:
    """Go's big.Float as a Decimal, exactly the digits Go printed (the
    shortest that read back to the same big.Float)."""
    from decimal import Decimal

    return Decimal(data.decode().replace("Inf", "Infinity"))


def encode_ip(value: IPAddress) -> ExtType:
    zone = getattr(value, "scope_id", None) or ""
    return ExtType(EXT_IP, value.packed + zone.encode())


def decode_ip(data: bytes) -> IPAddress:
    import ipaddress

    if len(data) == 4:
        return ipaddress.IPv4Address(data)
    if len(data) < 16:  # Go's spelling of a net.IP of neither 4 nor 16 bytes (rt.EncodeIP)
        raise UnsupportedTypeError(
            f"Go net.IP {data.decode('ascii', 'replace')} is not an IP address: a net.IP holds 4 or 16 bytes "
            "(an empty one is None)"
        )
    address = ipaddress.IPv6Address(data[:16])
    zone = data[16:].decode()
    return ipaddress.IPv6Address(f"{address}%{zone}") if zone else address


class Adapter:
    """An extension code, the Python types that travel as it (named, so
    that their module is imported only when used) and the conversions."""

    __slots__ = ("_types", "code", "decode", "encode", "module", "names")

    def __init__(
        self,
        code: int,
        module: str,
        names: tuple[str, ...],
        encode: Callable[[Any], ExtType],
        decode: Callable[[bytes], Any],
    ) -> None:
        self.code, self.module, self.names, self.encode, self.decode = code, module, names, encode, decode
        self._types: tuple[type, ...] | None = None

    def python_types(self) -> tuple[type, ...]:
        """The types, or () while their module is not imported: no value
        of them can exist yet, and asking must not import it."""
        if self._types is None:
            module = sys.modules.get(self.module)
            if module is None:
                return ()
            self._types = tuple(getattr(module, name) for name in self.names)
        return self._types


def python_type(module: str, name: str) -> Any:
    """A class of an adapter's module, importing the module (annotations)."""
    return getattr(importlib.import_module(module), name)


ADAPTERS = (
    Adapter(EXT_TIME, "datetime", ("datetime",), encode_time, decode_time),
    Adapter(EXT_DURATION, "datetime", ("timedelta",), encode_duration, decode_duration),
    Adapter(EXT_COMPLEX, "builtins", ("complex",), encode_complex, decode_complex),
    Adapter(EXT_UUID, "uuid", ("UUID",), encode_uuid, decode_uuid),
    Adapter(EXT_BIGFLOAT, "decimal", ("Decimal",), encode_bigfloat, decode_bigfloat),
    Adapter(EXT_IP, "ipaddress", ("IPv4Address", "IPv6Address"), encode_ip, decode_ip),
)
DECODERS: dict[int, Callable[[bytes], Any]] = {a.code: a.decode for a in ADAPTERS}
DECODERS[EXT_BIGINT] = decode_bigint
DECODERS[EXT_NUMBERS] = decode_numbers
