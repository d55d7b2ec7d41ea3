// Expected values for tests/test_reach.py: cel.dev/cel-go, as its README
// shows it: NewEnv, Compile, Program, Eval.
package main

import (
	"encoding/json"
	"os"

	"cel.dev/cel-go/cel"
)

func main() {
	env, _ := cel.NewEnv(cel.Variable("name", cel.StringType), cel.Variable("n", cel.IntType))
	eval := func(expr string) any {
		ast, iss := env.Compile(expr)
		if iss.Err() != nil {
			return "error: " + iss.Err().Error()
		}
		prg, _ := env.Program(ast)
		out, _, err := prg.Eval(map[string]any{"name": "CEL", "n": 3})
		if err != nil {
			return "error: " + err.Error()
		}
		return out.Value()
	}
	cases := map[string]any{
		"greeting": eval(`"Hello world! I'm " + name + "."`),
		"arith":    eval("n * 2 + 1"),
		"compare":  eval("n > 2 && name.startsWith('C')"),
		"bad":      eval("n +"),
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
