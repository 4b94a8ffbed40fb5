package dataset

import "fmt"

// maxDepth bounds nesting; a valid dataset nests about eight levels deep.
const maxDepth = 64

type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

var kindNames = [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}

func (k kind) String() string { return kindNames[k] }

// node is a JSON value with its object members in file order, so that duplicate fields can
// be reported (encoding/json silently keeps the last one).
type node struct {
	kind  kind
	text  string   // a string's value, a number's literal
	bool  bool     // a boolean's value
	keys  []string // an object's member names, parallel to elems
	elems []*node  // an object's member values or an array's elements
}

// readValue reads the value whose first token lx has just read, at depth in the document.
func readValue(lx *lexer, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, &lexError{off: lx.prevEnd, msg: fmt.Sprintf("nested more than %d levels deep", maxDepth), deep: true}
	}
	switch lx.kind {
	case tokNull:
		return &node{kind: kindNull}, nil
	case tokTrue, tokFalse:
		return &node{kind: kindBool, bool: lx.kind == tokTrue}, nil
	case tokNumber:
		return &node{kind: kindNumber, text: string(lx.text)}, nil
	case tokString:
		return &node{kind: kindString, text: lx.textString()}, nil
	case tokBeginObject, tokBeginArray:
		n := &node{kind: kindArray}
		if lx.kind == tokBeginObject {
			n.kind = kindObject
		}
		for {
			if err := lx.next(); err != nil {
				return nil, err
			}
			if lx.kind == tokEndObject || lx.kind == tokEndArray {
				return n, nil
			}
			if n.kind == kindObject {
				n.keys = append(n.keys, lx.textString())
				if err := lx.next(); err != nil {
					return nil, err
				}
			}
			v, err := readValue(lx, depth+1)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, v)
		}
	}
	return nil, fmt.Errorf("unexpected token %d", lx.kind)
}
