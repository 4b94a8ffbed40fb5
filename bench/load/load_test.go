package main

import (
	"math"
	"testing"
	"time"
)

// TestPercentiles checks the nearest-rank percentiles on shuffled latencies of 1 to n ms,
// where the p-th percentile is ceil(p·n) ms.
func TestPercentiles(t *testing.T) {
	for _, n := range []int{1, 7, 100, 1000} {
		lat := make([]time.Duration, n)
		for i := range lat {
			lat[(i*7919)%n] = time.Duration(i+1) * time.Millisecond // every value once, out of order
		}
		r := row("x", lat, 0, 0, time.Second, nil)
		for _, c := range []struct {
			p   float64
			got float64
		}{{0.5, r.P50}, {0.9, r.P90}, {0.99, r.P99}, {1, r.Max}} {
			if want := math.Ceil(c.p * float64(n)); c.got != want {
				t.Errorf("n=%d: p%v = %v ms, want %v", n, c.p*100, c.got, want)
			}
		}
		if r.Count != n || r.PerSecond != float64(n) {
			t.Errorf("n=%d: count %d, rate %v", n, r.Count, r.PerSecond)
		}
	}
}

func TestParseMix(t *testing.T) {
	for _, c := range []struct {
		in    string
		names []string
		ok    bool
	}{
		{defaultMix, []string{"signin", "archive", "pdf", "reading", "api"}, true},
		{"pdf=1, archive=0", []string{"pdf"}, true},
		{"pdf=1,unknown=2", nil, false},
		{"pdf=-1", nil, false},
		{"pdf", nil, false},
		{"pdf=0", nil, false},
	} {
		m, err := parseMix(c.in)
		if (err == nil) != c.ok {
			t.Errorf("parseMix(%q): error %v, want ok %v", c.in, err, c.ok)
			continue
		}
		if c.ok && len(m.names) != len(c.names) {
			t.Errorf("parseMix(%q) = %v, want %v", c.in, m.names, c.names)
		}
		for i := range c.names {
			if c.ok && m.names[i] != c.names[i] {
				t.Errorf("parseMix(%q) = %v, want %v", c.in, m.names, c.names)
			}
		}
	}
	m, _ := parseMix("pdf=1,api=3")
	if w := m.without("api"); w.has("api") || w.total != 1 {
		t.Errorf("without api: %+v", w)
	}
}
