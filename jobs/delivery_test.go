package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/delivery/mailer"
	"github.com/erekins/erekins/delivery/smtptest"
	"github.com/erekins/erekins/jobs"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// TestDeliveryOutage: the SMTP server is down while invoices are issued and first tried,
// then comes up; the workers deliver every e-mail exactly once, and every attempt is on record.
func TestDeliveryOutage(t *testing.T) {
	n := 500
	if testing.Short() {
		n = 50
	}
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 12, 10, 9, 0, 0, 0, calendar.Riga)}
		a := imported(t, dsn, clk.Now, datagen.Config{Seed: 3, Contracts: n, MinMeteringPoints: 1, MeteringPoints: 1, Months: 1,
			LastPeriod: calendar.MustDate("2026-11-01"), LegacyBaseline: true, EInvoiceShare: 1})
		srv := smtptest.Start(t)
		var err error
		if a.Delivery.Mailer, err = mailer.NewSMTP(srv.URL(), 10*time.Second); err != nil {
			t.Fatal(err)
		}
		srv.Down()
		if res, err := a.Bill(ctx, calendar.DateOf(clk.Now())); err != nil || len(res.Issued) != n {
			t.Fatalf("bill: %d issued, err %v; want %d", len(res.Issued), err, n)
		}
		runner, err := jobs.New(a, log)
		if err != nil {
			t.Fatal(err)
		}
		if err := runner.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer runner.Stop(context.Background())

		waitStatus(t, a, delivery.Retrying, n)
		if got := len(srv.Received()); got != 0 {
			t.Fatalf("%d messages while the server was down", got)
		}

		srv.Up(t)
		clk.Add(time.Minute)
		releaseDue(t, runner, clk.Now())
		got := srv.WaitFor(t, n, 2*time.Minute)
		waitStatus(t, a, delivery.Sent, n)

		perMessage := map[string]int{}
		perRecipient := map[string]int{}
		for _, r := range got {
			perMessage[r.MessageID]++
			perRecipient[r.To[0]]++
		}
		ds, err := a.Deliveries.List(ctx, sqldb.DeliveryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if perMessage[d.MessageID] != 1 || perRecipient[d.Recipient] != 1 {
				t.Errorf("delivery %d to %s: %d messages with its Message-ID, %d to its recipient; want exactly 1",
					d.ID, d.Recipient, perMessage[d.MessageID], perRecipient[d.Recipient])
			}
			full, err := a.Deliveries.Get(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(full.History) != 2 || full.History[0].Outcome != delivery.OutcomeDeferred || full.History[1].Outcome != delivery.OutcomeAccepted {
				t.Errorf("delivery %d attempts %+v: want one deferred (server down), then one accepted", d.ID, full.History)
			}
		}
		if len(got) != n {
			t.Errorf("server received %d messages, want %d", len(got), n)
		}
	})
}

// waitStatus polls until n deliveries have the status, failing after a deadline.
func waitStatus(t *testing.T, a *app.App, status string, n int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		ds, err := a.Deliveries.List(context.Background(), sqldb.DeliveryFilter{Status: status})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d deliveries %s after 3 minutes, want %d", len(ds), status, n)
		}
		<-tick.C
	}
}

// releaseDue makes the delivery jobs due by the injected clock available, as River's
// scheduler would once the real clock got there.
func releaseDue(t *testing.T, r *jobs.Runner, now time.Time) {
	t.Helper()
	ctx := context.Background()
	params := river.NewJobListParams().Kinds(delivery.Job{}.Kind()).States(rivertype.JobStateScheduled).First(10000)
	res, err := r.Client.JobList(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range res.Jobs {
		if !j.ScheduledAt.After(now) {
			if _, err := r.Client.JobRetry(ctx, j.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
}
