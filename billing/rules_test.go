package billing_test

import (
	"testing"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

func TestWindowOf(t *testing.T) {
	t.Parallel()
	r := billing.DefaultRules()
	tests := []struct {
		name        string
		period      string
		open, close string
	}{
		{"November: 27 Nov to 3 Dec", "2026-11-01", "2026-11-27", "2026-12-03"},
		{"December crosses the year", "2026-12-01", "2026-12-27", "2027-01-03"},
		{"February", "2026-02-01", "2026-02-27", "2026-03-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := r.WindowOf(d(tt.period))
			if w.Period != d(tt.period) || w.Open != d(tt.open) || w.Close != d(tt.close) {
				t.Errorf("WindowOf(%s) = %s..%s, want %s..%s", tt.period, w.Open, w.Close, tt.open, tt.close)
			}
		})
	}
}

func TestWindowMembership(t *testing.T) {
	t.Parallel()
	r := billing.DefaultRules()
	tests := []struct {
		name       string
		day        string
		wantOK     bool
		wantPeriod string
	}{
		{"26th is before the window", "2026-11-26", false, ""},
		{"27th opens the window", "2026-11-27", true, "2026-11-01"},
		{"last day of the month", "2026-11-30", true, "2026-11-01"},
		{"1st of next month closes the previous period", "2026-12-01", true, "2026-11-01"},
		{"3rd of next month is the last day of the window", "2026-12-03", true, "2026-11-01"},
		{"4th is after the window", "2026-12-04", false, ""},
		{"mid-month", "2026-11-15", false, ""},
		{"2 January closes December", "2027-01-02", true, "2026-12-01"},
		{"29 February in a leap year", "2028-02-29", true, "2028-02-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, ok := r.WindowFor(d(tt.day))
			if ok != tt.wantOK {
				t.Fatalf("WindowFor(%s) ok = %v, want %v", tt.day, ok, tt.wantOK)
			}
			if ok && w.Period != d(tt.wantPeriod) {
				t.Errorf("WindowFor(%s) = period %s, want %s", tt.day, w.Period, tt.wantPeriod)
			}
			if ok && !w.Contains(d(tt.day)) {
				t.Errorf("window %s..%s does not contain %s", w.Open, w.Close, tt.day)
			}
		})
	}
}

func TestWindowConfigurable(t *testing.T) {
	t.Parallel()
	r := billing.DefaultRules()
	r.WindowOpenDay, r.WindowCloseDay = 25, 5
	w := r.WindowOf(d("2026-11-01"))
	if w.Open != d("2026-11-25") || w.Close != d("2026-12-05") {
		t.Errorf("window = %s..%s, want 2026-11-25..2026-12-05", w.Open, w.Close)
	}
	if _, ok := r.WindowFor(d("2026-12-05")); !ok {
		t.Error("5 Dec is outside a window that closes on the 5th")
	}
}

func TestRulesValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  func(*billing.Rules)
		wantErr bool
	}{
		{"defaults", func(*billing.Rules) {}, false},
		{"open day 29 does not exist in February", func(r *billing.Rules) { r.WindowOpenDay = 29 }, true},
		{"close day after the open day makes windows overlap", func(r *billing.Rules) { r.WindowCloseDay = 27 }, true},
		{"close day 0", func(r *billing.Rules) { r.WindowCloseDay = 0 }, true},
		{"negative extension", func(r *billing.Rules) { r.EInvoiceExtension = -1 }, true},
		{"negative maximum", func(r *billing.Rules) { r.MaxPaymentTerm = -1 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := billing.DefaultRules()
			tt.change(&r)
			if err := r.Validate(); (err != nil) != tt.wantErr {
				t.Errorf("Validate() = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestPaymentTerm(t *testing.T) {
	t.Parallel()
	r := billing.DefaultRules()
	// term = max(base, min(base+5, 20)) for e-invoice contracts; the base term otherwise.
	tests := []struct {
		name     string
		base     int
		eInvoice bool
		want     int
	}{
		{"base 10 on paper", 10, false, 10},
		{"base 10 on e-invoice gets 5 days", 10, true, 15},
		{"base 15 on paper", 15, false, 15},
		{"base 15 on e-invoice reaches the maximum", 15, true, 20},
		{"base 17 on paper", 17, false, 17},
		{"base 17 on e-invoice is capped at 20", 17, true, 20},
		{"base 20 on paper", 20, false, 20},
		{"base 20 on e-invoice stays at the maximum", 20, true, 20},
		{"base 25 on paper", 25, false, 25},
		{"base 25 on e-invoice is never shortened", 25, true, 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := r.PaymentTerm(tt.base, tt.eInvoice); got != tt.want {
				t.Errorf("PaymentTerm(%d, %v) = %d, want %d", tt.base, tt.eInvoice, got, tt.want)
			}
		})
	}
}

func TestPaymentTermConfigurable(t *testing.T) {
	t.Parallel()
	r := billing.DefaultRules()
	r.EInvoiceExtension, r.MaxPaymentTerm = 7, 30
	if got := r.PaymentTerm(20, true); got != 27 {
		t.Errorf("PaymentTerm(20, e-invoice) with +7 up to 30 = %d, want 27", got)
	}
	if got := r.PaymentTerm(28, true); got != 30 {
		t.Errorf("PaymentTerm(28, e-invoice) with +7 up to 30 = %d, want 30", got)
	}
}

func TestDueDate(t *testing.T) {
	t.Parallel()
	w := calendar.NewWorkdays(nil, nil)
	tests := []struct {
		name  string
		issue string
		term  int
		want  string
	}{
		{"on a working day", "2026-12-01", 15, "2026-12-16"},
		{"a Sunday moves to Monday", "2026-11-30", 20, "2026-12-21"},
		{"a Saturday moves to Monday", "2026-11-30", 19, "2026-12-21"},
		{"Christmas Eve moves past Christmas and the weekend", "2026-12-04", 20, "2026-12-28"},
		{"New Year's Eve moves past New Year and the weekend", "2026-12-11", 20, "2027-01-04"},
		{"calendar days, not working days", "2026-04-01", 5, "2026-04-07"}, // 6 Apr is Easter Monday
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := billing.DueDate(w, d(tt.issue), tt.term); got != d(tt.want) {
				t.Errorf("DueDate(%s + %d) = %s, want %s", tt.issue, tt.term, got, tt.want)
			}
		})
	}
}

func TestIssueOnCompletion(t *testing.T) {
	t.Parallel()
	plain := billing.Schedule{Workdays: calendar.NewWorkdays(nil, nil), Rules: billing.DefaultRules()}
	configured := billing.Schedule{
		Workdays: calendar.NewWorkdays([]calendar.Date{d("2023-05-29")}, []calendar.Date{d("2026-11-28")}),
		Rules:    billing.DefaultRules(),
	}
	tests := []struct {
		name      string
		s         billing.Schedule
		completed string
		want      string
	}{
		{"completion on a Friday is issued on Monday", plain, "2026-11-27", "2026-11-30"},
		{"completion on a Monday is issued on Tuesday", plain, "2026-11-30", "2026-12-01"},
		{"completion on a Saturday is issued on Monday", plain, "2026-11-28", "2026-11-30"},
		{"completion on 23 Dec waits for Christmas and the weekend", plain, "2026-12-23", "2026-12-28"},
		{"completion on 31 Dec waits for New Year and the weekend", plain, "2026-12-31", "2027-01-04"},
		{"completion on 30 Dec skips New Year's Eve", plain, "2026-12-30", "2027-01-04"},
		{"completion before Easter waits for Good Friday to Easter Monday", plain, "2026-04-02", "2026-04-07"},
		{"4 May 2025 on a Sunday moves the holiday to Monday 5 May", plain, "2025-05-02", "2025-05-06"},
		{"18 Nov 2023 on a Saturday moves the holiday to Monday 20 Nov", plain, "2023-11-17", "2023-11-21"},
		{"an extra holiday from configuration", configured, "2023-05-26", "2023-05-30"},
		{"an extra working Saturday", configured, "2026-11-27", "2026-11-28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.s.IssueOnCompletion(d(tt.completed)); got != d(tt.want) {
				t.Errorf("IssueOnCompletion(%s) = %s, want %s", tt.completed, got, tt.want)
			}
		})
	}
}

func TestIssueOnEstimate(t *testing.T) {
	t.Parallel()
	s := billing.Schedule{Workdays: calendar.NewWorkdays(nil, nil), Rules: billing.DefaultRules()}
	tests := []struct {
		name   string
		period string
		want   string
	}{
		{"window closes on Thursday 3 Dec: issue on Friday", "2026-11-01", "2026-12-04"},
		{"window closes on Sunday 3 Jan: issue on Monday", "2026-12-01", "2027-01-04"},
		{"window closes on Saturday 3 Oct: issue on Monday", "2026-09-01", "2026-10-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := s.IssueOnEstimate(d(tt.period)); got != d(tt.want) {
				t.Errorf("IssueOnEstimate(%s) = %s, want %s", tt.period, got, tt.want)
			}
		})
	}
}

func TestSubmittedOn(t *testing.T) {
	t.Parallel()
	s := billing.Schedule{Workdays: calendar.NewWorkdays(nil, nil), Rules: billing.DefaultRules()}
	tests := []struct {
		name      string
		at        time.Time
		wantDay   string
		wantIssue string
	}{
		{"30 Nov 23:30 UTC is 1 Dec in Riga, issued on 2 Dec", time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC), "2026-12-01", "2026-12-02"},
		{"30 Nov 21:30 UTC is still 30 Nov in Riga, issued on 1 Dec", time.Date(2026, 11, 30, 21, 30, 0, 0, time.UTC), "2026-11-30", "2026-12-01"},
		{"Friday 23:59 in Riga is issued on Monday", rigaAt("2026-11-27", 23, 59), "2026-11-27", "2026-11-30"},
		{"Thursday 22:30 UTC is Friday in Riga, issued on Monday", time.Date(2026, 11, 26, 22, 30, 0, 0, time.UTC), "2026-11-27", "2026-11-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			day := billing.SubmittedOn(tt.at)
			if day != d(tt.wantDay) {
				t.Errorf("SubmittedOn(%s) = %s, want %s", tt.at, day, tt.wantDay)
			}
			if got := s.IssueOnCompletion(day); got != d(tt.wantIssue) {
				t.Errorf("issued on %s, want %s", got, tt.wantIssue)
			}
		})
	}
}
