package calendar_test

import (
	"sync"
	"testing"

	"github.com/erekins/erekins/calendar"
)

func TestIsWorkday(t *testing.T) {
	t.Parallel()
	w := calendar.NewWorkdays(
		[]calendar.Date{d("2023-05-29"), d("2028-07-10")}, // one-off holiday (ice hockey bronze), festival closing day
		[]calendar.Date{d("2026-11-28")},                  // a working Saturday
	)
	tests := []struct {
		name string
		day  string
		want bool
	}{
		{"an ordinary Monday", "2026-11-30", true},
		{"an ordinary Friday", "2026-11-27", true},
		{"Saturday", "2026-11-21", false},
		{"Sunday", "2026-11-22", false},
		{"New Year", "2027-01-01", false},
		{"Good Friday 2026", "2026-04-03", false},
		{"Easter Monday 2026", "2026-04-06", false},
		{"the Tuesday after Easter", "2026-04-07", true},
		{"Good Friday 2025", "2025-04-18", false},
		{"Easter Monday 2025", "2025-04-21", false},
		{"1 May", "2026-05-01", false},
		{"4 May on a weekday", "2026-05-04", false},
		{"4 May 2025 is a Sunday", "2025-05-04", false},
		{"Monday 5 May 2025 is the transferred holiday", "2025-05-05", false},
		{"4 May 2024 is a Saturday", "2024-05-04", false},
		{"Monday 6 May 2024 is the transferred holiday", "2024-05-06", false},
		{"Līgo (23 June)", "2026-06-23", false},
		{"Jāņi (24 June)", "2026-06-24", false},
		{"18 November on a weekday", "2026-11-18", false},
		{"18 November 2023 is a Saturday", "2023-11-18", false},
		{"Monday 20 November 2023 is the transferred holiday", "2023-11-20", false},
		{"18 November 2029 is a Sunday", "2029-11-18", false},
		{"Monday 19 November 2029 is the transferred holiday", "2029-11-19", false},
		{"Christmas Eve", "2026-12-24", false},
		{"Christmas Day", "2026-12-25", false},
		{"Second Christmas Day", "2026-12-28", true}, // 26 Dec 2026 is a Saturday and is not transferred
		{"New Year's Eve", "2026-12-31", false},
		{"23 December", "2026-12-23", true},
		{"1 May on a Saturday is not transferred", "2027-05-03", true},
		{"an extra holiday from configuration", "2023-05-29", false},
		{"the festival closing day from configuration", "2028-07-10", false},
		{"an extra working Saturday", "2026-11-28", true},
		{"the Sunday after a working Saturday", "2026-11-29", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := w.IsWorkday(d(tt.day)); got != tt.want {
				t.Errorf("IsWorkday(%s, %s) = %v, want %v", tt.day, d(tt.day).Weekday(), got, tt.want)
			}
		})
	}
}

func TestNextWorkdayAndOnOrAfter(t *testing.T) {
	t.Parallel()
	plain := calendar.NewWorkdays(nil, nil)
	configured := calendar.NewWorkdays([]calendar.Date{d("2023-05-29")}, []calendar.Date{d("2026-11-28")})
	tests := []struct {
		name      string
		w         *calendar.Workdays
		day       string
		next      string // NextWorkday: strictly after
		onOrAfter string
	}{
		{"Friday to Monday", plain, "2026-11-27", "2026-11-30", "2026-11-27"},
		{"Saturday to Monday", plain, "2026-11-28", "2026-11-30", "2026-11-30"},
		{"a working Saturday from configuration", configured, "2026-11-27", "2026-11-28", "2026-11-27"},
		{"23 December skips Christmas and the weekend", plain, "2026-12-23", "2026-12-28", "2026-12-23"},
		{"31 December skips New Year and the weekend", plain, "2026-12-31", "2027-01-04", "2027-01-04"},
		{"Thursday before Easter skips to Tuesday", plain, "2026-04-02", "2026-04-07", "2026-04-02"},
		{"Friday 2 May 2025 skips to Tuesday 6 May", plain, "2025-05-02", "2025-05-06", "2025-05-02"},
		{"Friday 17 Nov 2023 skips to Tuesday 21 Nov", plain, "2023-11-17", "2023-11-21", "2023-11-17"},
		{"an extra holiday from configuration", configured, "2023-05-26", "2023-05-30", "2023-05-26"},
		{"without the extra holiday", plain, "2023-05-26", "2023-05-29", "2023-05-26"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.w.NextWorkday(d(tt.day)); got != d(tt.next) {
				t.Errorf("NextWorkday(%s) = %s, want %s", tt.day, got, tt.next)
			}
			if got := tt.w.OnOrAfter(d(tt.day)); got != d(tt.onOrAfter) {
				t.Errorf("OnOrAfter(%s) = %s, want %s", tt.day, got, tt.onOrAfter)
			}
		})
	}
}

// TestWorkdaysCount checks a whole year: 2026 has 365 days − 104 weekend days − 11 public
// holidays on weekdays (1 Jan, 3 and 6 Apr, 1 and 4 May, 23 and 24 Jun, 18 Nov, 24, 25 and
// 31 Dec) = 250 working days.
func TestWorkdaysCount(t *testing.T) {
	t.Parallel()
	w := calendar.NewWorkdays(nil, nil)
	n := 0
	for day := d("2026-01-01"); day.Year() == 2026; day = day.AddDays(1) {
		if w.IsWorkday(day) {
			n++
		}
	}
	if n != 250 {
		t.Errorf("2026 has %d working days, want 250", n)
	}
}

// TestWorkdaysConcurrent runs the lazily filled holiday cache from many goroutines; run
// with -race.
func TestWorkdaysConcurrent(t *testing.T) {
	t.Parallel()
	w := calendar.NewWorkdays(nil, nil)
	var wg sync.WaitGroup
	for y := 2020; y < 2032; y++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for day := calendar.NewDate(y, 1, 1); day.Year() == y; day = day.AddDays(1) {
				w.IsWorkday(day)
			}
		}()
	}
	wg.Wait()
	if w.IsWorkday(d("2026-12-25")) {
		t.Error("Christmas is a working day after concurrent use")
	}
}
