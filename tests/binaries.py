"""What a shared library file is, read from its headers: the format and the
machine it is for, as `file` would say."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable
from pathlib import Path

_ELF_MACHINES = {62: "x86-64", 183: "aarch64"}
_MACHO_CPUS = {0x01000007: "x86-64", 0x0100000C: "aarch64"}
_PE_MACHINES = {0x8664: "x86-64", 0xAA64: "aarch64"}


def describe(path: Path) -> tuple[str, str]:
    """(format, machine): format is "ELF64 shared object", "Mach-O 64 dylib"
    or "PE32+ DLL"."""
    data = path.read_bytes()
    if data[:4] == b"\x7fELF":
        assert data[4] == 2, "not 64-bit"
        kind, machine = struct.unpack_from("<HH", data, 16)
        assert kind == 3, f"ELF type {kind} is not a shared object"
        return "ELF64 shared object", _ELF_MACHINES.get(machine, hex(machine))
    if data[:4] == b"\xcf\xfa\xed\xfe":
        cpu, _, kind = struct.unpack_from("<iiI", data, 4)
        assert kind == 6, f"Mach-O file type {kind} is not a dylib"
        return "Mach-O 64 dylib", _MACHO_CPUS.get(cpu, hex(cpu))
    if data[:2] == b"MZ":
        pe = struct.unpack_from("<I", data, 0x3C)[0]
        assert data[pe : pe + 4] == b"PE\0\0"
        machine, characteristics = struct.unpack_from("<H", data, pe + 4)[0], struct.unpack_from("<H", data, pe + 22)[0]
        assert struct.unpack_from("<H", data, pe + 24)[0] == 0x20B, "not PE32+"
        assert characteristics & 0x2000, "not a DLL"
        return "PE32+ DLL", _PE_MACHINES.get(machine, hex(machine))
    raise AssertionError(f"{path}: unknown binary format {data[:4]!r}")


_LC_BUILD_VERSION = 0x32


def macos_minimum(path: Path) -> str:
    """The minimum macOS a Mach-O library says it needs (LC_BUILD_VERSION's
    minos, nibble-encoded as xxxx.yy.zz)."""
    data = path.read_bytes()
    count = struct.unpack_from("<I", data, 16)[0]
    offset = 32  # the 64-bit Mach-O header
    for _ in range(count):
        command, size = struct.unpack_from("<II", data, offset)
        if command == _LC_BUILD_VERSION:
            minos = struct.unpack_from("<I", data, offset + 12)[0]
            return f"{minos >> 16}.{(minos >> 8) & 0xFF}"
        offset += size
    raise AssertionError(f"{path}: no LC_BUILD_VERSION load command")


def macho_page_hashes_match(path: Path) -> bool | None:
    """Whether every code slot of a Mach-O's code signature is the hash of
    its page (None: the file has no code signature)."""
    data = path.read_bytes()
    offset, signature = 32, None
    for _ in range(struct.unpack_from("<I", data, 16)[0]):
        command, size = struct.unpack_from("<II", data, offset)
        if command == 0x1D:  # LC_CODE_SIGNATURE
            signature = struct.unpack_from("<I", data, offset + 8)[0]
        offset += size
    if signature is None:
        return None
    blob = signature + struct.unpack_from(">I", data, signature + 16)[0]
    assert struct.unpack_from(">I", data, blob)[0] == 0xFADE0C02, "not a CodeDirectory"
    hash_offset, _, _, slots, limit = struct.unpack_from(">IIIII", data, blob + 16)
    size, kind, _, page_log = struct.unpack_from(">BBBB", data, blob + 36)
    digest = {1: hashlib.sha1, 2: hashlib.sha256}[kind]
    page = 1 << page_log
    return all(
        digest(data[i * page : min((i + 1) * page, limit)]).digest()[:size]
        == data[blob + hash_offset + i * size : blob + hash_offset + (i + 1) * size]
        for i in range(slots)
    )


def pe_imports(path: Path) -> list[str]:
    """The DLLs a PE32+ file imports, from its import directory."""
    data = path.read_bytes()
    import_rva, offset = _pe_directory(path, data, 1)
    names, entry = [], offset(import_rva)
    while struct.unpack_from("<I", data, entry + 12)[0]:
        start = offset(struct.unpack_from("<I", data, entry + 12)[0])
        names.append(data[start : data.index(b"\0", start)].decode())
        entry += 20
    return names


def _pe_directory(path: Path, data: bytes, index: int) -> tuple[int, Callable[[int], int]]:
    """The RVA of a PE32+ file's data directory index, and a function from
    RVAs to file offsets."""
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    sections, optional_size = struct.unpack_from("<H", data, pe + 6)[0], struct.unpack_from("<H", data, pe + 20)[0]
    optional = pe + 24
    rva = struct.unpack_from("<I", data, optional + 112 + 8 * index)[0]
    table = optional + optional_size
    spans = [struct.unpack_from("<IIII", data, table + 40 * i + 8) for i in range(sections)]

    def offset(rva: int) -> int:
        for size, address, _, raw in spans:
            if address <= rva < address + size:
                return raw + rva - address
        raise AssertionError(f"{path}: RVA {rva:#x} in no section")

    return rva, offset


def exported_names(path: Path) -> set[str]:
    """The names of the functions and data a shared library exports (from an
    ELF's dynamic symbol table, a PE's export directory, a Mach-O's export
    trie; Mach-O's leading underscore dropped)."""
    data = path.read_bytes()
    if data[:4] == b"\x7fELF":
        return _elf_exports(data)
    if data[:4] == b"\xcf\xfa\xed\xfe":
        return _macho_exports(path, data)
    if data[:2] == b"MZ":
        return _pe_exports(path, data)
    raise AssertionError(f"{path}: unknown binary format {data[:4]!r}")


def _elf_exports(data: bytes) -> set[str]:
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    entsize, count = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * entsize) for i in range(count)]
    names = set()
    for _, kind, _, _, offset, size, link, _, _, symsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strings = sections[link][4]
        for at in range(offset, offset + size, symsize):
            name, info, _, shndx = struct.unpack_from("<IBBH", data, at)
            if shndx != 0 and info >> 4 in (1, 2):  # defined, global or weak
                names.add(data[strings + name : data.index(b"\0", strings + name)].decode())
    return names


