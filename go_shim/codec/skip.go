package codec

// MaxDepth bounds container nesting accepted by Skip. Recursion keeps Skip
// simple; the bound keeps hostile input from growing the stack without limit
// and matches what a recursive decoder built on this package should accept.
const MaxDepth = 10000

// Skip consumes one complete value of any kind, including nested values.
func (r *Reader) Skip() error {
	end, err := r.skipAt(r.pos, 0)
	if err != nil {
		return err
	}
	r.pos = end
	return nil
}

// skipAt returns the offset just past the value starting at p. depth is the
// number of enclosing containers. It never modifies r.
func (r *Reader) skipAt(p, depth int) (int, error) {
	b := r.buf
	if p >= len(b) {
		return p, &FormatError{Pos: p, Msg: msgEOF}
	}
	c := b[p]
	switch {
	case c <= 0x7f || c >= 0xe0: // fixint
		return p + 1, nil
	case c <= 0x8f:
		return r.skipItems(p, 1, uint64(c&0x0f)*2, depth)
	case c <= 0x9f:
		return r.skipItems(p, 1, uint64(c&0x0f), depth)
	case c <= 0xbf:
		return r.skipBytes(p, 1, uint64(c&0x1f))
	}
	switch c {
	case 0xc0, 0xc2, 0xc3:
		return p + 1, nil
	case 0xcc, 0xd0:
		return r.skipBytes(p, 1, 1)
	case 0xcd, 0xd1, 0xd4: // fixext1 is type + 1 byte
		return r.skipBytes(p, 1, 2)
	case 0xd5:
		return r.skipBytes(p, 1, 3)
	case 0xca, 0xce, 0xd2:
		return r.skipBytes(p, 1, 4)
	case 0xd6:
		return r.skipBytes(p, 1, 5)
	case 0xcb, 0xcf, 0xd3:
		return r.skipBytes(p, 1, 8)
	case 0xd7:
		return r.skipBytes(p, 1, 9)
	case 0xd8:
		return r.skipBytes(p, 1, 17)
	}

	// The rest carry a length field of w bytes after the lead byte.
	var w int
	switch c {
	case 0xc4, 0xc7, 0xd9:
		w = 1
	case 0xc5, 0xc8, 0xda, 0xdc, 0xde:
		w = 2
	case 0xc6, 0xc9, 0xdb, 0xdd, 0xdf:
		w = 4
	default: // 0xc1
		return p, &FormatError{Pos: p, Msg: msgReserved}
	}
	if len(b)-p-1 < w {
		return p, &FormatError{Pos: p, Msg: msgEOF}
	}
	n := be(b[p+1 : p+1+w])
	h := 1 + w
	switch c {
	case 0xdc, 0xdd:
		return r.skipItems(p, h, n, depth)
	case 0xde, 0xdf:
		return r.skipItems(p, h, n*2, depth)
	case 0xc7, 0xc8, 0xc9:
		n++ // ext type byte
	}
	return r.skipBytes(p, h, n)
}

// skipBytes skips an h-byte header (known to be present) and n more bytes.
func (r *Reader) skipBytes(p, h int, n uint64) (int, error) {
	start := p + h
	if uint64(len(r.buf)-start) < n {
		return p, &FormatError{Pos: p, Msg: msgEOF}
	}
	return start + int(n), nil
}

// skipItems skips an h-byte container header and the n values after it.
func (r *Reader) skipItems(p, h int, n uint64, depth int) (int, error) {
	if depth >= MaxDepth {
		return p, &FormatError{Pos: p, Msg: msgTooDeep}
	}
	q := p + h
	if n > uint64(len(r.buf)-q) {
		return p, &FormatError{Pos: p, Msg: msgTooLarge}
	}
	for ; n > 0; n-- {
		var err error
		if q, err = r.skipAt(q, depth+1); err != nil {
			return p, err
		}
	}
	return q, nil
}
