package portal

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// TestReadingErrorTexts drives the reading rules into each of their errors and checks that
// its message key has a Latvian and an English text that takes its arguments, formatted for
// the language; and that every message text belongs to an error the rules make.
func TestReadingErrorTexts(t *testing.T) {
	rules := billing.DefaultRules()
	day := calendar.MustDate
	read := func(d, v, source string) billing.Reading {
		return billing.Reading{Date: day(d), Value: decimal.RequireFromString(v), Source: source}
	}
	state := func(rs ...billing.Reading) billing.RegisterState {
		return billing.RegisterState{Digits: 6, Multiplier: 1, History: &billing.History{Digits: 6, Multiplier: 1, Readings: rs},
			Billed: map[billing.Month]bool{}}
	}
	at := time.Date(2026, 12, 2, 12, 0, 0, 0, calendar.Riga) // in November's window
	key := billing.RegisterKey{MeteringPoint: "MP-1", Register: "T1"}
	sub := func(d, v string) billing.Submission {
		return billing.Submission{Key: key, Date: day(d), Value: decimal.RequireFromString(v), At: at, Source: billing.SourcePortal}
	}
	oct := state(read("2026-10-30", "5000", billing.SourceImport))
	legacy := state(read("2026-10-30", "5000", billing.SourceImport))
	legacy.BilledThrough = day("2026-10-31")
	estimated := state(read("2026-09-30", "4000", billing.SourceImport), read("2026-10-30", "5000", billing.SourceEstimate))
	billed := state(read("2026-09-30", "4000", billing.SourceImport))
	billed.Billed[day("2026-10-01")] = true
	steady := state(read("2026-07-31", "1000", billing.SourceImport), read("2026-08-31", "1100", billing.SourceImport),
		read("2026-09-30", "1200", billing.SourceImport), read("2026-10-30", "1300", billing.SourceImport))
	later := state(read("2026-09-30", "4000", billing.SourceImport), read("2026-11-30", "5000", billing.SourceImport))

	accept := func(st billing.RegisterState, s billing.Submission) error {
		_, err := rules.Accept(st, s)
		return err
	}
	cases := []struct {
		key  string
		err  error
		want string // a formatted argument the Latvian text shows
	}{
		{billing.MsgNegative, accept(oct, sub("2026-11-28", "-1")), "negatīvs"},
		{billing.MsgDecimals, accept(oct, sub("2026-11-28", "5100.0001")), "5\u00a0100,0001"},
		{billing.MsgTooManyDigits, accept(oct, sub("2026-11-28", "1000000")), "1\u00a0000\u00a0000"},
		{billing.MsgOutsideWindow, accept(oct, sub("2026-11-15", "5100")), "15.11.2026"},
		{billing.MsgAfterSubmitted, accept(oct, sub("2026-12-03", "5100")), "02.12.2026"},
		{billing.MsgLegacyBilled, accept(legacy, sub("2026-10-29", "5100")), "2026-10"},
		{billing.MsgEstimated, accept(estimated, sub("2026-10-29", "5100")), "MP-1/T1"},
		{billing.MsgExists, accept(oct, sub("2026-10-29", "5100")), "30.10.2026"},
		{billing.MsgBilled, accept(billed, sub("2026-10-29", "5100")), "2026-10"},
		{billing.MsgRollover, accept(oct, sub("2026-11-28", "10")), "5\u00a0000"},
		{billing.MsgImplausible, accept(steady, sub("2026-11-28", "2300")), "1\u00a0000"},
		{billing.MsgAboveLater, accept(later, sub("2026-10-29", "6000")), "30.11.2026"},
		{billing.MsgNoPoint, billing.UnknownRegister(key, false), "MP-1"},
		{billing.MsgNoRegister, billing.UnknownRegister(key, true), "T1"},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		var e *billing.Error
		if !errors.As(tc.err, &e) || e.Key != tc.key {
			t.Errorf("%s: the rules gave %v (key %q)", tc.key, tc.err, func() string {
				if e != nil {
					return e.Key
				}
				return ""
			}())
			continue
		}
		covered["err."+e.Key] = true
		lv, en := errorMessage(billing.Latvian, e), errorMessage(billing.English, e)
		for _, m := range []string{lv, en} {
			if strings.Contains(m, "%!") || strings.Contains(m, "[err.") || m == "" {
				t.Errorf("%s: message %q", tc.key, m)
			}
		}
		if lv == en || !strings.Contains(lv, tc.want) {
			t.Errorf("%s: Latvian %q (English %q), want it to show %q", tc.key, lv, en, tc.want)
		}
	}
	for k := range texts {
		if strings.HasPrefix(k, "err.") && !covered[k] {
			t.Errorf("text %q belongs to no error of the rules", k)
		}
	}
	// Errors without a key show their English message; other errors are internal.
	if got := errorMessage(billing.English, billing.Errorf(billing.ErrInvalid, "x", "something odd")); got != "Something odd." {
		t.Errorf("unkeyed English message %q", got)
	}
	if got := errorMessage(billing.Latvian, errors.New("boom")); got != text(billing.Latvian, "error.internal") {
		t.Errorf("internal error shown as %q", got)
	}
}
