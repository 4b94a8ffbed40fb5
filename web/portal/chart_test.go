package portal

import (
	"strconv"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

func TestChartMonthlyConsumption(t *testing.T) {
	rules := billing.DefaultRules()
	read := func(day, value, source string) billing.Reading {
		return billing.Reading{Date: calendar.MustDate(day), Value: decimal.RequireFromString(value), Source: source}
	}
	// A 5-digit register × 2: an estimate for January, the actual February reading measured
	// from December's, then a roll-over in March; a missing April.
	st := &billing.RegisterState{Digits: 5, Multiplier: 2, History: &billing.History{Readings: []billing.Reading{
		read("2025-12-31", "99000", billing.SourceImport),
		read("2026-01-31", "99400", billing.SourceEstimate),
		read("2026-03-01", "99700", billing.SourcePortal), // February's window
		read("2026-03-30", "200", billing.SourcePortal),
		read("2026-05-29", "700", billing.SourcePortal),
	}}}
	rows := historyRows(st)
	byMonth := monthlyConsumption(rules, rows)
	want := map[string]struct {
		kwh string
		est bool
	}{"2026-01": {"800", true}, "2026-02": {"600", false}, "2026-03": {"1000", false}, "2026-05": {"1000", false}}
	if len(byMonth) != len(want) {
		t.Errorf("months %v, want %v", byMonth, want)
	}
	for m, w := range want {
		got, ok := byMonth[calendar.MustDate(m+"-01")]
		if !ok || !got.KWh.Equal(decimal.RequireFromString(w.kwh)) || got.Estimated != w.est {
			t.Errorf("%s: %+v, want %s kWh estimated %v", m, got, w.kwh, w.est)
		}
	}

	c := newChart(billing.Latvian, byMonth, calendar.MustDate("2026-06-01"))
	if c == nil || len(c.Months) != chartMonths || len(c.Bars) != len(want) || !c.Estimates {
		t.Fatalf("chart %+v", c)
	}
	if m := c.Months[len(c.Months)-1]; m.Label != "06.2026" || m.Known {
		t.Errorf("last month %+v, want June 2026 without data", m)
	}
	if c.Months[0].Label != "07.2024" {
		t.Errorf("first month %q, want 07.2024", c.Months[0].Label)
	}
	// Bars stand on the zero line inside the plot; the highest reaches the top tick.
	zero, _ := strconv.ParseFloat(c.ZeroY, 64)
	top, _ := strconv.ParseFloat(c.Ticks[len(c.Ticks)-1].Y, 64)
	for _, b := range c.Bars {
		y, _ := strconv.ParseFloat(b.Y, 64)
		h, _ := strconv.ParseFloat(b.H, 64)
		if y < top-0.05 || y+h > zero+0.05 {
			t.Errorf("bar %+v outside %v…%v", b, top, zero)
		}
	}
	if c.Ticks[0].Label != "0" || c.Ticks[len(c.Ticks)-1].Label != "1\u00a0000" {
		t.Errorf("ticks %+v, want 0 … 1 000", c.Ticks)
	}
	if en := newChart(billing.English, byMonth, calendar.MustDate("2026-06-01")); en.Ticks[len(en.Ticks)-1].Label != "1,000" || en.Months[23].Label != "Jun 2026" {
		t.Errorf("English chart ticks %+v, month %q", en.Ticks, en.Months[23].Label)
	}
	if newChart(billing.Latvian, byMonth, calendar.MustDate("2029-01-01")) != nil {
		t.Error("a chart without data in its months")
	}
}
