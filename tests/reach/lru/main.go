// Expected values for tests/test_reach.py: github.com/hashicorp/golang-lru/v2,
// used without listing generic instantiations.
package main

import (
	"encoding/json"
	"os"

	lru "github.com/hashicorp/golang-lru/v2"
)

func main() {
	c, _ := lru.New[any, any](2)
	c.Add("a", 1)
	c.Add("b", 2)
	evicted := c.Add("c", 3)
	va, oka := c.Get("a")
	vc, okc := c.Get("c")
	peek, _ := c.Peek("b")
	keys := c.Keys()
	length := c.Len()
	c.Remove("b")
	cases := map[string]any{
		"evicted":   evicted,
		"get_a":     []any{va, oka},
		"get_c":     []any{vc, okc},
		"peek":      peek,
		"keys":      keys,
		"len":       length,
		"contains":  c.Contains("c"),
		"after_del": c.Keys(),
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
