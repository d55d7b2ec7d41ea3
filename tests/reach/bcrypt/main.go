// Expected values for tests/test_reach.py: golang.org/x/crypto/bcrypt, with
// its sentinel error.
package main

import (
	"encoding/json"
	"errors"
	"os"

	"golang.org/x/crypto/bcrypt"
)

func main() {
	hash, _ := bcrypt.GenerateFromPassword([]byte("secret"), 4)
	mismatch := bcrypt.CompareHashAndPassword(hash, []byte("wrong"))
	cost, _ := bcrypt.Cost(hash)
	_, costErr := bcrypt.GenerateFromPassword([]byte("x"), 99)
	cases := map[string]any{
		"matches":      bcrypt.CompareHashAndPassword(hash, []byte("secret")) == nil,
		"mismatch":     errors.Is(mismatch, bcrypt.ErrMismatchedHashAndPassword),
		"mismatch_msg": mismatch.Error(),
		"cost":         cost,
		"cost_error":   costErr.Error(),
		"too_short":    errors.Is(bcrypt.CompareHashAndPassword([]byte("x"), []byte("x")), bcrypt.ErrHashTooShort),
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
