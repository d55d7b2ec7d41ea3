package rt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"usegolib.local/shim/codec"
)

// Streams, both ways (docs/type-mapping.md, "Streams"). A Python binary
// file object passed where Go wants an io.Reader, io.Writer or another
// interface of the methods below arrives as a *PyStream: Read and Write
// move bytes straight between Go's buffer and the Python object (readinto
// writes into Go's memory; write gets a copy), chunk by chunk, so nothing
// is read whole first. bytes or str where Go wants a reader arrive as a
// *bytes.Reader or *strings.Reader. The other way, builtins -13 and -14
// read from and write to a handle whose Go value is an io.Reader or
// io.Writer, which Python's file protocol of the class calls.

// ExtStream is a Python file object: its callable id (u64), then a byte of
// the methods it has (streamCan*).
const ExtStream = 14

// Operations of the Python entry point on a stream: the arguments are
// Go's buffer itself, not MessagePack.
const (
	streamRead  = 3 // read into the buffer; reply: msgpack n (0 at the end)
	streamWrite = 4 // write the buffer; reply: msgpack n, or nothing for all of it
)

// What the Python object can do, as Python found it.
const (
	streamCanRead  = 1
	streamCanWrite = 2
	streamCanSeek  = 4
)

// PyStream is a Python binary file object as Go holds it.
type PyStream struct {
	cb  *Callback
	can byte
	mu  sync.Mutex // ReadAt seeks and reads as one step
}

// DecodeStream decodes where Go wants an interface that a PyStream (or,
// for bytes and str, a *bytes.Reader or *strings.Reader) satisfies: a
// Python file object, bytes or str, or else a handle as DecodeInterface
// does.
func DecodeStream[T any](r *codec.Reader, v *T) error {
	var value any
	switch kind, _ := r.NextKind(); kind {
	case codec.KindExt:
		if typ, _ := r.PeekExtType(); typ != ExtStream {
			return DecodeInterface(r, v)
		}
		s, err := readStream(r)
		if err != nil {
			return err
		}
		value = s
	case codec.KindBin:
		b, err := r.ReadBinBytes()
		if err != nil {
			return Fail(err, typeName[T]())
		}
		value = bytes.NewReader(bytes.Clone(b))
	case codec.KindStr:
		s, err := r.ReadString()
		if err != nil {
			return Fail(err, typeName[T]())
		}
		value = strings.NewReader(s)
	default:
		return DecodeInterface(r, v)
	}
	t, ok := value.(T)
	if !ok {
		return TypeMismatch("Go "+typeName[T]()+" (a file object with the methods it needs)", fmt.Sprintf("%s, which is only readable", describeStream(value)))
	}
	*v = t
	return nil
}

func describeStream(v any) string {
	if _, ok := v.(*PyStream); ok {
		return "a Python file object"
	}
	return "bytes or str"
}

func readStream(r *codec.Reader) (*PyStream, error) {
	_, data, err := r.ReadExt()
	if err != nil {
		return nil, Fail(err, "")
	}
	if len(data) != 9 {
		return nil, &ABIError{Msg: "a stream is a callable id and a byte"}
	}
	return &PyStream{cb: newCallback(binary.BigEndian.Uint64(data), r), can: data[8]}, nil
}

// errNotCapable says the Python object lacks a method Go called.
func (s *PyStream) errNotCapable(method string) error {
	return &PythonError{Message: "failed: the Python file object has no " + method + "()"}
}

// raw runs a raw stream operation on buf and returns the n Python replied.
func (s *PyStream) raw(op int32, buf []byte) (int, bool, error) {
	status, r := callPython(op, s.cb.id, buf)
	defer r.settle()
	runtime.KeepAlive(s.cb)
	switch status {
	case entryOK:
		if len(r.data) == 0 {
			return 0, false, nil
		}
		in := codec.NewReader(r.data)
		n, err := in.ReadInt64()
		if err != nil || n < 0 || int(n) > len(buf) {
			return 0, true, &PythonError{Message: fmt.Sprintf("returned %d from a stream operation on %d bytes", n, len(buf))}
		}
		return int(n), true, nil
	case entryRaised:
		return 0, true, raised(r.data)
	case entryGone:
		noticeGone()
		return 0, true, ErrPythonExiting
	}
	return 0, true, &PythonError{Message: "failed in usegolib's entry point (Python printed why on stderr)"}
}

