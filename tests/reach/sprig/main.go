// Expected values for tests/test_reach.py: github.com/Masterminds/sprig/v3
// through text/template, and its FuncMap's funcs called directly.
package main

import (
	"encoding/json"
	"os"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

func render(text string) string {
	var out strings.Builder
	t := template.Must(template.New("t").Funcs(sprig.FuncMap()).Parse(text))
	_ = t.Execute(&out, map[string]any{"Name": "gopher"})
	return out.String()
}

func main() {
	fm := sprig.FuncMap()
	cases := map[string]any{
		"upper":     fm["upper"].(func(string) string)("x"),
		"repeat":    fm["repeat"].(func(int, string) string)(3, "ab"),
		"trunc":     fm["trunc"].(func(int, string) string)(3, "abcdef"),
		"template":  render(`{{ .Name | upper | repeat 2 }}`),
		"default":   render(`{{ .Missing | default "none" }}`),
		"join":      render(`{{ list "a" "b" | join "-" }}`),
		"has_funcs": len(fm) > 100,
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
