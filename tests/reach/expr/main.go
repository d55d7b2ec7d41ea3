// Expected values for tests/test_reach.py: github.com/expr-lang/expr, as its
// README shows it: Eval with an env map, Compile then Run.
package main

import (
	"encoding/json"
	"os"

	"github.com/expr-lang/expr"
)

func main() {
	env := map[string]any{"x": 3, "items": []any{1, 2, 3}, "name": "go"}
	eval := func(code string) any {
		v, err := expr.Eval(code, env)
		if err != nil {
			return "error: " + err.Error()
		}
		return v
	}
	program, _ := expr.Compile("x * 2 + len(items)", expr.Env(env))
	run, _ := expr.Run(program, env)
	cases := map[string]any{
		"arith":   eval("1 + 2 * x"),
		"filter":  eval("filter(items, # > 1)"),
		"string":  eval(`name + "pher"`),
		"compare": eval("x > 2 && name == 'go'"),
		"compile": run,
		"error":   eval("1 +"),
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
