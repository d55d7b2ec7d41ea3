package scan

import (
	"bytes"
	"reflect"
	"testing"
)

func TestParseEscapesClearsOnlyWhatNothingLeaks(t *testing.T) {
	output := bytes.NewBufferString(`# example.com/m
./a.go:6:6: can inline Sum
./a.go:6:10: xs does not escape
./a.go:14:11: leaking param: xs
./a.go:16:11: leaking param: b to result ~r0 level=0
./a.go:26:17: ys does not escape
./a.go:26:40: ys leaking param content: ys
./a.go:30:5: zs does not escape
./a.go:30:40: leaking param: zs
# example.com/m/sub
../sub/b.go:3:9: xs does not escape
`)
	want := map[paramSite]bool{
		{"example.com/m", "a.go", 6, "xs"}:     true,
		{"example.com/m", "a.go", 26, "ys"}:    true, // "ys leaking …" is not a -m form
		{"example.com/m/sub", "b.go", 3, "xs"}: true,
	}
	got := parseEscapes(output)
	if !reflect.DeepEqual(got.clear, want) {
		t.Fatalf("got %v\nwant %v", got.clear, want)
	}
	toResults := map[paramSite]bool{{"example.com/m", "a.go", 16, "b"}: true}
	if !reflect.DeepEqual(got.toResults, toResults) {
		t.Fatalf("to results: got %v\nwant %v", got.toResults, toResults)
	}
}

func TestAParameterLeakingToAResultAndElsewhereIsNotKeptOnlyInResults(t *testing.T) {
	got := parseEscapes(bytes.NewBufferString(`# example.com/m
./a.go:3:8: leaking param: b to result ~r0 level=0
./a.go:3:8: leaking param: b
./a.go:5:8: leaking param content: c to result ~r0 level=1
`))
	if len(got.toResults) != 0 || len(got.clear) != 0 {
		t.Fatalf("got %v", got)
	}
}
