// Package jsontag reads struct tags the way encoding/json does; the scanner
// (records) and the runtime (plain structs inside `any`) must agree on keys.
package jsontag

import (
	"reflect"
	"strings"
)

// Name returns the key of a struct field with the given tag: the json tag
// name when set (tagged), else the Go field name; skip for `json:"-"`.
func Name(tag, goName string) (name string, tagged, skip bool) {
	value, ok := reflect.StructTag(tag).Lookup("json")
	if !ok {
		return goName, false, false
	}
	if value == "-" {
		return "", false, true
	}
	name, _, _ = strings.Cut(value, ",")
	if name == "" {
		return goName, false, false
	}
	return name, true, false
}
