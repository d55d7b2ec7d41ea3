package scan

import (
	"fmt"
	"go/types"
)

// pythonKeywords are Go-legal identifiers that cannot be parameter names of
// the Python functions and methods usegolib makes.
var pythonKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "class": true, "def": true, "del": true, "elif": true,
	"except": true, "finally": true, "from": true, "global": true, "in": true, "is": true,
	"lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true, "raise": true,
	"try": true, "while": true, "with": true, "yield": true,
	// Not a keyword, but the receiver's name in every Python method.
	"self": true,
}

// contextKeywords are the keyword arguments Python adds to a function that
// takes a context.Context (usegolib/runtime/context.py).
var contextKeywords = map[string]bool{"timeout": true, "context": true}

// pythonNames gives each parameter a Python keyword name: the Go name, with a
// trailing underscore where it is a Python keyword (PEP 8) or, in a function
// taking a context, one of the keywords Python adds; argN for unnamed or
// blank parameters.
func pythonNames(params *types.Tuple, takesContext bool) []string {
	names := make([]string, params.Len())
	used := map[string]bool{}
	for i := range names {
		name := params.At(i).Name()
		switch {
		case name == "" || name == "_":
			name = fmt.Sprintf("arg%d", i)
		case pythonKeywords[name], takesContext && contextKeywords[name]:
			name += "_"
		}
		for used[name] {
			name += "_"
		}
		used[name] = true
		names[i] = name
	}
	return names
}
