"""Byte-identical libraries from identical inputs (docs/reproducible-builds.md).

Go with -trimpath and -buildid= is deterministic, and so is Zig's linker for
ELF and Mach-O. For Windows DLLs it stamps the PE header, the debug
directory and the CodeView GUID with a value that changes from one link to
the next, so those fields are rewritten from a hash of the rest of the
file, which is what a reproducible linker puts there.
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

_DEBUG_DIRECTORY = 6  # index of the debug data directory
_CODEVIEW = 2
_PE32_PLUS = 0x20B


def normalize_pe(path: Path) -> None:
    """Rewrite the link-time stamps of a PE file (a DLL) deterministically."""
    data = bytearray(path.read_bytes())
    stamps, guids = _stamp_fields(data)
    for offset in stamps:
        data[offset : offset + 4] = bytes(4)
    for offset in guids:
        data[offset : offset + 16] = bytes(16)
    digest = hashlib.sha256(data).digest()
    for offset in stamps:
        data[offset : offset + 4] = digest[:4]
    for offset in guids:
        data[offset : offset + 16] = digest[4:20]
    path.write_bytes(bytes(data))


def _stamp_fields(data: bytearray) -> tuple[list[int], list[int]]:
    """Offsets of the 4-byte time stamps and of the 16-byte CodeView GUIDs."""
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe : pe + 4] != b"PE\0\0":
        raise ValueError("not a PE file")
    coff = pe + 4
    sections, optional_size = struct.unpack_from("<H", data, coff + 2)[0], struct.unpack_from("<H", data, coff + 16)[0]
    optional = coff + 20
    if struct.unpack_from("<H", data, optional)[0] != _PE32_PLUS:
        raise ValueError("not a PE32+ file")
    stamps = [coff + 4]
    rva, size = struct.unpack_from("<II", data, optional + 112 + 8 * _DEBUG_DIRECTORY)
    if not size:
        return stamps, []
    table = _section_table(data, optional + optional_size, sections)
    guids = []
    entry = _file_offset(table, rva)
    for index in range(size // 28):
        at = entry + 28 * index
        stamps.append(at + 4)
        kind, _, _, raw = struct.unpack_from("<IIII", data, at + 12)
        if kind == _CODEVIEW and data[raw : raw + 4] == b"RSDS":
            guids.append(raw + 4)
    return stamps, guids


def _section_table(data: bytearray, start: int, count: int) -> list[tuple[int, int, int]]:
    """(virtual address, virtual size, file offset) of each section."""
    table = []
    for index in range(count):
        at = start + 40 * index
        virtual_size, virtual_address, _, raw = struct.unpack_from("<IIII", data, at + 8)
        table.append((virtual_address, virtual_size, raw))
    return table


def _file_offset(table: list[tuple[int, int, int]], rva: int) -> int:
    for address, size, raw in table:
        if address <= rva < address + size:
            return raw + rva - address
    raise ValueError(f"RVA {rva:#x} is in no section")
