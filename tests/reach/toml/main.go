// Expected values for tests/test_reach.py: github.com/BurntSushi/toml, as
// its README shows it: Decode into a pointer, NewEncoder(w).Encode(v),
// ParseError with its position.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"

	"github.com/BurntSushi/toml"
)

const doc = "title = \"TOML Example\"\n\n[owner]\nname = \"Tom\"\n\n[database]\nports = [8000, 8001]\nenabled = true\n"

func main() {
	var v map[string]any
	meta, _ := toml.Decode(doc, &v)
	var out bytes.Buffer
	_ = toml.NewEncoder(&out).Encode(map[string]any{"name": "x", "n": 2})
	var bad map[string]any
	_, err := toml.Decode("title = = 1", &bad)
	var perr toml.ParseError
	isParse := errors.As(err, &perr)
	keys := []string{}
	for _, k := range meta.Keys() {
		keys = append(keys, k.String())
	}
	var ports struct {
		Database struct{ Ports []int }
	}
	_, _ = toml.Decode(doc, &ports)
	cases := map[string]any{
		"decode":      v,
		"keys":        keys,
		"is_defined":  meta.IsDefined("owner", "name"),
		"encode":      out.String(),
		"parse_error": []any{isParse, perr.Position.Line, perr.Position.Col},
		"error_text":  err.Error(),
		"undecoded":   len(meta.Undecoded()),
		"marshal":     mustMarshal(map[string]any{"a": 1}),
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}

func mustMarshal(v any) string {
	b, _ := toml.Marshal(v)
	return string(b)
}
