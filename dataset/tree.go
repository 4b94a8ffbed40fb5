package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

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

// readTree reads exactly one JSON value from data, with syntax errors placed by line and
// column.
func readTree(data []byte) (*node, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark, as some editors write
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return nil, syntaxAt(data, int64(off), "invalid UTF-8; save the file as UTF-8")
	}
	// The whole-document check places a syntax error by its absolute offset; the decoder's
	// token errors are not always placed so.
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			return nil, syntaxAt(data, 0, err.Error())
		}
		switch {
		case len(bytes.TrimSpace(data)) == 0:
			return nil, syntaxAt(data, int64(len(data)), "the file is empty; a dataset is a JSON object")
		case se.Offset >= int64(len(data)) && strings.HasPrefix(se.Error(), "unexpected end"):
			return nil, syntaxAt(data, int64(len(data)), "unexpected end of file: an object, array or string is not closed")
		case strings.Contains(se.Error(), "after top-level value"):
			return nil, syntaxAt(data, se.Offset-1, "unexpected data after the end of the dataset")
		}
		return nil, syntaxAt(data, se.Offset-1, se.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := readValue(dec, 0)
	if err != nil {
		if errors.Is(err, errTooDeep) {
			return nil, syntaxAt(data, dec.InputOffset(), fmt.Sprintf("nested more than %d levels deep", maxDepth))
		}
		return nil, syntaxAt(data, dec.InputOffset(), err.Error())
	}
	return n, nil
}

var errTooDeep = errors.New("too deeply nested")

func readValue(dec *json.Decoder, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return &node{kind: kindNull}, nil
	case bool:
		return &node{kind: kindBool, bool: t}, nil
	case json.Number:
		return &node{kind: kindNumber, text: string(t)}, nil
	case string:
		return &node{kind: kindString, text: t}, nil
	case json.Delim:
		n := &node{kind: kindArray}
		if t == '{' {
			n.kind = kindObject
		}
		for dec.More() {
			if n.kind == kindObject {
				key, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, key.(string)) // the decoder only returns strings here
			}
			v, err := readValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, v)
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
		return n, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// syntaxAt places a message at a byte offset of data.
func syntaxAt(data []byte, off int64, msg string) *SyntaxError {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col := utf8.RuneCount(before[start:]) + 1
	return &SyntaxError{Line: line, Column: col, Message: msg}
}
