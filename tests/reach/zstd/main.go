// Expected values for tests/test_reach.py: github.com/klauspost/compress/zstd,
// streaming through NewWriter(w) and NewReader(r).
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"strings"

	"github.com/klauspost/compress/zstd"
)

func main() {
	data := []byte(strings.Repeat("usegolib streams zstd ", 20000))
	var compressed bytes.Buffer
	w, _ := zstd.NewWriter(&compressed)
	_, _ = io.Copy(w, bytes.NewReader(data))
	_ = w.Close()
	r, _ := zstd.NewReader(bytes.NewReader(compressed.Bytes()))
	back, _ := io.ReadAll(r)
	sum := sha256.Sum256(back)
	_, corrupt := zstd.NewReader(bytes.NewReader([]byte("not zstd")))
	cases := map[string]any{
		"round_trip":  bytes.Equal(back, data),
		"sha256":      hex.EncodeToString(sum[:]),
		"smaller":     compressed.Len() < len(data)/10,
		"reader_made": corrupt == nil,
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
