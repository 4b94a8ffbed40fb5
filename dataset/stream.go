package dataset

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/erekins/erekins/calendar"
)

// parser reads a dataset document from a lexer. The top-level members are read into a
// tree, except the arrays of customers and readings, which are read one record at a time
// into a section and stand in the tree as empty arrays.
type parser struct {
	lx       *lexer
	streamed map[*node]*section

	// Scratch for the reading being read, reused from one reading to the next.
	members []member
	text    []byte
	dates   map[string]int32
	times   map[string]instant
}

// section is what a streamed array gave: its records and their problems of shape.
type section struct {
	customers []Customer
	readings  *ReadingSet
	errs      Errors
}

// document reads the whole input: one JSON value and nothing after it.
func (p *parser) document() (*node, error) {
	lx := p.lx
	lx.skipBOM()
	root, err := p.top()
	if err == nil {
		err = lx.next()
		if err == nil && lx.kind != tokEOF {
			err = errors.New("data after the end") // the lexer reports it first
		}
	}
	if err == nil {
		return root, nil
	}
	var le *lexError
	if !errors.As(err, &le) {
		return nil, err
	}
	if le.deep {
		// The file as a whole is checked first: a later syntax error is the one reported.
		line, col := lx.position(le.off)
		for {
			err := lx.next()
			if errors.As(err, &le) {
				return nil, lx.syntax(le)
			}
			if err != nil {
				return nil, err
			}
			if lx.kind == tokEOF {
				if lx.rerr != nil {
					return nil, fmt.Errorf("read dataset: %w", lx.rerr)
				}
				return nil, &SyntaxError{Line: line, Column: col, Message: fmt.Sprintf("nested more than %d levels deep", maxDepth)}
			}
		}
	}
	return nil, lx.syntax(le)
}

func (p *parser) top() (*node, error) {
	lx := p.lx
	if err := lx.next(); err != nil {
		return nil, err
	}
	if lx.kind != tokBeginObject {
		return readValue(lx, 0)
	}
	root := &node{kind: kindObject}
	for {
		if err := lx.next(); err != nil {
			return nil, err
		}
		if lx.kind == tokEndObject {
			return root, nil
		}
		key := string(lx.text)
		if err := lx.next(); err != nil {
			return nil, err
		}
		var v *node
		var err error
		switch {
		case key == "customers" && lx.kind == tokBeginArray:
			v, err = p.customers()
		case key == "readings" && lx.kind == tokBeginArray:
			v, err = p.readings()
		default:
			v, err = readValue(lx, 1)
		}
		if err != nil {
			return nil, err
		}
		root.keys = append(root.keys, key)
		root.elems = append(root.elems, v)
	}
}

// customers reads the array of customers, converting each as soon as it is read.
func (p *parser) customers() (*node, error) {
	lx := p.lx
	sec := &section{}
	var chunks [][]Customer // grown in chunks, copied once at the end
	var chunk []Customer
	for i := 0; ; i++ {
		if err := lx.next(); err != nil {
			return nil, err
		}
		if lx.kind == tokEndArray {
			break
		}
		n, err := readValue(lx, 2)
		if err != nil {
			return nil, err
		}
		var r reader
		c := readCustomer(&r, n)
		if len(chunk) == cap(chunk) {
			if chunk != nil {
				chunks = append(chunks, chunk)
			}
			chunk = make([]Customer, 0, 1024)
		}
		chunk = append(chunk, c)
		sec.errs = r.labelled(sec.errs, customerLabel(i, c))
	}
	sec.customers = slices.Concat(append(chunks, chunk)...)
	ph := &node{kind: kindArray}
	p.streamed[ph] = sec
	return ph, nil
}

// labelled appends the reader's problems to errs with the record's label.
func (r *reader) labelled(errs Errors, label string) Errors {
	for _, e := range r.errs {
		e.Record = label
		errs = append(errs, e)
	}
	return errs
}

