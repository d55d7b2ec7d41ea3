// Expected values for tests/test_reach.py: github.com/google/uuid.
package main

import (
	"encoding/hex"
	"encoding/json"
	"os"

	"github.com/google/uuid"
)

const text = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"

func main() {
	u := uuid.MustParse(text)
	_, parseErr := uuid.Parse("not-a-uuid")
	fromBytes, _ := uuid.FromBytes([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	fromParseBytes, _ := uuid.ParseBytes([]byte("{" + text + "}"))
	urn, _ := uuid.Parse("urn:uuid:" + text)
	dce := uuid.Must(uuid.NewDCESecurity(uuid.Person, 4242))
	cases := map[string]any{
		"parse":          u.String(),
		"sha1":           uuid.NewSHA1(uuid.NameSpaceDNS, []byte("python.org")).String(),
		"md5":            uuid.NewMD5(uuid.NameSpaceURL, []byte("https://go.dev")).String(),
		"version":        int(u.Version()),
		"version_string": u.Version().String(),
		"variant":        u.Variant().String(),
		"urn":            u.URN(),
		"time":           int64(u.Time()),
		"clock_sequence": u.ClockSequence(),
		"node_id":        hex.EncodeToString(u.NodeID()),
		"parse_error":    parseErr.Error(),
		"validate":       uuid.Validate(text) == nil,
		"from_bytes":     fromBytes.String(),
		"parse_bytes":    fromParseBytes.String(),
		"parse_urn":      urn.String(),
		"namespace_oid":  uuid.NameSpaceOID.String(),
		"nil":            uuid.Nil.String(),
		"dce_id":         int64(dce.ID()),
		"dce_domain":     dce.Domain().String(),
	}
	if err := json.NewEncoder(os.Stdout).Encode(cases); err != nil {
		panic(err)
	}
}
