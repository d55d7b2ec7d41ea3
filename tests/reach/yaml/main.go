// Expected values for tests/test_reach.py: gopkg.in/yaml.v3, as its README
// shows it: Unmarshal into a pointer, Marshal, errors.
package main

import (
	"encoding/json"
	"os"

	"gopkg.in/yaml.v3"
)

const doc = "name: go\ntags: [a, b]\nn: 3\n"

func main() {
	var v any
	_ = yaml.Unmarshal([]byte(doc), &v)
	m := map[string]any{}
	_ = yaml.Unmarshal([]byte(doc), &m)
	var node yaml.Node
	_ = yaml.Unmarshal([]byte(doc), &node)
	out, _ := yaml.Marshal(map[string]any{"a": []int{1, 2}, "b": "x"})
	var bad any
	err := yaml.Unmarshal([]byte("a: [1"), &bad)
	var n int64
	typeErr := yaml.Unmarshal([]byte("[1]"), &n)
	_, isTypeError := typeErr.(*yaml.TypeError)
	cases := map[string]any{
		"unmarshal_any":   v,
		"unmarshal_dict":  m,
		"node_kinds":      []any{node.Kind, node.Content[0].Kind, len(node.Content[0].Content)},
		"marshal":         string(out),
		"syntax_error":    err.Error(),
		"type_error":      []any{isTypeError, typeErr.Error()},
		"unmarshal_list":  mustList("[1, two, 3.5]"),
		"unmarshal_value": mustString("hello"),
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}

func mustList(text string) []any {
	var l []any
	_ = yaml.Unmarshal([]byte(text), &l)
	return l
}

func mustString(text string) string {
	var s string
	_ = yaml.Unmarshal([]byte(text), &s)
	return s
}
