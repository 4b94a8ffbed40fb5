package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/jobs"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestRemindJob: the reminder job of the day the December window opens queues one reminder
// per contract, the delivery workers send them (to the outbox), and the same job again
// sends nothing.
func TestRemindJob(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		a := imported(t, dsn, func() time.Time { return time.Date(2026, 12, 27, 7, 0, 0, 0, calendar.Riga) },
			datagen.Config{Seed: 5, Contracts: 3, MeteringPoints: 1, Months: 1, LastPeriod: calendar.MustDate("2026-11-01"), LegacyBaseline: true})
		for round := range 2 {
			r, err := jobs.New(a, log)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Client.Insert(ctx, jobs.RemindArgs{Date: "2026-12-27"}, nil); err != nil {
				t.Fatal(err)
			}
			if err := r.UntilIdle(ctx); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			ds, err := a.Deliveries.List(ctx, sqldb.DeliveryFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 3 {
				t.Fatalf("round %d: %d deliveries, want one reminder per contract (3)", round, len(ds))
			}
			for _, d := range ds {
				if d.Kind != delivery.KindReminder || d.Status != delivery.Sent {
					t.Errorf("round %d: delivery %d %s %s, want a sent reminder", round, d.ID, d.Kind, d.Status)
				}
			}
		}
	})
}
