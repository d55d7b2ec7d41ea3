"""Values MessagePack has no type for, as ABI extension types (docs/abi.md):
handles, time.Time, time.Duration and complex numbers."""

from __future__ import annotations

import struct
import uuid
from datetime import datetime, timedelta, timezone

from msgpack import ExtType

from ..errors import UnsupportedTypeError

# Extension type codes; must match go_shim/rt/ext.go.
EXT_HANDLE = 1
EXT_TIME = 2
EXT_DURATION = 3
EXT_COMPLEX = 4
EXT_BIGINT = 5
EXT_UUID = 6

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
    """Go time.Duration as a timedelta, truncated toward zero to whole
    microseconds."""
    (nanos,) = _DURATION.unpack(data)
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
    return uuid.UUID(bytes=data)
