// Expected values for tests/test_reach.py: github.com/itchyny/gojq, as its
// README shows it: Parse, Run, iterate with Next, errors as values.
package main

import (
	"encoding/json"
	"os"

	"github.com/itchyny/gojq"
)

func run(q string, input any) []any {
	query, err := gojq.Parse(q)
	if err != nil {
		return []any{"parse error: " + err.Error()}
	}
	var out []any
	iter := query.Run(input)
	for {
		v, ok := iter.Next()
		if !ok {
			return out
		}
		if err, ok := v.(error); ok {
			out = append(out, "error: "+err.Error())
			continue
		}
		out = append(out, v)
	}
}

func main() {
	input := map[string]any{"foo": []any{1, 2, 3}, "bar": map[string]any{"baz": "x"}}
	_, perr := gojq.Parse(".foo |")
	cases := map[string]any{
		"select":      run(".foo[] | select(. > 1)", input),
		"keys":        run("keys", input),
		"recurse":     run(".. | numbers", input),
		"error_value": run(".bar.baz.qux", input),
		"construct":   run("{a: .foo[0], b: .bar.baz}", input),
		"parse_error": perr.Error(),
		"length":      run(".foo | length", input),
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
