package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/delivery/smtptest"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestDeliveryCrash is issue 4's crash test: `erekins work` is killed with SIGKILL while it
// sends 40 invoices to a real SMTP server that answers each message 150 ms after taking
// it, then `erekins work --until-idle --rescue-after 2s` runs. No e-mail is lost; a
// message arrives twice only for a delivery whose attempt the kill interrupted, and both
// copies carry the same Message-ID.
func TestDeliveryCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts the workers (~20 s a database)")
	}
	const contracts = 40
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		file := filepath.Join(t.TempDir(), "data.json")
		f, _ := os.Create(file)
		err := datagen.Write(f, datagen.Config{Seed: 9, Contracts: contracts, MinMeteringPoints: 1, MeteringPoints: 1, Months: 1,
			LastPeriod: calendar.MustDate("2026-11-01"), LegacyBaseline: true, EInvoiceShare: 1})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		mustCLI(t, dsn, "import", file)
		mustCLI(t, dsn, "bill", "--date", "2026-12-10")
		db, err := sqldb.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ds := sqldb.NewDeliveries(db, nil, time.Now)
		all, err := ds.List(ctx, sqldb.DeliveryFilter{})
		if err != nil || len(all) != contracts {
			t.Fatalf("%d deliveries queued (%v), want %d", len(all), err, contracts)
		}

		srv := smtptest.Start(t)
		srv.SetReplyDelay(150 * time.Millisecond)
		cmd := exec.Command(binary, "work", "--smtp", srv.URL(), "--rescue-after", "2s")
		cmd.Env = append(os.Environ(), "EREKINS_DB="+dsn)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		srv.WaitFor(t, contracts/3, time.Minute)
		cmd.Process.Kill() // SIGKILL: mid-send, messages taken by the server but not answered
		cmd.Wait()
		srv.WaitIdle(t, time.Minute) // the server may still be reading a message the client sent whole
		takenBefore := map[string]bool{}
		for _, r := range srv.Received() {
			takenBefore[r.MessageID] = true
		}
		taken := len(takenBefore)
		interrupted := map[int64]bool{}
		for _, d := range list(t, ds) {
			if d.Status == delivery.Sending {
				interrupted[d.ID] = true
			}
		}
		t.Logf("killed with %d messages taken by the server, %d deliveries sending", taken, len(interrupted))
		if len(interrupted) == 0 {
			t.Fatalf("the kill interrupted no delivery; the test proves nothing")
		}

		srv.SetReplyDelay(0)
		mustCLI(t, dsn, "work", "--until-idle", "--smtp", srv.URL(), "--rescue-after", "2s")

		byID := map[string]int{}
		for _, r := range srv.Received() {
			byID[r.MessageID]++
		}
		final := list(t, ds)
		dups := 0
		for _, d := range final {
			n := byID[d.MessageID]
			delete(byID, d.MessageID)
			switch {
			case d.Status != delivery.Sent:
				t.Errorf("delivery %d: %s after the restart (%s), want sent", d.ID, d.Status, d.LastReply)
			case n == 0:
				t.Errorf("delivery %d to %s: lost, the server never got Message-ID %s", d.ID, d.Recipient, d.MessageID)
			case n > 1 && (!interrupted[d.ID] || !takenBefore[d.MessageID]):
				t.Errorf("delivery %d arrived %d times, but the server had not taken it before the kill of its attempt", d.ID, n)
			case n > 2:
				t.Errorf("delivery %d arrived %d times", d.ID, n)
			}
			if n == 2 {
				dups++
				full, err := ds.Get(ctx, d.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(full.History) < 2 || full.History[0].Outcome != delivery.OutcomeSending || !full.History[0].FinishedAt.IsZero() {
					t.Errorf("duplicated delivery %d: attempts %+v, want the interrupted one recorded as such", d.ID, full.History)
				}
			}
		}
		if len(byID) != 0 {
			t.Errorf("the server got messages of no delivery: %v", byID)
		}
		t.Logf("%d e-mails, %d duplicated (same Message-ID) where the server had taken them before the kill", len(final), dups)
	})
}

func list(t *testing.T, ds *sqldb.Deliveries) []delivery.Delivery {
	t.Helper()
	out, err := ds.List(context.Background(), sqldb.DeliveryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
