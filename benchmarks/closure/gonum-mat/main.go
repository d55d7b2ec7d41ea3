// Command mat exports the determinant of a 2×2 matrix to C, written by hand.
package main

import "C"

import "gonum.org/v1/gonum/mat"

//export Det2
func Det2(a, b, c, d C.double) C.double {
	return C.double(mat.Det(mat.NewDense(2, 2, []float64{float64(a), float64(b), float64(c), float64(d)})))
}

func main() {}