def _pe_exports(path: Path, data: bytes) -> set[str]:
    export_rva, offset = _pe_directory(path, data, 0)
    if not export_rva:
        return set()
    directory = offset(export_rva)
    count, table = struct.unpack_from("<I", data, directory + 24)[0], struct.unpack_from("<I", data, directory + 32)[0]
    names = set()
    for i in range(count):
        start = offset(struct.unpack_from("<I", data, offset(table) + 4 * i)[0])
        names.add(data[start : data.index(b"\0", start)].decode())
    return names


_LC_DYLD_INFO_ONLY = 0x80000022
_LC_DYLD_EXPORTS_TRIE = 0x80000033


def _macho_exports(path: Path, data: bytes) -> set[str]:
    trie = None
    offset = 32
    for _ in range(struct.unpack_from("<I", data, 16)[0]):
        command, size = struct.unpack_from("<II", data, offset)
        if command == _LC_DYLD_EXPORTS_TRIE:
            trie = struct.unpack_from("<I", data, offset + 8)[0]
        elif command == _LC_DYLD_INFO_ONLY:
            trie = struct.unpack_from("<I", data, offset + 40)[0]
        offset += size
    if trie is None:
        raise AssertionError(f"{path}: no export trie")

    def uleb(at: int) -> tuple[int, int]:
        value, shift = 0, 0
        while True:
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, at

    names, pending = set(), [(trie, "")]
    while pending:
        node, prefix = pending.pop()
        terminal, at = uleb(node)
        if terminal:
            names.add(prefix.removeprefix("_"))
        at += terminal
        children = data[at]
        at += 1
        for _ in range(children):
            end = data.index(b"\0", at)
            edge = data[at:end].decode()
            child, at = uleb(end + 1)
            pending.append((trie + child, prefix + edge))
    return names
