// Expected values for tests/test_reach.py: github.com/Masterminds/semver/v3.
package main

import (
	"encoding/json"
	"os"
	"sort"

	"github.com/Masterminds/semver/v3"
)

func main() {
	v := semver.MustParse("1.2.3-beta.1+build.5")
	c, _ := semver.NewConstraint(">= 1.2, < 2.0")
	ok, errs := c.Validate(semver.MustParse("2.1.0"))
	_, strictErr := semver.StrictNewVersion("1.2")
	raw := []string{"1.2.3", "1.0", "1.3", "2.0.0", "0.4.2"}
	versions := make([]*semver.Version, len(raw))
	for i, r := range raw {
		versions[i] = semver.MustParse(r)
	}
	sort.Sort(semver.Collection(versions))
	sorted := make([]string, len(versions))
	for i, s := range versions {
		sorted[i] = s.String()
	}
	next := v.IncMinor()
	withPre, _ := semver.MustParse("1.2.3").SetPrerelease("rc.1")
	cases := map[string]any{
		"string":         v.String(),
		"original":       v.Original(),
		"parts":          []any{v.Major(), v.Minor(), v.Patch()},
		"prerelease":     v.Prerelease(),
		"metadata":       v.Metadata(),
		"inc_minor":      next.String(),
		"inc_patch":      semver.MustParse("1.2.3").IncPatch().String(),
		"inc_major":      v.IncMajor().String(),
		"compare":        semver.MustParse("1.2.3").Compare(semver.MustParse("1.10.0")),
		"less_than":      semver.MustParse("1.2.3").LessThan(semver.MustParse("1.2.4")),
		"equal":          semver.MustParse("1.2").Equal(semver.MustParse("1.2.0")),
		"check":          c.Check(semver.MustParse("1.5.0")),
		"check_fails":    c.Check(semver.MustParse("2.1.0")),
		"validate":       []any{ok, len(errs)},
		"constraint":     c.String(),
		"strict_error":   strictErr.Error(),
		"sorted":         sorted,
		"set_prerelease": withPre.String(),
		"coerce":         semver.MustParse("v2").String(),
	}
	if err := json.NewEncoder(os.Stdout).Encode(cases); err != nil {
		panic(err)
	}
}
