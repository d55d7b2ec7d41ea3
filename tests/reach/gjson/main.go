// Expected values for tests/test_reach.py: github.com/tidwall/gjson.
package main

import (
	"encoding/json"
	"os"

	"github.com/tidwall/gjson"
)

const doc = `{"name":{"first":"Tom","last":"Anderson"},"age":37,"children":["Sara","Alex","Jack"],
"fav.movie":"Deer Hunter","friends":[{"first":"Dale","last":"Murphy","age":44,"nets":["ig","fb","tw"]},
{"first":"Roger","last":"Craig","age":68,"nets":["fb","tw"]},{"first":"Jane","last":"Murphy","age":47,"nets":["ig","tw"]}],
"ratio":0.25,"active":true,"nothing":null}`

func main() {
	many := gjson.GetMany(doc, "name.first", "age", "missing")
	manyStrings := make([]string, len(many))
	for i, r := range many {
		manyStrings[i] = r.String()
	}
	children := gjson.Get(doc, "children").Array()
	names := make([]string, len(children))
	for i, c := range children {
		names[i] = c.String()
	}
	var keys []string
	gjson.Get(doc, "name").ForEach(func(key, _ gjson.Result) bool {
		keys = append(keys, key.String())
		return true
	})
	var firstTwo []string
	gjson.Get(doc, "friends.#.first").ForEach(func(_, value gjson.Result) bool {
		firstTwo = append(firstTwo, value.String())
		return len(firstTwo) < 2
	})
	friend := gjson.Get(doc, "friends.0").Map()
	friendKeys := len(friend)
	cases := map[string]any{
		"get_string":    gjson.Get(doc, "name.last").String(),
		"get_int":       gjson.Get(doc, "age").Int(),
		"get_float":     gjson.Get(doc, "ratio").Float(),
		"get_bool":      gjson.Get(doc, "active").Bool(),
		"count":         gjson.Get(doc, "children.#").Int(),
		"wildcard":      gjson.Get(doc, "child*.2").String(),
		"escaped":       gjson.Get(doc, `fav\.movie`).String(),
		"query":         gjson.Get(doc, `friends.#(last=="Murphy")#.first`).Raw,
		"query_number":  gjson.Get(doc, `friends.#(age>45)#.last`).Raw,
		"modifier":      gjson.Get(doc, "children|@reverse").Raw,
		"exists":        []any{gjson.Get(doc, "name").Exists(), gjson.Get(doc, "nope").Exists()},
		"type":          []any{gjson.Get(doc, "age").Type.String(), gjson.Get(doc, "nothing").Type.String()},
		"many":          manyStrings,
		"array":         names,
		"map_len":       friendKeys,
		"valid":         []any{gjson.Valid(doc), gjson.Valid(`{"a":`)},
		"parse_get":     gjson.Parse(doc).Get("friends.1.nets.0").String(),
		"raw":           gjson.Get(doc, "name").Raw,
		"escape":        gjson.Escape("a.b*c"),
		"index":         gjson.Get(doc, "age").Index,
		"less":          gjson.Get(doc, "friends.0.age").Less(gjson.Get(doc, "friends.1.age"), true),
		"for_each":      keys,
		"for_each_stop": firstTwo,
	}
	if err := json.NewEncoder(os.Stdout).Encode(cases); err != nil {
		panic(err)
	}
}
