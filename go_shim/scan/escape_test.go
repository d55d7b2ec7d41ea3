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
	if got := parseEscapes(output); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
}
