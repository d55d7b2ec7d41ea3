// Expected values for tests/test_reach.py: github.com/shopspring/decimal.
package main

import (
	"encoding/json"
	"os"
	"sort"

	"github.com/shopspring/decimal"
)

func main() {
	price, _ := decimal.NewFromString("136.02")
	qty := decimal.NewFromInt(3)
	fee, _ := decimal.NewFromString(".035")
	taxRate, _ := decimal.NewFromString(".08875")
	subtotal := price.Mul(qty)
	preTax := subtotal.Mul(fee.Add(decimal.NewFromFloat(1)))
	total := preTax.Mul(taxRate.Add(decimal.NewFromFloat(1)))
	values := []decimal.Decimal{decimal.RequireFromString("2.5"), decimal.RequireFromString("-1"), decimal.RequireFromString("10")}
	sort.Slice(values, func(i, j int) bool { return values[i].LessThan(values[j]) })
	sorted := []string{}
	for _, v := range values {
		sorted = append(sorted, v.String())
	}
	cases := map[string]any{
		"subtotal":     subtotal.String(),
		"pre_tax":      preTax.String(),
		"total":        total.String(),
		"per_item":     total.Div(qty).String(),
		"round":        total.Round(2).String(),
		"equal":        decimal.RequireFromString("1.5").Equal(decimal.RequireFromString("1.50")),
		"cmp":          decimal.RequireFromString("1.5").Cmp(decimal.RequireFromString("2")),
		"sorted":       sorted,
		"repr":         "<Decimal " + decimal.RequireFromString("1.5").String() + ">",
		"string_fixed": decimal.RequireFromString("3.14159").StringFixed(2),
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
