// Expected values for tests/test_reach.py: github.com/dop251/goja, running
// JavaScript that calls a function the host set.
package main

import (
	"encoding/json"
	"os"
	"strings"

	"github.com/dop251/goja"
)

func main() {
	vm := goja.New()
	_ = vm.Set("greet", func(args ...any) (any, error) { return "hello " + args[0].(string), nil })
	_ = vm.Set("shout", func(args ...any) (any, error) { return strings.ToUpper(args[0].(string)), nil })
	v, _ := vm.RunString(`greet("js") + " " + (1 + 2)`)
	arr, _ := vm.RunString(`[1, 2, 3].map(x => x * 2)`)
	obj, _ := vm.RunString(`({a: 1, b: "two"})`)
	_, err := vm.RunString(`throw new Error("boom")`)
	chained, _ := vm.RunString(`shout(greet("py"))`)
	cases := map[string]any{
		"call_host": v.String(),
		"array":     arr.Export(),
		"object":    obj.Export(),
		"exception": err.Error(),
		"chained":   chained.Export(),
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