// readings reads the array of readings into a ReadingSet.
func (p *parser) readings() (*node, error) {
	lx := p.lx
	sec := &section{readings: newReadingSet()}
	for i := 0; ; i++ {
		if err := lx.next(); err != nil {
			return nil, err
		}
		if lx.kind == tokEndArray {
			break
		}
		if err := p.reading(sec, i); err != nil {
			return nil, err
		}
	}
	ph := &node{kind: kindArray}
	p.streamed[ph] = sec
	return ph, nil
}

// The members of a reading, by position; the fast path knows them by their index.
var readingKeys = [...]string{"metering_point", "register", "date", "value", "source", "submitted_by", "submitted_at", "confirmed"}

const (
	rkMeteringPoint = iota
	rkRegister
	rkDate
	rkValue
	rkSource
	rkSubmittedBy
	rkSubmittedAt
	rkConfirmed
)

func readingKey(b []byte) int {
	switch string(b) {
	case "metering_point":
		return rkMeteringPoint
	case "register":
		return rkRegister
	case "date":
		return rkDate
	case "value":
		return rkValue
	case "source":
		return rkSource
	case "submitted_by":
		return rkSubmittedBy
	case "submitted_at":
		return rkSubmittedAt
	case "confirmed":
		return rkConfirmed
	}
	return -1
}

// member is a scalar member of the reading being read, its text in parser.text.
type member struct {
	key      int
	kind     tokKind
	from, to int
}

// reading reads reading i, whose first token the lexer has just read. The usual reading
// (an object of known members with well-formed values) becomes a row directly; any other
// goes through the tree and readReading, which say what is wrong with it.
func (p *parser) reading(sec *section, i int) error {
	lx := p.lx
	if lx.kind != tokBeginObject {
		n, err := readValue(lx, 2)
		if err != nil {
			return err
		}
		p.slowReading(sec, i, n)
		return nil
	}
	p.members, p.text = p.members[:0], p.text[:0]
	var seen uint
	for {
		if err := lx.next(); err != nil {
			return err
		}
		if lx.kind == tokEndObject {
			break
		}
		k := readingKey(lx.text)
		if k < 0 || seen&(1<<k) != 0 {
			return p.slowRest(sec, i)
		}
		seen |= 1 << k
		if err := lx.next(); err != nil {
			return err
		}
		if lx.kind == tokBeginObject || lx.kind == tokBeginArray {
			return p.slowRest(sec, i, readingKeys[k])
		}
		from := len(p.text)
		p.text = append(p.text, lx.text...)
		p.members = append(p.members, member{key: k, kind: lx.kind, from: from, to: len(p.text)})
	}
	if !p.fastRow(sec.readings) {
		p.slowReading(sec, i, p.membersNode())
	}
	return nil
}

// membersNode is the tree of the members read so far.
func (p *parser) membersNode() *node {
	n := &node{kind: kindObject}
	for _, m := range p.members {
		v := &node{}
		switch m.kind {
		case tokString:
			v.kind, v.text = kindString, string(p.text[m.from:m.to])
		case tokNumber:
			v.kind, v.text = kindNumber, string(p.text[m.from:m.to])
		case tokTrue, tokFalse:
			v.kind, v.bool = kindBool, m.kind == tokTrue
		default:
			v.kind = kindNull
		}
		n.keys = append(n.keys, readingKeys[m.key])
		n.elems = append(n.elems, v)
	}
	return n
}

// slowRest reads the rest of a reading into the tree of its members so far. With key, the
// lexer is at the first token of that member's value; without, at a member's key.
func (p *parser) slowRest(sec *section, i int, key ...string) error {
	lx := p.lx
	n := p.membersNode()
	pending := len(key) > 0
	for {
		var k string
		if pending {
			k, pending = key[0], false
		} else {
			if lx.kind == tokEndObject {
				break
			}
			k = string(lx.text)
			if err := lx.next(); err != nil {
				return err
			}
		}
		v, err := readValue(lx, 3)
		if err != nil {
			return err
		}
		n.keys = append(n.keys, k)
		n.elems = append(n.elems, v)
		if err := lx.next(); err != nil {
			return err
		}
	}
	p.slowReading(sec, i, n)
	return nil
}

