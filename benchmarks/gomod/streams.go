package benchmod

import (
	"bytes"
	"hash/crc32"
	"io"
)

// Checksum is the CRC-32 of everything r holds, read as io.Copy reads.
func Checksum(r io.Reader) (uint32, error) {
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, r); err != nil {
		return 0, err
	}
	return h.Sum32(), nil
}

// ChecksumBytes is Checksum over b: the same Go code on a Go []byte.
func ChecksumBytes(b []byte) (uint32, error) { return Checksum(bytes.NewReader(b)) }
