// Expected values for tests/test_reach.py: golang.org/x/text (cases,
// language and friends).
package main

import (
	"encoding/json"
	"os"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

func main() {
	tag := language.MustParse("sr-Latn-RS")
	base, _ := tag.Base()
	script, _ := tag.Script()
	region, _ := tag.Region()
	matcher := language.NewMatcher([]language.Tag{language.English, language.French, language.German})
	matched, index, confidence := matcher.Match(language.MustParse("fr-CH"))
	parsed, _, _ := language.ParseAcceptLanguage("da, en-gb;q=0.8, en;q=0.7")
	accepted := make([]string, len(parsed))
	for i, t := range parsed {
		accepted[i] = t.String()
	}
	cases_ := map[string]any{
		"upper":             cases.Upper(language.Und).String("hello, gopher"),
		"lower_turkish":     cases.Lower(language.Turkish).String("İSTANBUL"),
		"title":             cases.Title(language.Dutch).String("ijsselmeer en de wadden"),
		"title_no_lower":    cases.Title(language.English, cases.NoLower).String("the iPhone story"),
		"fold":              cases.Fold().String("Straße"),
		"tag":               tag.String(),
		"parts":             []any{base.String(), script.String(), region.String()},
		"parent":            tag.Parent().String(),
		"match":             []any{matched.String(), index, confidence.String()},
		"accept_language":   accepted,
		"compose":           language.Make("en-US").String(),
		"display":           display.English.Tags().Name(language.MustParse("de-CH")),
		"self_name":         display.Self.Name(language.Japanese),
		"printer":           message.NewPrinter(language.German).Sprintf("%d", 1234567),
		"nfc":               norm.NFC.String("e\u0301"),
		"nfd_len":           len(norm.NFD.String("é")),
		"nfkc":              norm.NFKC.String("ｶﾞ①"),
		"is_normal":         norm.NFC.IsNormalString("é"),
		"width_fold":        width.Fold.String("ＡＢＣ１２３"),
		"width_widen":       width.Widen.String("abc"),
		"region_iso3":       region.ISO3(),
		"region_is_country": region.IsCountry(),
	}
	if err := json.NewEncoder(os.Stdout).Encode(cases_); err != nil {
		panic(err)
	}
}
