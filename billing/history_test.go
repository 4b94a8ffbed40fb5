package billing_test

import (
	"testing"

	"github.com/erekins/erekins/billing"
)

func history(multiplier int, rs ...billing.Reading) *billing.History {
	h := &billing.History{Digits: 6, Multiplier: multiplier}
	for _, r := range rs {
		h.Add(r)
	}
	return h
}

func TestHistoryAddKeepsDateOrder(t *testing.T) {
	t.Parallel()
	h := history(1, actual("2026-11-28", "300"), actual("2026-09-28", "100"), actual("2026-10-28", "200"))
	for i, want := range []string{"2026-09-28", "2026-10-28", "2026-11-28"} {
		if got := h.Readings[i].Date; got != d(want) {
			t.Errorf("reading %d dated %s, want %s", i, got, want)
		}
	}
	h2 := &billing.History{Readings: []billing.Reading{actual("2026-11-28", "300"), actual("2026-10-28", "200")}}
	h2.Sort()
	if h2.Readings[0].Date != d("2026-10-28") {
		t.Errorf("Sort left %s first", h2.Readings[0].Date)
	}
}

func TestHistoryBefore(t *testing.T) {
	t.Parallel()
	h := history(1, actual("2026-09-28", "100"), estimated("2026-10-31", "180"), estimated("2026-11-30", "260"), actual("2026-12-29", "250"))
	tests := []struct {
		name           string
		before         string
		wantOK         bool
		wantPrev       string
		wantLastActual string
	}{
		{"nothing before the first reading", "2026-09-28", false, "", ""},
		{"an actual reading", "2026-10-27", true, "100", "100"},
		{"an estimate remembers the last actual reading", "2026-11-27", true, "180", "100"},
		{"two estimates in a row", "2026-12-27", true, "260", "100"},
		{"after the next actual reading", "2027-01-27", true, "250", "250"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			prev, last, ok := h.Before(d(tt.before))
			if ok != tt.wantOK {
				t.Fatalf("Before(%s) ok = %v, want %v", tt.before, ok, tt.wantOK)
			}
			if ok && (!prev.Value.Equal(dec(tt.wantPrev)) || !last.Equal(dec(tt.wantLastActual))) {
				t.Errorf("Before(%s) = %s (last actual %s), want %s (%s)", tt.before, prev.Value, last, tt.wantPrev, tt.wantLastActual)
			}
		})
	}
}

func TestHistoryIn(t *testing.T) {
	t.Parallel()
	r := billing.DefaultRules()
	h := history(1, actual("2026-10-28", "100"), actual("2026-11-15", "150"), actual("2026-11-28", "200"), actual("2026-12-02", "210"))
	tests := []struct {
		name   string
		period string
		wantOK bool
		want   string
	}{
		{"the latest reading of the window", "2026-11-01", true, "210"},
		{"October's window", "2026-10-01", true, "100"},
		{"no reading in December's window", "2026-12-01", false, ""},
		{"no reading in September's window", "2026-09-01", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := h.In(r.WindowOf(d(tt.period)))
			if ok != tt.wantOK || (ok && !got.Value.Equal(dec(tt.want))) {
				t.Errorf("In(%s) = %s, %v; want %s, %v", tt.period, got.Value, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestHistoryMonthlyConsumptionAndAverage(t *testing.T) {
	t.Parallel()
	h := history(40,
		actual("2025-03-28", "900"), // more than 12 months before 1 Apr 2026: its step is left out
		actual("2025-12-28", "1000"),
		actual("2026-01-28", "1010"), // 10 × 40 = 400
		actual("2026-02-28", "1025"), // 15 × 40 = 600
		actual("2026-03-28", "1030"), // 5 × 40 = 200
	)
	got := h.MonthlyConsumption(d("2026-04-01"))
	want := []string{"400", "600", "200"}
	if len(got) != len(want) {
		t.Fatalf("MonthlyConsumption = %v, want %v", got, want)
	}
	for i := range want {
		if !got[i].Equal(dec(want[i])) {
			t.Errorf("month %d = %s, want %s", i, got[i], want[i])
		}
	}
	// 1200 kWh from 28 Dec to 28 Mar: 90 days.
	avg, ok := h.AverageDaily(d("2026-04-01"))
	if !ok || !avg.Equal(dec("13.333333333")) {
		t.Errorf("AverageDaily = %s, %v; want 13.333333333", avg, ok)
	}
	if _, ok := (&billing.History{Digits: 6, Multiplier: 1}).AverageDaily(d("2026-04-01")); ok {
		t.Error("AverageDaily of an empty history is ok")
	}
	if _, ok := history(1, actual("2026-03-28", "5")).AverageDaily(d("2026-04-01")); ok {
		t.Error("AverageDaily of a single reading is ok")
	}
}
