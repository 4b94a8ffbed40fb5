package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/erekins/erekins/billing"
)

// fullKnown is what the database holds for testdata/full.json: the price plan and the
// metering point of an earlier import.
func fullKnown() *KnownSet {
	return &KnownSet{
		PricePlans: map[string]bool{"OLD-PLAN": true},
		MeteringPoints: map[string]billing.MeteringPoint{
			"MP-OLD-001": {Code: "MP-OLD-001", Digits: 6, Multiplier: 1, Registers: []string{"T1"}},
		},
	}
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// deleted as a mutation's value removes the member.
type deleted struct{}

// mutation sets the value at a dotted path ("customers.0.contracts.0.number"); array
// elements are numbered from 0.
type mutation struct {
	path  string
	value any
}

func set(path string, value any) mutation { return mutation{path, value} }
func del(path string) mutation            { return mutation{path, deleted{}} }

// mutate applies the mutations to a JSON document.
func mutate(t testing.TB, doc []byte, ms ...mutation) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		parts := strings.Split(m.path, ".")
		cur := root
		for _, p := range parts[:len(parts)-1] {
			cur = step(t, cur, p, m.path)
		}
		last := parts[len(parts)-1]
		switch c := cur.(type) {
		case map[string]any:
			if _, ok := m.value.(deleted); ok {
				delete(c, last)
			} else {
				c[last] = m.value
			}
		case []any:
			i, err := strconv.Atoi(last)
			if err != nil || i >= len(c) {
				t.Fatalf("mutate %s: no element %s", m.path, last)
			}
			c[i] = m.value
		default:
			t.Fatalf("mutate %s: cannot set in %T", m.path, cur)
		}
	}
	out, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func step(t testing.TB, cur any, p, path string) any {
	t.Helper()
	switch c := cur.(type) {
	case map[string]any:
		next, ok := c[p]
		if !ok {
			t.Fatalf("mutate %s: no member %s", path, p)
		}
		return next
	case []any:
		i, err := strconv.Atoi(p)
		if err != nil || i >= len(c) {
			t.Fatalf("mutate %s: no element %s", path, p)
		}
		return c[i]
	}
	t.Fatalf("mutate %s: cannot step into %T", path, cur)
	return nil
}

// load runs Load and returns its problems; it fails the test on an error of another kind.
func load(t testing.TB, doc []byte, known Known) (*Dataset, Errors) {
	t.Helper()
	ds, err := Load(bytes.NewReader(doc), known)
	if err == nil {
		return ds, nil
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Load: %v (%T), want Errors", err, err)
	}
	return ds, errs
}
