package billing

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/calendar"
)

// Rules are the configurable parameters of the billing rules; DefaultRules gives the values
// of the product specification.
type Rules struct {
	WindowOpenDay       int             // day of the period's month the readings window opens (27)
	WindowCloseDay      int             // day of the next month at whose end it closes (3)
	EInvoiceExtension   int             // days added to the term for e-invoice contracts (5)
	MaxPaymentTerm      int             // the extension never takes the term past this (20)
	PlausibilityFactor  decimal.Decimal // consumption above this × the monthly average needs confirmation (3)
	PlausibilityMinimum int             // months of history needed before plausibility applies (3)
	InvoiceSeries       string          // number format of invoices; {YYYY} and {N:6} are replaced
	CreditNoteSeries    string          // number format of credit notes
	Currency            string
}

// DefaultRules are the rules of the product specification.
func DefaultRules() Rules {
	return Rules{
		WindowOpenDay:       27,
		WindowCloseDay:      3,
		EInvoiceExtension:   5,
		MaxPaymentTerm:      20,
		PlausibilityFactor:  decimal.NewFromInt(3),
		PlausibilityMinimum: 3,
		InvoiceSeries:       "ER-{YYYY}-{N:6}",
		CreditNoteSeries:    "KR-{YYYY}-{N:6}",
		Currency:            "EUR",
	}
}

// Month identifies a billing period by its first day.
type Month = Date

// MonthOf is the billing period that contains d.
func MonthOf(d Date) Month { return d.FirstOfMonth() }

// Window is the readings window of a period: readings dated from Open to Close (inclusive)
// are its closing readings, and it closes at the end of Close in Riga.
type Window struct {
	Period Month
	Open   Date
	Close  Date
}

// WindowOf returns the readings window of period m.
func (r Rules) WindowOf(m Month) Window {
	return Window{
		Period: m,
		Open:   calendar.NewDate(m.Year(), m.Month(), r.WindowOpenDay),
		Close:  calendar.NewDate(m.Year(), m.Month()+1, r.WindowCloseDay),
	}
}

// Contains reports whether a reading dated d belongs to the window.
func (w Window) Contains(d Date) bool { return !d.Before(w.Open) && !d.After(w.Close) }

// WindowFor is the window a reading dated d closes, if any. Windows never overlap as long as
// the open day is after the close day, which Validate checks.
func (r Rules) WindowFor(d Date) (Window, bool) {
	for _, m := range []Month{MonthOf(d), MonthOf(d).AddMonths(-1)} {
		if w := r.WindowOf(m); w.Contains(d) {
			return w, true
		}
	}
	return Window{}, false
}

// Validate checks that the configured rules are coherent.
func (r Rules) Validate() error {
	switch {
	case r.WindowOpenDay < 2 || r.WindowOpenDay > 28:
		return fmt.Errorf("window open day %d: must be between 2 and 28", r.WindowOpenDay)
	case r.WindowCloseDay < 1 || r.WindowCloseDay >= r.WindowOpenDay:
		return fmt.Errorf("window close day %d: must be between 1 and the open day", r.WindowCloseDay)
	case r.EInvoiceExtension < 0 || r.MaxPaymentTerm < 0:
		return fmt.Errorf("payment term extension and maximum must not be negative")
	}
	return nil
}

// PaymentTerm is the term in days for a base term: e-invoice contracts get the extension,
// never beyond the maximum, and never shorter than the base (rule 8).
func (r Rules) PaymentTerm(base int, eInvoice bool) int {
	if !eInvoice {
		return base
	}
	return max(base, min(base+r.EInvoiceExtension, r.MaxPaymentTerm))
}

// DueDate is issue + term calendar days, moved off a non-working day (rule 8).
func DueDate(w *calendar.Workdays, issue Date, term int) Date {
	return w.OnOrAfter(issue.AddDays(term))
}

// Schedule tells when a period's invoice is issued (rule 4 and rule 5).
type Schedule struct {
	Workdays *calendar.Workdays
	Rules    Rules
}

// IssueOnCompletion is the issue day of a period completed on date c (the Riga date on which
// its last closing reading was submitted): the next working day.
func (s Schedule) IssueOnCompletion(c Date) Date { return s.Workdays.NextWorkday(c) }

// IssueOnEstimate is the issue day of a period whose window closed with readings missing.
func (s Schedule) IssueOnEstimate(m Month) Date {
	return s.Workdays.NextWorkday(s.Rules.WindowOf(m).Close)
}

// SubmittedOn is the Riga date of a submission instant.
func SubmittedOn(t time.Time) Date { return calendar.DateOf(t) }
