package expr

import (
	"strconv"
	"strings"
)

// Expr is a node of a parsed expression. String renders the node back as
// canonical expression text: single spaces after commas, string literals
// with doubled quotes, built-in function names in their documented
// spelling (resourceId, toLower, ...) and property names as .name or
// ['name'].
type Expr interface {
	// Pos returns the byte offset of the node in the parsed text.
	Pos() int
	String() string
	isExpr()
}

// StringLit is a string literal: 'text'.
type StringLit struct {
	Offset int
	Value  string
}

// IntLit is an integer literal, possibly negative.
type IntLit struct {
	Offset int
	Value  int64
}

// Call is a function call name(args...) or a user-defined function call
// namespace.name(args...).
type Call struct {
	Offset    int
	Namespace string // "" for built-in functions
	Name      string // as written
	Args      []Expr

	fn *function // the built-in function named, found when parsed (nil: look it up when evaluated)
}

// PropAccess is a property access X.Name.
type PropAccess struct {
	Offset int // offset of the '.'
	X      Expr
	Name   string
}

// IndexAccess is an index access X[Index].
type IndexAccess struct {
	Offset int // offset of the '['
	X      Expr
	Index  Expr
}

// Pos returns the byte offset of the node in the expression text.
func (n *StringLit) Pos() int { return n.Offset }

// Pos returns the byte offset of the node in the expression text.
func (n *IntLit) Pos() int { return n.Offset }

// Pos returns the byte offset of the node in the expression text.
func (n *Call) Pos() int { return n.Offset }

// Pos returns the byte offset of the node in the expression text.
func (n *PropAccess) Pos() int { return n.Offset }

// Pos returns the byte offset of the node in the expression text.
func (n *IndexAccess) Pos() int { return n.Offset }

func (*StringLit) isExpr()   {}
func (*IntLit) isExpr()      {}
func (*Call) isExpr()        {}
func (*PropAccess) isExpr()  {}
func (*IndexAccess) isExpr() {}

func (n *StringLit) String() string { return quote(n.Value) }
func (n *IntLit) String() string    { return strconv.FormatInt(n.Value, 10) }

func (n *Call) String() string {
	var b strings.Builder
	b.WriteString(n.FullName())
	b.WriteByte('(')
	for i, a := range n.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.String())
	}
	b.WriteByte(')')
	return b.String()
}

// FullName returns the canonical name of the called function: the
// documented spelling of a built-in, or namespace.name for a user-defined
// function.
func (n *Call) FullName() string {
	if n.Namespace != "" {
		return n.Namespace + "." + n.Name
	}
	return canonicalName(n.Name)
}

func (n *PropAccess) String() string  { return n.X.String() + propSuffix(n.Name) }
func (n *IndexAccess) String() string { return n.X.String() + "[" + n.Index.String() + "]" }
