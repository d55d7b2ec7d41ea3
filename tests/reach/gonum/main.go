// Expected values for tests/test_reach.py: gonum.org/v1/gonum (stat and
// the packages its API leads to).
package main

import (
	"encoding/json"
	"os"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

var (
	xs      = []float64{2, 4, 4, 4, 5, 5, 7, 9}
	ys      = []float64{1, 3, 2, 5, 4, 6, 8, 9}
	weights = []float64{1, 2, 1, 1, 1, 2, 1, 1}
)

func main() {
	sorted := append([]float64(nil), xs...)
	alpha, beta := stat.LinearRegression(xs, ys, nil, false)
	meanW, stdW := stat.MeanStdDev(xs, weights)
	a := mat.NewDense(2, 2, []float64{4, 7, 2, 6})
	var inv mat.Dense
	_ = inv.Inverse(a)
	normal := distuv.Normal{Mu: 0, Sigma: 1}
	cases := map[string]any{
		"mean":              stat.Mean(xs, nil),
		"weighted_mean":     stat.Mean(xs, weights),
		"variance":          stat.Variance(xs, nil),
		"std_dev":           stat.StdDev(xs, nil),
		"mean_std_dev":      []any{meanW, stdW},
		"correlation":       stat.Correlation(xs, ys, nil),
		"covariance":        stat.Covariance(xs, ys, nil),
		"quantile":          stat.Quantile(0.5, stat.Empirical, sorted, nil),
		"linear_regression": []any{alpha, beta},
		"r_squared":         stat.RSquared(xs, ys, nil, alpha, beta),
		"skew":              stat.Skew(xs, nil),
		"entropy":           stat.Entropy([]float64{0.25, 0.25, 0.5}),
		"kl_divergence":     stat.KullbackLeibler([]float64{0.5, 0.5}, []float64{0.9, 0.1}),
		"mode":              []any{mode(xs)},
		"floats_sum":        floats.Sum(xs),
		"floats_max":        floats.Max(ys),
		"floats_dot":        floats.Dot(xs, ys),
		"det":               mat.Det(a),
		"inverse":           []any{inv.At(0, 0), inv.At(0, 1), inv.At(1, 0), inv.At(1, 1)},
		"normal_cdf":        normal.CDF(1.96),
		"normal_quantile":   normal.Quantile(0.975),
	}
	if err := json.NewEncoder(os.Stdout).Encode(cases); err != nil {
		panic(err)
	}
}

func mode(x []float64) float64 {
	v, _ := stat.Mode(x, nil)
	return v
}
