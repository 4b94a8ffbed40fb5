package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/delivery/smtptest"
	"github.com/erekins/erekins/jobs"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestScaleOut runs two `erekins serve` processes on one PostgreSQL database with a real
// SMTP server: a portal session started on one instance continues on the other, a billing
// day queued through River (as the daily schedule queues it) is billed by one of them, and
// the deliveries are worked by both. Every job runs exactly once: each contract and period
// is invoiced once under gapless numbers, each e-mail arrives once, and every River job
// completed at its first attempt. Without PostgreSQL it skips loudly (fails under CI=true).
func TestScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("two servers on PostgreSQL (~15 s)")
	}
	dsn := sqldbtest.New(t, "postgres")
	ctx := context.Background()
	dir := t.TempDir()
	// October is due today already (the schedule's run at start bills it); November is
	// billed by the run queued for 10 December below.
	const contracts = 12
	file, reg := writeDataset(t, dir, datagen.Config{Seed: 21, Contracts: contracts, MinMeteringPoints: 1, MeteringPoints: 1,
		Months: 2, LegacyBaseline: true, EInvoiceShare: 1})
	mustCLI(t, dsn, "import", file)
	const email, password = "ops@example.lv", "scale-out-test-password"
	mustCLI(t, dsn, "user", "add", "--email", email, "--name", "Ops", "--customer", reg, "--role", "admin", "--password", password)

	mail := smtptest.Start(t)
	mail.SetReplyDelay(200 * time.Millisecond) // e-mails overlap, so both instances take some
	one := startServe(t, dsn, "--smtp", mail.URL(), "--metrics-addr", "127.0.0.1:0")
	two := startServe(t, dsn, "--smtp", mail.URL())
	c := browser()
	for _, s := range []*served{one, two} {
		if code, body := fetch(t, c, s.URL+"/readyz"); code != http.StatusOK {
			t.Fatalf("%s/readyz: %d %s", s.URL, code, body)
		}
	}

	// Sessions live in the database: signed in on one, the same cookie and CSRF token work
	// on two, and what two changes in the session one sees.
	signInAt(t, c, one.URL, email, password)
	code, page := fetch(t, c, two.URL+"/")
	if code != http.StatusOK {
		t.Fatalf("instance two with instance one's session: %d, want 200", code)
	}
	res, err := c.PostForm(two.URL+"/language", url.Values{"lang": {"en"}, "csrf": {csrfOf(t, page)}, "next": {"/invoices"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /language on instance two: %s, want 303", res.Status)
	}
	if code, page := fetch(t, c, one.URL+"/invoices"); code != http.StatusOK || !strings.Contains(page, `lang="en"`) {
		t.Errorf("instance one after instance two switched to English: %d, English %v", code, strings.Contains(page, `lang="en"`))
	}

	// A billing day through the queue, while both instances run.
	a, err := app.Open(ctx, dsn, app.Config{Rules: billing.DefaultRules()}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	queue, err := jobs.New(a, slog.New(slog.DiscardHandler)) // only to insert; never started
	if err != nil {
		t.Fatal(err)
	}
	if _, err := queue.Client.Insert(ctx, jobs.BillArgs{Date: "2026-12-10"}, nil); err != nil {
		t.Fatal(err)
	}

	db := a.DB
	count := func(q string) int {
		var n int
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	deadline := time.Now().Add(3 * time.Minute)
	// Done when both billing runs (the schedule's for today at the leader's start, and the
	// queued one) completed, no job is left and every e-mail is sent.
	days := map[string]bool{"2026-12-10": true, calendar.DateOf(time.Now()).String(): true}
	billed := fmt.Sprintf(`SELECT count(*) FROM river_job WHERE kind = 'bill' AND state = 'completed' AND args->>'date' IN ('2026-12-10', '%s')`,
		calendar.DateOf(time.Now()))
	for !(count(billed) == len(days) &&
		count(`SELECT count(*) FROM river_job WHERE state <> 'completed'`) == 0 &&
		count(`SELECT count(*) FROM deliveries WHERE status <> 'sent'`) == 0) {
		if time.Now().After(deadline) {
			t.Fatalf("the queue did not empty within 3 minutes: %d jobs not completed, %d deliveries not sent",
				count(`SELECT count(*) FROM river_job WHERE state <> 'completed'`), count(`SELECT count(*) FROM deliveries WHERE status <> 'sent'`))
		}
		time.Sleep(100 * time.Millisecond) // polling the database, not waiting for a guess
	}
	checkMetrics(t, c, one, two, reg, email, count(`SELECT count(*) FROM invoices`), count(`SELECT count(*) FROM deliveries`))
	for _, s := range []*served{one, two} {
		if code := s.stop(t); code != 0 {
			t.Errorf("%s exited %d after SIGTERM, want 0", s.URL, code)
		}
	}

	// Each contract and period invoiced once, numbers gapless.
	invoices := count(`SELECT count(*) FROM invoices`)
	if invoices < 2*contracts {
		t.Errorf("%d invoices, want at least %d (October and November of %d contracts)", invoices, 2*contracts, contracts)
	}
	if n := count(`SELECT count(*) FROM (SELECT contract_id, period_start FROM invoices WHERE type = 'invoice'
		GROUP BY contract_id, period_start HAVING count(*) > 1) d`); n != 0 {
		t.Errorf("%d contract periods invoiced more than once", n)
	}
	checkGapless(t, db)

	// Each e-mail once: one delivery job per delivery, one message per Message-ID.
	ds := list(t, a.Deliveries)
	got := map[string]int{}
	for _, r := range mail.Received() {
		got[r.MessageID]++
	}
	for _, d := range ds {
		if d.Status != delivery.Sent || d.Attempts != 1 || got[d.MessageID] != 1 {
			t.Errorf("delivery %d (%s): %s after %d attempts, received %d times; want sent once", d.ID, d.InvoiceNumber, d.Status, d.Attempts, got[d.MessageID])
		}
		delete(got, d.MessageID)
	}
	if len(ds) < invoices || len(got) != 0 {
		t.Errorf("%d deliveries for %d invoices; %d messages of no delivery", len(ds), invoices, len(got))
	}
	if n := count(`SELECT count(*) FROM river_job WHERE kind = 'deliver'`); n != len(ds) {
		t.Errorf("%d delivery jobs for %d deliveries", n, len(ds))
	}

	// Every job completed at its first attempt; who worked them shows the spread.
	if n := count(`SELECT count(*) FROM river_job WHERE state <> 'completed' OR attempt <> 1`); n != 0 {
		t.Errorf("%d jobs not completed at their first attempt", n)
	}
	rows, err := db.QueryContext(ctx, `SELECT kind, attempted_by[array_length(attempted_by, 1)], count(*) FROM river_job GROUP BY 1, 2 ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	workers := map[string]bool{}
	for rows.Next() {
		var kind, by string
		var n int
		if err := rows.Scan(&kind, &by, &n); err != nil {
			t.Fatal(err)
		}
		workers[by] = true
		t.Logf("%-8s %3d jobs worked by %s", kind, n, by)
	}
	if len(workers) != 2 {
		t.Logf("NOTE: %d instance(s) worked jobs; the queue gave the other nothing this time", len(workers))
	}
}

// checkMetrics scrapes instance one's metrics listener: the figures read from the database
// agree with it (whichever instance did the work), the public listener has no /metrics,
// and nothing of a customer's shows.
func checkMetrics(t *testing.T, c *http.Client, one, two *served, reg, email string, invoices, deliveries int) {
	t.Helper()
	if one.MetricsURL == "" {
		t.Fatal("serve --metrics-addr printed no metrics URL")
	}
	code, body := fetch(t, c, one.MetricsURL)
	if code != http.StatusOK {
		t.Fatalf("metrics: %d", code)
	}
	sum := func(prefix string) int {
		n := 0
		for _, l := range strings.Split(body, "\n") {
			if strings.HasPrefix(l, prefix) {
				f := strings.Fields(l)
				v, _ := strconv.ParseFloat(f[len(f)-1], 64)
				n += int(v)
			}
		}
		return n
	}
	if n := sum("erekins_invoices_issued_total{"); n != invoices {
		t.Errorf("erekins_invoices_issued_total sums to %d, want %d", n, invoices)
	}
	if n := sum(`erekins_deliveries{status="sent"}`); n != deliveries {
		t.Errorf(`erekins_deliveries{status="sent"} = %d, want %d`, n, deliveries)
	}
	if n := sum("erekins_http_request_duration_seconds_count{"); n == 0 {
		t.Errorf("no requests counted")
	}
	for _, secret := range []string{reg, email, "ER-20"} {
		if strings.Contains(body, secret) {
			t.Errorf("the metrics show %q", secret)
		}
	}
	for _, s := range []*served{one, two} {
		if code, _ := fetch(t, c, s.URL+"/metrics"); code != http.StatusNotFound {
			t.Errorf("%s/metrics on the public listener: %d, want 404", s.URL, code)
		}
	}
}
