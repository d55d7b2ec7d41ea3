// Expected values for tests/test_reach.py: github.com/mattn/go-runewidth.
package main

import (
	"encoding/json"
	"os"

	"github.com/mattn/go-runewidth"
)

func main() {
	cond := runewidth.NewCondition()
	cond.EastAsianWidth = true
	narrow := runewidth.NewCondition()
	narrow.EastAsianWidth = false
	cases := map[string]any{
		"string_width":   runewidth.StringWidth("つのだ☆HIRO"),
		"rune_width":     runewidth.RuneWidth('つ'),
		"rune_width_a":   runewidth.RuneWidth('a'),
		"east_asian":     cond.RuneWidth('☆'),
		"not_east_asian": narrow.RuneWidth('☆'),
		"truncate":       runewidth.Truncate("つのだ☆HIRO", 7, "..."),
		"fill_left":      runewidth.FillLeft("x", 4),
		"fill_right":     runewidth.FillRight("つ", 4),
		"wrap":           runewidth.Wrap("つのだ☆HIRO", 4),
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
