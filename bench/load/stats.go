package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// series is what one client measured of one request type.
type series struct {
	lat    []time.Duration
	errors int
	bytes  int64
	first  []string // the first few error messages
}

// recorder keeps one client's measurements; clients never share one, so it needs no lock.
type recorder struct {
	from, to time.Time // only requests started in [from, to) count
	kinds    map[string]*series
}

func newRecorder(from, to time.Time) *recorder {
	return &recorder{from: from, to: to, kinds: map[string]*series{}}
}

func (r *recorder) get(kind string) *series {
	s := r.kinds[kind]
	if s == nil {
		s = &series{}
		r.kinds[kind] = s
	}
	return s
}

// add records a request started at start; err marks it failed.
func (r *recorder) add(kind string, start time.Time, took time.Duration, n int64, err error) {
	if start.Before(r.from) || !start.Before(r.to) {
		return
	}
	s := r.get(kind)
	s.lat = append(s.lat, took)
	s.bytes += n
	if err != nil {
		s.errors++
		if len(s.first) < 3 {
			s.first = append(s.first, err.Error())
		}
	}
}

func (r *recorder) merge(o *recorder) {
	for k, s := range o.kinds {
		t := r.get(k)
		t.lat = append(t.lat, s.lat...)
		t.errors += s.errors
		t.bytes += s.bytes
		for _, e := range s.first {
			if len(t.first) < 3 {
				t.first = append(t.first, e)
			}
		}
	}
}

// Row is the result of one request type, in milliseconds; JSON output uses it as is.
type Row struct {
	Type      string   `json:"type"`
	Count     int      `json:"count"`
	Errors    int      `json:"errors"`
	PerSecond float64  `json:"per_second"`
	P50       float64  `json:"p50_ms"`
	P90       float64  `json:"p90_ms"`
	P99       float64  `json:"p99_ms"`
	Max       float64  `json:"max_ms"`
	MBPerSec  float64  `json:"mb_per_second"`
	Samples   []string `json:"first_errors,omitempty"`
}

// Result is a whole run.
type Result struct {
	Scenario     string   `json:"scenario"`
	URLs         []string `json:"urls"`
	Concurrency  int      `json:"concurrency"`
	ThinkSeconds float64  `json:"think_seconds"`
	Seconds      float64  `json:"seconds"`
	Rows         []Row    `json:"types"`
	Total        Row      `json:"total"`
}

// order is the order of the request types in the table.
var order = []string{"signin-form", "signin", "overview", "signout", "archive", "pdf", "reading-form", "reading", "api-list", "api-pdf"}

func summarise(r *recorder, elapsed time.Duration) (rows []Row, total Row) {
	kinds := make([]string, 0, len(r.kinds))
	for k := range r.kinds {
		kinds = append(kinds, k)
	}
	slices.SortFunc(kinds, func(a, b string) int { return slices.Index(order, a) - slices.Index(order, b) })
	var all []time.Duration
	var bytes int64
	for _, k := range kinds {
		s := r.kinds[k]
		rows = append(rows, row(k, s.lat, s.errors, s.bytes, elapsed, s.first))
		all = append(all, s.lat...)
		total.Errors += s.errors
		bytes += s.bytes
	}
	total = row("all", all, total.Errors, bytes, elapsed, nil)
	return rows, total
}

func row(kind string, lat []time.Duration, errors int, bytes int64, elapsed time.Duration, first []string) Row {
	slices.Sort(lat)
	ms := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		i := max(int(p*float64(len(lat))+0.999999)-1, 0)
		return float64(lat[min(i, len(lat)-1)]) / float64(time.Millisecond)
	}
	return Row{Type: kind, Count: len(lat), Errors: errors, PerSecond: float64(len(lat)) / elapsed.Seconds(),
		P50: ms(0.50), P90: ms(0.90), P99: ms(0.99), Max: ms(1), MBPerSec: float64(bytes) / 1e6 / elapsed.Seconds(), Samples: first}
}

func printTable(w io.Writer, res Result) {
	fmt.Fprintf(w, "scenario %s: %d clients (think time %.1f s) for %.1f s against %s\n", res.Scenario, res.Concurrency, res.ThinkSeconds, res.Seconds, strings.Join(res.URLs, ", "))
	fmt.Fprintf(w, "%-13s %9s %7s %9s %9s %9s %9s %9s %8s\n", "type", "count", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "MB/s")
	for _, r := range append(res.Rows, res.Total) {
		fmt.Fprintf(w, "%-13s %9d %7d %9.1f %9.2f %9.2f %9.2f %9.2f %8.1f\n", r.Type, r.Count, r.Errors, r.PerSecond, r.P50, r.P90, r.P99, r.Max, r.MBPerSec)
	}
	for _, r := range res.Rows {
		for _, e := range r.Samples {
			fmt.Fprintf(w, "  %s error: %s\n", r.Type, e)
		}
	}
}

func writeJSON(w io.Writer, res Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
