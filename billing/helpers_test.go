package billing_test

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

var d = calendar.MustDate

// dec parses a decimal literal; tests only.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// rigaAt is the instant of a wall-clock time in Riga.
func rigaAt(day string, hour, minute int) time.Time {
	t := d(day)
	return time.Date(t.Year(), t.Month(), t.Day(), hour, minute, 0, 0, calendar.Riga)
}

// actual is a reading submitted through the portal at noon of the day it is dated.
func actual(date, value string) billing.Reading {
	return billing.Reading{Date: d(date), Value: dec(value), Source: billing.SourcePortal, SubmittedAt: rigaAt(date, 12, 0)}
}

// estimated is a reading the system estimated.
func estimated(date, value string) billing.Reading {
	r := actual(date, value)
	r.Source = billing.SourceEstimate
	return r
}
