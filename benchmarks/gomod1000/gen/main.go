// Command gen writes funcs_gen.go, the 1000 functions of benchmod1000:
// each of the verbs below (a shape of signature, in funcs.go.tmpl) for
// each of the nouns. Its output depends on nothing but this file and the
// template, so the checked-in funcs_gen.go is what it writes.
//
//	go run ./gen -o funcs_gen.go   (go generate, in benchmarks/gomod1000)
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"go/format"
	"os"
	"strings"
	"text/template"
)

//go:embed funcs.go.tmpl
var source string

// The shapes: one template each in funcs.go.tmpl.
var verbs = []string{
	"Clamp", "Scale", "Label", "Checksum", "Parse", "Encode", "Decode", "Mean", "Total", "Valid",
	"Move", "Summarize", "Lookup", "Tag", "Check", "Window", "Join", "Count", "Ratio", "Flag",
	"Open", "Index", "Round", "Split", "Pad",
}

var nouns = []string{
	"Order", "Invoice", "Sensor", "Account", "Route", "Shipment", "Ticket", "Sample", "Reading", "Payment",
	"Session", "Batch", "Device", "Report", "Metric", "Customer", "Product", "Region", "Channel", "Message",
	"Profile", "Segment", "Vendor", "Budget", "Forecast", "Asset", "Contract", "Policy", "Claim", "Vessel",
	"Parcel", "Station", "Journey", "Record", "Schedule", "Signal", "Quota", "Tariff", "Cluster", "Warehouse",
}

// wanted is the number of functions the benchmark row is about.
const wanted = 1000

// Func is what a shape's template fills in.
type Func struct {
	Name   string // Verb + Noun: ClampOrder
	Lower  string // the noun in lower case, for comments and strings
	Seed   int    // a per-function constant, so that no two bodies are alike
	Factor string // a per-function float literal
}

func main() {
	out := flag.String("o", "", "the file to write (standard output when empty)")
	flag.Parse()
	code, err := render()
	if err == nil {
		if *out == "" {
			_, err = os.Stdout.Write(code)
		} else {
			err = os.WriteFile(*out, code, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// render is the formatted source of funcs_gen.go.
func render() ([]byte, error) {
	if n := len(verbs) * len(nouns); n != wanted {
		return nil, fmt.Errorf("%d verbs × %d nouns make %d functions, not %d", len(verbs), len(nouns), n, wanted)
	}
	var tmpl *template.Template
	shape := func(f shaped) (string, error) {
		var buf bytes.Buffer
		err := tmpl.ExecuteTemplate(&buf, f.Verb, f.Func)
		return buf.String(), err
	}
	tmpl, err := template.New("funcs").Funcs(template.FuncMap{"shape": shape}).Parse(source)
	if err != nil {
		return nil, err
	}
	var funcs []shaped
	for v, verb := range verbs {
		for n, noun := range nouns {
			i := v*len(nouns) + n
			funcs = append(funcs, shaped{verb, Func{
				Name:   verb + noun,
				Lower:  strings.ToLower(noun),
				Seed:   16 + (i*7919)%4096,
				Factor: fmt.Sprintf("%d.%02d", 1+i%3, (i*37)%100),
			}})
		}
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "file", struct{ Funcs []shaped }{funcs}); err != nil {
		return nil, err
	}
	return format.Source(buf.Bytes())
}

// shaped is a function and the template that writes it.
type shaped struct {
	Verb string
	Func
}
