package dataset

// The reader as it was before it streamed, kept as the oracle that the streaming reader
// must agree with (TestStreamingMatchesTree, FuzzStreamingMatchesTree).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// oldLoad is Load as it was.
func oldLoad(r io.Reader, known Known) (*Dataset, error) {
	ds, perrs, err := oldParse(r)
	if err != nil {
		return nil, err
	}
	errs := perrs
	for _, e := range Validate(ds, known) {
		var same []FieldError
		for _, p := range perrs {
			if p.Record == e.Record {
				same = append(same, p)
			}
		}
		if !covered(same, e) {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		errs.sort()
		return nil, errs
	}
	return ds, nil
}

func oldParse(r io.Reader) (*Dataset, Errors, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("read dataset: %w", err)
	}
	root, err := oldReadTree(data)
	if err != nil {
		return nil, nil, err
	}
	var top reader
	o := top.object(root, "")
	if o == nil {
		return nil, nil, Errors{{Message: "a dataset is a JSON object with \"version\": 1; the file holds " + root.kind.String()}}
	}
	ds := &Dataset{Version: Version}
	if v, ok := o.integer("version", false); !ok {
		if !o.has("version") {
			top.fail("version", "required: this program reads dataset version %d", Version)
		}
	} else if v != Version {
		// Another version has another shape: nothing else can be read sensibly.
		return nil, nil, Errors{{Field: "version", Message: fmt.Sprintf("unsupported version %d: this program reads dataset version %d", v, Version)}}
	}

	var errs Errors
	record := func(label string, r *reader) {
		for _, e := range r.errs {
			e.Record = label
			errs = append(errs, e)
		}
	}
	if n := o.get("supplier"); n != nil {
		var r reader
		ds.Supplier = readSupplier(&r, n)
		record("supplier", &r)
	}
	if n := o.get("calendar"); n != nil {
		var r reader
		ds.Calendar = readCalendar(&r, n)
		record("calendar", &r)
	}
	for i, n := range top.array(o.get("price_plans"), "price_plans") {
		var r reader
		p := readPricePlan(&r, n)
		ds.PricePlans = append(ds.PricePlans, p)
		record(planLabel(i, p), &r)
	}
	for i, n := range top.array(o.get("customers"), "customers") {
		var r reader
		c := readCustomer(&r, n)
		ds.Customers = append(ds.Customers, c)
		record(customerLabel(i, c), &r)
	}
	for i, n := range top.array(o.get("readings"), "readings") {
		var r reader
		rd := readReading(&r, n)
		rd.Index = i
		ds.Readings = append(ds.Readings, rd)
		record(readingLabel(i, rd), &r)
	}
	o.close()
	errs = append(top.errs, errs...)
	errs.sort()
	return ds, errs, nil
}

// readTree reads exactly one JSON value from data, with syntax errors placed by line and
// column.
func oldReadTree(data []byte) (*node, error) {
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
		return nil, oldSyntaxAt(data, int64(off), "invalid UTF-8; save the file as UTF-8")
	}
	// The whole-document check places a syntax error by its absolute offset; the decoder's
	// token errors are not always placed so.
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			return nil, oldSyntaxAt(data, 0, err.Error())
		}
		switch {
		case len(bytes.TrimSpace(data)) == 0:
			return nil, oldSyntaxAt(data, int64(len(data)), "the file is empty; a dataset is a JSON object")
		case se.Offset >= int64(len(data)) && strings.HasPrefix(se.Error(), "unexpected end"):
			return nil, oldSyntaxAt(data, int64(len(data)), "unexpected end of file: an object, array or string is not closed")
		case strings.Contains(se.Error(), "after top-level value"):
			return nil, oldSyntaxAt(data, se.Offset-1, "unexpected data after the end of the dataset")
		}
		return nil, oldSyntaxAt(data, se.Offset-1, se.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := oldReadValue(dec, 0)
	if err != nil {
		if errors.Is(err, oldErrTooDeep) {
			return nil, oldSyntaxAt(data, dec.InputOffset(), fmt.Sprintf("nested more than %d levels deep", maxDepth))
		}
		return nil, oldSyntaxAt(data, dec.InputOffset(), err.Error())
	}
	return n, nil
}

var oldErrTooDeep = errors.New("too deeply nested")

func oldReadValue(dec *json.Decoder, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, oldErrTooDeep
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
			v, err := oldReadValue(dec, depth+1)
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
func oldSyntaxAt(data []byte, off int64, msg string) *SyntaxError {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col := utf8.RuneCount(before[start:]) + 1
	return &SyntaxError{Line: line, Column: col, Message: msg}
}
