// Package shapes exercises the scanner's layout rules.
package shapes

// A is embedded.
type A struct {
	Name string
	X    int `json:"x"`
}

// B is embedded next to A.
type B struct {
	Name string
	Y    int
}

// C has a tagged Name.
type C struct {
	Name string `json:"Name"`
}

// Tie embeds two Names at the same depth: encoding/json drops the key.
type Tie struct {
	A
	B
}

// Shallow declares Name itself, which wins over the embedded ones.
type Shallow struct {
	A
	B
	Name string
}

// TagWins has a tagged and an untagged Name at the same depth.
type TagWins struct {
	A
	C
}

// Inner is embedded by pointer in Outer.
type Inner struct{ Deep int }

// Outer is a class: it has a method and a hidden field.
type Outer struct {
	*Inner
	Own    int
	hidden int
}

// M makes Outer a class.
func (o *Outer) M() int { return o.hidden }

// Keywords has parameters named like Python keywords.
func Keywords(from, in int, lambda string, _ bool, x int) {}

// UseAll keeps every type reachable.
func UseAll(Tie, Shallow, TagWins, *Outer) {}

// D is reached twice at the same depth in Diamond.
type D struct{ Z int }

// L embeds D.
type L struct{ D }

// R embeds D too.
type R struct{ D }

// Diamond reaches D.Z through L and through R: the key is ambiguous.
type Diamond struct {
	L
	R
	Own int
}

// DiamondClass is the same shape as a class.
type DiamondClass struct {
	L
	R
	hidden int
}

// Self has a parameter named like Python's receiver.
func (o *Outer) Self(self int) int { return self }

// UseDiamonds keeps the diamonds reachable.
func UseDiamonds(Diamond, *DiamondClass) {}
