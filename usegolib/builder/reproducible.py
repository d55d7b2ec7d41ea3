"""Byte-identical libraries from identical inputs (docs/reproducible-builds.md).

Go with -trimpath and -buildid= is deterministic, and so is Zig's linker for
ELF. For Windows DLLs it stamps the PE header, the debug directory and the
CodeView GUID with a value that changes from one link to the next, and for
Mach-O the LC_UUID it writes is not always the same for the same contents;
those fields are rewritten from a hash of the rest of the file, which is
what a reproducible linker puts there. A Mach-O's ad-hoc code signature
hashes the pages, so the hashes of the pages are computed again.
"""

from __future__ import annotations

import hashlib
import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
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


_MH_MAGIC_64 = 0xFEEDFACF
_LC_UUID = 0x1B
_LC_CODE_SIGNATURE = 0x1D
_CODE_DIRECTORY = 0xFADE0C02
_HASHES = {1: hashlib.sha1, 2: hashlib.sha256}  # CodeDirectory hashType


def normalize_macho(path: Path) -> None:
    """Zero the padding of a 64-bit Mach-O's __LINKEDIT (Zig leaves what
    its memory held there), rewrite the UUID from a hash of the rest of the
    file, then the page hashes of its code signature, if it has one."""
    data = bytearray(path.read_bytes())
    uuid_at, signature = _macho_commands(data)
    if uuid_at is None:
        return
    _zero_linkedit_gaps(data)
    hashed = bytearray(data)
    hashed[uuid_at : uuid_at + 16] = bytes(16)
    if signature is not None:
        start, size = signature
        hashed[start : start + size] = bytes(size)
    uuid = bytearray(hashlib.sha256(hashed).digest()[:16])
    uuid[6] = (uuid[6] & 0x0F) | 0x40  # an RFC 4122 version 4 UUID, as ld64 makes
    uuid[8] = (uuid[8] & 0x3F) | 0x80
    data[uuid_at : uuid_at + 16] = uuid
    if signature is not None:
        _rehash_pages(data, signature[0])
    path.write_bytes(bytes(data))


def _macho_commands(data: bytearray) -> tuple[int | None, tuple[int, int] | None]:
    """The offset of the UUID, and the (offset, size) of the code signature."""
    if len(data) < 32 or struct.unpack_from("<I", data)[0] != _MH_MAGIC_64:
        return None, None
    count = struct.unpack_from("<I", data, 16)[0]
    offset, uuid_at, signature = 32, None, None
    for _ in range(count):
        command, size = struct.unpack_from("<II", data, offset)
        if command == _LC_UUID:
            uuid_at = offset + 8
        elif command == _LC_CODE_SIGNATURE:
            signature = struct.unpack_from("<II", data, offset + 8)
        offset += size
    return uuid_at, signature


def _rehash_pages(data: bytearray, signature: int) -> None:
    """Recompute the code slots of every CodeDirectory in the signature's
    SuperBlob (big-endian): the hash of each page up to codeLimit."""
    count = struct.unpack_from(">I", data, signature + 8)[0]
    for i in range(count):
        blob = signature + struct.unpack_from(">I", data, signature + 16 + 8 * i)[0]
        if struct.unpack_from(">I", data, blob)[0] != _CODE_DIRECTORY:
            continue
        hash_offset, _, _, slots, limit = struct.unpack_from(">IIIII", data, blob + 16)
        size, kind, _, page_log = struct.unpack_from(">BBBB", data, blob + 36)
        page = 1 << page_log
        for slot in range(slots):
            digest = _HASHES[kind](data[slot * page : min((slot + 1) * page, limit)]).digest()[:size]
            at = blob + hash_offset + slot * size
            data[at : at + size] = digest


_LC_SEGMENT_64 = 0x19
_LC_SYMTAB = 0x2
_LC_DYSYMTAB = 0xB
_DYLD_INFO = (0x22, 0x80000022)  # five (offset, size) pairs
# linkedit_data_command: (offset, size) of one blob in __LINKEDIT.
_LINKEDIT_DATA = (0x1D, 0x1E, 0x26, 0x29, 0x2B, 0x2E, 0x80000033, 0x80000034)
# dysymtab_command: (field index of the offset, of the count, entry size).
_DYSYMTAB_TABLES = ((6, 7, 8), (8, 9, 56), (10, 11, 4), (12, 13, 4), (14, 15, 8), (16, 17, 8))