// Read reads into p with the object's readinto (or read).
func (s *PyStream) Read(p []byte) (int, error) {
	if s.can&streamCanRead == 0 {
		return 0, s.errNotCapable("read")
	}
	if len(p) == 0 {
		return 0, nil
	}
	n, _, err := s.raw(streamRead, p)
	if err != nil {
		return n, err
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// Write writes all of p, as io.Writer requires, calling write again after
// a short write (a raw file object may write less than it was given).
func (s *PyStream) Write(p []byte) (int, error) {
	if s.can&streamCanWrite == 0 {
		return 0, s.errNotCapable("write")
	}
	done := 0
	for done < len(p) {
		n, replied, err := s.raw(streamWrite, p[done:])
		if err != nil {
			return done, err
		}
		if !replied { // write returned None: it took everything
			n = len(p) - done
		}
		if n == 0 {
			return done, io.ErrShortWrite
		}
		done += n
	}
	return done, nil
}

// streamChunk is what WriteTo asks Python for at a time: io.Copy from a
// Python file object uses it, with fewer crossings than Read's buffers.
const streamChunk = 256 << 10

// WriteTo copies the whole stream to w, a large chunk at a time.
func (s *PyStream) WriteTo(w io.Writer) (int64, error) {
	buf := make([]byte, streamChunk)
	var total int64
	for {
		n, err := s.Read(buf)
		if n > 0 {
			written, werr := w.Write(buf[:n])
			total += int64(written)
			if werr != nil {
				return total, werr
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// WriteString writes s.
func (s *PyStream) WriteString(str string) (int, error) { return s.Write([]byte(str)) }

// ReadByte reads one byte.
func (s *PyStream) ReadByte() (byte, error) {
	var b [1]byte
	for {
		n, err := s.Read(b[:])
		if n == 1 {
			return b[0], nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// Close calls the object's close().
func (s *PyStream) Close() error { return s.method("close") }

// Flush calls the object's flush().
func (s *PyStream) Flush() error { return s.method("flush") }

// Seek calls the object's seek(offset, whence) and returns its position.
func (s *PyStream) Seek(offset int64, whence int) (int64, error) {
	if s.can&streamCanSeek == 0 {
		return 0, s.errNotCapable("seek")
	}
	args := codec.AppendArrayHeader(nil, 3)
	args = codec.AppendString(args, "seek")
	args = codec.AppendInt(args, offset)
	args = codec.AppendInt(args, int64(whence))
	res, settle, err := s.cb.Invoke(args)
	defer settle()
	if err != nil {
		return 0, err
	}
	return res.ReadInt64()
}

// ReadAt reads len(p) bytes at off: seek, then read until p is full.
func (s *PyStream) ReadAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(s, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

func (s *PyStream) method(name string) error {
	args := codec.AppendArrayHeader(nil, 1)
	args = codec.AppendString(args, name)
	_, settle, err := s.cb.Invoke(args)
	settle()
	return err
}

// streamReadFrom (builtin) reads up to n bytes from a handle's io.Reader:
// [data, eof]. A short read is not the end; only io.EOF is.
func streamReadFrom(c *Call) error {
	v, err := handleArgs(c, 2)
	if err != nil {
		return err
	}
	n, err := c.In.ReadInt64()
	if err != nil || n < 0 {
		return &ABIError{Msg: "a byte count expected"}
	}
	reader, ok := v.(io.Reader)
	if !ok {
		return TypeMismatch("a Go io.Reader", fmt.Sprintf("Go %T", v))
	}
	buf := make([]byte, n)
	got, err := reader.Read(buf)
	eof := errors.Is(err, io.EOF)
	if err != nil && !eof {
		return GoErr(err)
	}
	c.Out = codec.AppendArrayHeader(c.Out, 2)
	c.Out = codec.AppendBytes(c.Out, buf[:got])
	c.Out = codec.AppendBool(c.Out, eof)
	return nil
}

// streamWriteTo (builtin) writes bytes to a handle's io.Writer: n.
func streamWriteTo(c *Call) error {
	v, err := handleArgs(c, 2)
	if err != nil {
		return err
	}
	data, err := c.In.ReadBinBytes()
	if err != nil {
		return &ABIError{Msg: "bytes expected"}
	}
	writer, ok := v.(io.Writer)
	if !ok {
		return TypeMismatch("a Go io.Writer", fmt.Sprintf("Go %T", v))
	}
	n, err := writer.Write(data)
	if err != nil {
		return GoErr(err)
	}
	c.ReturnInt(int64(n))
	return nil
}

// handleArgs checks a builtin's argument count and reads its first
// argument, a handle id, returning the Go value behind the handle.
func handleArgs(c *Call, n int) (any, error) {
	id, err := idArgs(c, n, "handle id")
	if err != nil {
		return nil, err
	}
	h, err := handleByID(id)
	if err != nil {
		return nil, err
	}
	return h.goValue(), nil
}