// slowReading reads reading i from its tree, with every problem of shape.
func (p *parser) slowReading(sec *section, i int, n *node) {
	var r reader
	rd := readReading(&r, n)
	rd.Index = i
	sec.readings.addWhole(rd)
	sec.errs = r.labelled(sec.errs, readingLabel(i, rd))
}

// fastRow adds the reading in p.members as a row if it is of the usual form, with no
// problem of shape; false otherwise.
func (p *parser) fastRow(s *ReadingSet) bool {
	rw := row{day: noDay, at: noTime}
	var mp, zone []byte
	hasValue := false
	for _, m := range p.members {
		text := p.text[m.from:m.to]
		if m.kind == tokNull {
			if m.key == rkValue {
				return false // required
			}
			continue // as if absent
		}
		switch m.key {
		case rkConfirmed:
			if m.kind != tokTrue && m.kind != tokFalse {
				return false
			}
			if m.kind == tokTrue {
				rw.flags |= confirmed
			}
			continue
		}
		if m.kind != tokString {
			return false
		}
		switch m.key {
		case rkMeteringPoint:
			mp = text
		case rkRegister:
			zone = text
		case rkDate:
			d, ok := p.date(text)
			if !ok {
				return false
			}
			rw.day = d
		case rkValue:
			mant, exp, ok := plainValue(text)
			if !ok {
				return false
			}
			rw.mant, hasValue = mant, true
			rw.flags |= uint8(-exp)
		case rkSource:
			src := -1
			for j, s := range sources {
				if s == string(text) {
					src = j
				}
			}
			if src < 0 {
				return false
			}
			rw.flags |= uint8(src) << srcShift
		case rkSubmittedBy:
			rw.by = s.internBy(text)
		case rkSubmittedAt:
			t, ok := p.instant(s, text)
			if !ok {
				return false
			}
			rw.at, rw.zone = t.at, t.zone
		}
	}
	if !hasValue {
		return false
	}
	rw.reg = s.intern(mp, zone)
	s.rows.add(rw)
	return true
}

// plainValue reads a non-negative plain decimal of at most 18 digits, as mant × 10^exp.
func plainValue(b []byte) (mant int64, exp int8, ok bool) {
	digits, dot := 0, -1
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			mant = mant*10 + int64(c-'0')
			digits++
		case c == '.' && dot < 0 && i > 0 && i < len(b)-1:
			dot = i
		default:
			return 0, 0, false
		}
	}
	if digits == 0 || digits > 18 {
		return 0, 0, false
	}
	if dot >= 0 {
		exp = int8(-(len(b) - dot - 1))
	}
	return mant, exp, true
}

// The caches of dates and instants hold the few distinct values a file repeats; bounded,
// as a file may also hold many.
const maxCached = 4096

// date parses a YYYY-MM-DD date into a day number.
func (p *parser) date(b []byte) (int32, bool) {
	if d, ok := p.dates[string(b)]; ok {
		return d, true
	}
	d, err := calendar.ParseDate(string(b))
	if err != nil {
		return 0, false
	}
	if p.dates == nil || len(p.dates) >= maxCached {
		p.dates = make(map[string]int32)
	}
	p.dates[string(b)] = dateDay(d)
	return dateDay(d), true
}

type instant struct {
	at   int64
	zone int16
}

// instant parses an RFC 3339 instant.
func (p *parser) instant(s *ReadingSet, b []byte) (instant, bool) {
	if t, ok := p.times[string(b)]; ok {
		return t, true
	}
	t, err := time.Parse(time.RFC3339, string(b))
	if err != nil {
		return instant{}, false
	}
	at, ok := instantNanos(t)
	if !ok {
		return instant{}, false
	}
	zone, ok := s.internZone(t)
	if !ok {
		return instant{}, false
	}
	in := instant{at: at, zone: zone}
	if p.times == nil || len(p.times) >= maxCached {
		p.times = make(map[string]instant)
	}
	p.times[string(b)] = in
	return in, true
}
