"""io streams both ways (issue 16, point 3): Python file objects where Go
wants an io.Reader or io.Writer, and Go readers and writers as Python file
objects."""

from __future__ import annotations

import io
import shutil
import zlib

import pytest

from usegolib.errors import ArgumentTypeError, GoError

from .conftest import run_python


def test_file_objects_stream_through_go_both_ways(idioms):
    text = b"hello streams " * 10000
    out = io.BytesIO()
    assert idioms.Upper(io.BytesIO(text), out) == len(text)
    assert out.getvalue() == text.upper()


def test_real_files_and_text_streams(idioms, tmp_path):
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_bytes(b"line one\nline two\n")
    with open(source, "rb") as reader, open(target, "wb") as writer:
        idioms.Upper(reader, writer)
    assert target.read_bytes() == b"LINE ONE\nLINE TWO\n"
    text_out = io.StringIO()
    idioms.Upper(io.StringIO("grüße, つ"), text_out)  # text streams take and give UTF-8
    assert text_out.getvalue() == "GRÜßE, つ"  # Go's ToUpper has no one-rune upper case for ß
    wide = "つ" * 20_000  # characters split across Go's 32 KiB chunks
    text_out = io.StringIO()
    assert idioms.Copy(text_out, io.StringIO(wide)) == len(wide.encode())
    assert text_out.getvalue() == wide


def test_bytes_and_str_are_readers(idioms):
    want = zlib.crc32(b"abc")
    assert idioms.Checksum(b"abc") == idioms.Checksum("abc") == idioms.Checksum(io.BytesIO(b"abc")) == want
    assert idioms.Checksum(bytearray(b"abc")) == want


def test_writes_in_chunks_reach_the_python_object(idioms):
    out = io.BytesIO()
    idioms.Emit(out, 100_000, 4096)
    assert len(out.getvalue()) == 100_000 and out.getvalue()[:3] == b"abc"


def test_other_interfaces_of_file_methods(idioms):
    assert idioms.Tail(io.BytesIO(b"0123456789"), 3) == "789"  # io.ReadSeeker
    assert idioms.First(io.BytesIO(b"xyz")) == ord("x")  # io.ByteReader
    greeting = io.BytesIO()
    idioms.Greet(greeting, "go")  # io.StringWriter
    assert greeting.getvalue() == b"hello, go\n"


def test_a_python_exception_in_read_or_write_reaches_the_caller_as_itself(idioms):
    class Failing(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, b):
            raise OSError("disk on fire")

    with pytest.raises(OSError, match="disk on fire"):
        idioms.Checksum(Failing())

    class Full(io.RawIOBase):
        def writable(self):
            return True

        def write(self, b):
            raise ValueError("no room")

    with pytest.raises(ValueError, match="no room"):
        idioms.Emit(Full(), 10, 4)


def test_a_reader_where_go_wants_a_writer_is_a_type_error(idioms):
    with pytest.raises(ArgumentTypeError, match=r"argument w: expected Go io\.Writer"):
        idioms.Upper(b"abc", b"def")


def test_go_readers_are_python_file_objects(idioms):
    reader = idioms.NewRot13(io.BytesIO(b"Hello\nWorld\nand more"))
    assert reader.readable() and not reader.writable()
    assert reader.read(3) == b"Ury"
    assert reader.readline() == b"yb\n"
    assert list(reader) == [b"Jbeyq\n", b"naq zber"]
    assert reader.read() == b""
    lines = idioms.Lines("a\nb\nc")  # an io.Reader interface result
    assert lines.readlines() == [b"a\n", b"b\n", b"c"]
    buffer = bytearray(4)
    assert idioms.NewRot13(io.BytesIO(b"abcdef")).readinto(buffer) == 4 and buffer == b"nopq"


def test_go_writers_are_python_file_objects_and_close_in_go(idioms):
    sink = idioms.NewSink()
    assert sink.writable() and not sink.readable()
    shutil.copyfileobj(io.BytesIO(b"x" * 200_000), sink)
    sink.writelines([b"a", b"b"])
    assert len(sink.Text()) == 200_002
    with idioms.NewSink() as other:
        other.write(b"kept")
    assert other.closed
    sink.close()
    assert sink.closed
    sink.close()  # closing again does nothing, as for a Python file


def test_go_to_go_through_python_file_protocols(idioms):
    sink = idioms.NewSink()
    idioms.Upper(idioms.NewRot13(io.BytesIO(b"uryyb")), sink)  # Go objects passed as streams stay Go objects
    assert sink.Text() == "HELLO"


def test_a_go_error_while_reading_is_raised(idioms):
    sink = idioms.NewSink()
    sink.Close()
    with pytest.raises(GoError, match="closed pipe"):
        sink.write(b"late")


STREAM_256_MIB = """
import io, resource, usegolib
h = usegolib.import_("example.com/idioms", artifact_dir={root!r})

class Source(io.RawIOBase):
    def __init__(self, total):
        self.left = total
    def readable(self):
        return True
    def readinto(self, b):
        n = min(len(b), self.left)
        b[:n] = b"x" * n
        self.left -= n
        return n

class Counter(io.RawIOBase):
    seen = 0
    def writable(self):
        return True
    def write(self, b):
        self.seen += len(b)
        return len(b)

before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sink = Counter()
total = 256 << 20
assert h.Upper(Source(total), sink) == total and sink.seen == total
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(grown // 1024)
"""


def test_256_mib_stream_in_bounded_memory(idioms_root):
    done = run_python(STREAM_256_MIB.format(root=str(idioms_root)))
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) < 64, f"memory grew by {done.stdout.strip()} MiB"
