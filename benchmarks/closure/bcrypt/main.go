// Command bcrypt exports bcrypt.Cost to C, written by hand.
package main

import "C"

import (
	"unsafe"

	"golang.org/x/crypto/bcrypt"
)

//export Cost
func Cost(hash *C.char, n C.int) C.int {
	cost, err := bcrypt.Cost(C.GoBytes(unsafe.Pointer(hash), n))
	if err != nil {
		return -1
	}
	return C.int(cost)
}

func main() {}