def _zero_linkedit_gaps(data: bytearray) -> None:
    """Zero every byte of __LINKEDIT that no load command points at."""
    linkedit, used = None, []
    offset = 32
    for _ in range(struct.unpack_from("<I", data, 16)[0]):
        command, size = struct.unpack_from("<II", data, offset)
        if command == _LC_SEGMENT_64 and data[offset + 8 : offset + 24].rstrip(b"\0") == b"__LINKEDIT":
            fileoff, filesize = struct.unpack_from("<QQ", data, offset + 40)
            linkedit = (fileoff, fileoff + filesize)
        elif command == _LC_SYMTAB:
            symoff, nsyms, stroff, strsize = struct.unpack_from("<IIII", data, offset + 8)
            used += [(symoff, nsyms * 16), (stroff, strsize)]
        elif command == _LC_DYSYMTAB:
            fields = struct.unpack_from("<18I", data, offset + 8)
            used += [(fields[at], fields[count] * entry) for at, count, entry in _DYSYMTAB_TABLES]
        elif command in _DYLD_INFO:
            fields = struct.unpack_from("<10I", data, offset + 8)
            used += [(fields[i], fields[i + 1]) for i in range(0, 10, 2)]
        elif command in _LINKEDIT_DATA:
            used.append(struct.unpack_from("<II", data, offset + 8))
        offset += size
    if linkedit is None:
        return
    _repair_indirect_symbols(data)
    covered = bytearray(linkedit[1] - linkedit[0])  # 1 where a table lies
    for start, size in used:
        lo, hi = max(start, linkedit[0]), min(start + size, linkedit[1])
        if size and lo < hi:
            covered[lo - linkedit[0] : hi - linkedit[0]] = b"\1" * (hi - lo)
    for i, flag in enumerate(covered):
        if not flag:
            data[linkedit[0] + i] = 0


# Section types whose entries are indexed in the indirect symbol table
# (section_64.reserved1 is the first index): pointers of 8 bytes, or stubs
# of section_64.reserved2 bytes.
_STUBS = 0x8
_LAZY_POINTERS = 0x7
_POINTER_SECTIONS = (0x6, _LAZY_POINTERS, 0x10, 0x14)


def _repair_indirect_symbols(data: bytearray) -> None:
    """Zig writes the indirect symbol entries of __la_symbol_ptr shifted,
    leaving the last ones unwritten (whatever its memory held). Lazy pointer
    i belongs to stub i, as ld64 writes them: copy the stubs' entries. Then
    zero any entry no section indexes."""
    ranges: dict[int, tuple[int, int]] = {}  # section type -> (first index, count)
    referenced: set[int] = set()
    table = None
    offset = 32
    for _ in range(struct.unpack_from("<I", data, 16)[0]):
        command, size = struct.unpack_from("<II", data, offset)
        if command == _LC_SEGMENT_64:
            for k in range(struct.unpack_from("<I", data, offset + 64)[0]):
                section = offset + 72 + 80 * k
                length = struct.unpack_from("<Q", data, section + 40)[0]
                flags, first, stub = struct.unpack_from("<III", data, section + 64)
                kind = flags & 0xFF
                entry = 8 if kind in _POINTER_SECTIONS else stub if kind == _STUBS else 0
                if entry:
                    ranges[kind] = (first, length // entry)
                    referenced.update(range(first, first + length // entry))
        elif command == _LC_DYSYMTAB:
            table = struct.unpack_from("<II", data, offset + 8 + 12 * 4)  # indirectsymoff, nindirectsyms
        offset += size
    if table is None:
        return
    start, count = table
    stubs, lazy = ranges.get(_STUBS), ranges.get(_LAZY_POINTERS)
    if stubs and lazy and stubs[1] == lazy[1] and max(stubs[0], lazy[0]) + stubs[1] <= count:
        source = start + 4 * stubs[0]
        data[start + 4 * lazy[0] : start + 4 * (lazy[0] + lazy[1])] = data[source : source + 4 * stubs[1]]
    for index in range(count):
        if index not in referenced:
            data[start + 4 * index : start + 4 * index + 4] = bytes(4)
