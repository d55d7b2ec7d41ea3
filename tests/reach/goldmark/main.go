// Expected values for tests/test_reach.py: github.com/yuin/goldmark, as its
// README shows it: Convert(source, w) into a buffer.
package main

import (
	"bytes"
	"encoding/json"
	"os"

	"github.com/yuin/goldmark"
)

var sources = map[string]string{
	"heading":  "# Hello\n",
	"emphasis": "some *emphasis* and **strong**\n",
	"list":     "- a\n- b\n",
	"code":     "```go\nx := 1\n```\n",
	"link":     "[go](https://go.dev)\n",
}

func main() {
	cases := map[string]any{}
	for name, src := range sources {
		var out bytes.Buffer
		_ = goldmark.Convert([]byte(src), &out)
		cases[name] = out.String()
	}
	var out bytes.Buffer
	_ = goldmark.New().Convert([]byte("## Two\n"), &out)
	cases["new_convert"] = out.String()
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
