// Expected values for tests/test_reach.py: github.com/dustin/go-humanize.
package main

import (
	"encoding/json"
	"math/big"
	"os"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/dustin/go-humanize/english"
)

func main() {
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	parsed, _ := humanize.ParseBytes("42 MB")
	parsedSI, unit, _ := humanize.ParseSI("2.2345 pF")
	value, prefix := humanize.ComputeSI(0.00023)
	comma, _ := humanize.ParseCommaf("1,234,567.5")
	cases := map[string]any{
		"bytes":         humanize.Bytes(82854982),
		"ibytes":        humanize.IBytes(82854982),
		"comma":         humanize.Comma(-1234567),
		"commaf":        humanize.Commaf(1234567.891),
		"ordinal":       humanize.Ordinal(22),
		"ftoa":          humanize.Ftoa(2.50),
		"ftoa_digits":   humanize.FtoaWithDigits(3.14159, 3),
		"si":            humanize.SI(0.00000023, "F"),
		"si_digits":     humanize.SIWithDigits(1234567, 2, "B"),
		"parse_bytes":   parsed,
		"parse_si":      []any{parsedSI, unit},
		"compute_si":    []any{value, prefix},
		"parse_commaf":  comma,
		"rel_time":      humanize.RelTime(t0, t0.Add(3*time.Hour), "ago", "from now"),
		"big_bytes":     humanize.BigBytes(new(big.Int).Exp(big.NewInt(10), big.NewInt(20), nil)),
		"big_comma":     humanize.BigComma(new(big.Int).Exp(big.NewInt(7), big.NewInt(30), nil)),
		"format_float":  humanize.FormatFloat("#,###.##", 1234567.891),
		"format_int":    humanize.FormatInteger("#.###,", 1234567),
		"word_series":   english.WordSeries([]string{"a", "b", "c"}, "and"),
		"oxford_series": english.OxfordWordSeries([]string{"a", "b", "c"}, "or"),
		"plural":        english.Plural(3, "mouse", "mice"),
		"plural_word":   english.PluralWord(2, "bus", ""),
	}
	if err := json.NewEncoder(os.Stdout).Encode(cases); err != nil {
		panic(err)
	}
}
