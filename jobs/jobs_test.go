package jobs_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/jobs"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

func TestDailyNext(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Riga)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, c := range []struct{ name, now, want string }{
		{"before six: today", "2026-11-27 05:59", "2026-11-27 06:00"},
		{"at six: tomorrow", "2026-11-27 06:00", "2026-11-28 06:00"},
		{"evening: tomorrow", "2026-11-27 23:30", "2026-11-28 06:00"},
		{"into summer time", "2026-03-28 07:00", "2026-03-29 06:00"},
		{"out of summer time", "2026-10-24 07:00", "2026-10-25 06:00"},
		{"year end", "2026-12-31 06:01", "2027-01-01 06:00"},
	} {
		got := jobs.Daily{Hour: 6}.Next(at(c.now))
		if !got.Equal(at(c.want)) {
			t.Errorf("%s: Next(%s) = %s, want %s", c.name, c.now, got.In(calendar.Riga), c.want)
		}
	}
	// An instant given in UTC is read in Riga: 03:30 UTC on 27 Nov is 05:30 there.
	if got := (jobs.Daily{Hour: 6}).Next(time.Date(2026, 11, 27, 3, 30, 0, 0, time.UTC)); !got.Equal(at("2026-11-27 06:00")) {
		t.Errorf("UTC input: %s", got)
	}
}

// TestWorkUntilIdleBills runs the workers as `erekins work --until-idle` does: today's
// billing job runs on River and issues what is due; a second run issues nothing new.
func TestWorkUntilIdleBills(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		a := imported(t, dsn, func() time.Time { return time.Date(2026, 11, 27, 6, 0, 0, 0, calendar.Riga) },
			datagen.Config{Seed: 5, Contracts: 3, MeteringPoints: 2, Months: 3, LastPeriod: calendar.MustDate("2026-10-01"), LegacyBaseline: true})
		for round, want := range []int{9, 9} {
			r, err := jobs.New(a, log)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.UntilIdle(ctx); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			rows, err := a.DB.Invoices(ctx, sqldb.InvoiceFilter{})
			if err != nil || len(rows) != want {
				t.Errorf("round %d: %d invoices (err %v), want %d", round, len(rows), err, want)
			}
		}
	})
}

// log is the tests' logger: River's and the app's lines are not the tests' output.
var log = slog.New(slog.DiscardHandler)

// imported opens the app on dsn with its clock at now, closed when the test ends, and
// imports a generated dataset into it.
func imported(t *testing.T, dsn string, now func() time.Time, data datagen.Config) *app.App {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, dsn, app.Config{Rules: billing.DefaultRules()}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	a.Now = now
	var buf bytes.Buffer
	if err := datagen.Write(&buf, data); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, &buf, "test"); err != nil {
		t.Fatal(err)
	}
	return a
}
