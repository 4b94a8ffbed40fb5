package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/delivery/mailer"
	"github.com/erekins/erekins/delivery/smtptest"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// clock is an injected clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var issueDay = time.Date(2026, 12, 10, 9, 0, 0, 0, calendar.Riga)

// deliveryApp is an App on dsn with n e-invoice contracts billed for November 2026 and
// their deliveries queued, its clock at the issue day and its mailer on an SMTP test server.
func deliveryApp(t testing.TB, dsn string, n int) (*app.App, *clock, *smtptest.Server) {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, dsn, app.Config{Rules: billing.DefaultRules(), Mail: app.MailConfig{BaseURL: "https://portal.example.lv"}},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	clk := &clock{t: issueDay}
	a.Now = clk.Now
	importGenerated(t, a, datagen.Config{Seed: 7, Contracts: n, MinMeteringPoints: 1, MeteringPoints: 1, Months: 1,
		LastPeriod: calendar.MustDate("2026-11-01"), LegacyBaseline: true, EInvoiceShare: 1,
		Customers: []datagen.Customer{{Name: "SIA Bērziņš & <Dēli>", Language: "lv", Email: "rekini@berzins.lv"},
			{Name: "Acme Baltic Ltd", Language: "en", Email: "ap@acme.example.com"}}})
	res, err := a.Bill(ctx, calendar.DateOf(issueDay))
	if err != nil || len(res.Failures) > 0 || len(res.Issued) == 0 {
		t.Fatalf("bill: %d issued, failures %v, err %v", len(res.Issued), res.Failures, err)
	}
	srv := smtptest.Start(t)
	if a.Delivery.Mailer, err = mailer.NewSMTP(srv.URL(), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	return a, clk, srv
}

func deliveries(t *testing.T, a *app.App, f sqldb.DeliveryFilter) []delivery.Delivery {
	t.Helper()
	ds, err := a.Deliveries.List(context.Background(), f)
	if err != nil {
		t.Fatalf("list deliveries: %v", err)
	}
	return ds
}

// attempt runs the delivery's current job, as the River worker would.
func attempt(t *testing.T, a *app.App, d delivery.Delivery) delivery.Delivery {
	t.Helper()
	ctx := context.Background()
	cur, err := a.Deliveries.Get(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Delivery.Attempt(ctx, delivery.Job{DeliveryID: d.ID, Seq: cur.Seq}); err != nil {
		t.Fatalf("attempt: %v", err)
	}
	got, err := a.Deliveries.Get(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestDeliveryQueuedOnIssue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		a, _, _ := deliveryApp(t, dsn, 2)
		ds := deliveries(t, a, sqldb.DeliveryFilter{})
		if len(ds) != 2 {
			t.Fatalf("%d deliveries, want one per e-invoice recipient (2)", len(ds))
		}
		for _, d := range ds {
			if d.Status != delivery.Queued || d.Kind != delivery.KindInvoice || d.InvoiceNumber == "" || d.MessageID == "" {
				t.Errorf("delivery %+v: want a queued invoice delivery with a Message-ID", d)
			}
			if strings.Join(d.Formats, ",") != "pdf,ubl,csv" {
				t.Errorf("formats %v, want the contract's pdf,ubl,csv", d.Formats)
			}
		}
		var jobs int
		if err := a.DB.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'deliver'`).Scan(&jobs); err != nil || jobs != 2 {
			t.Errorf("%d delivery jobs (err %v), want 2, inserted with the invoices", jobs, err)
		}
	})
}

func TestDeliveryPaths(t *testing.T) {
	cases := []struct {
		name        string
		mode        smtptest.Mode
		down        bool
		status      string
		outcome     string
		code        int
		retryAfter  time.Duration
		wantMessage bool
	}{
		{name: "server accepts", mode: smtptest.Accept, status: delivery.Sent, outcome: delivery.OutcomeAccepted, code: 250, wantMessage: true},
		{name: "4xx defers", mode: smtptest.Defer, status: delivery.Retrying, outcome: delivery.OutcomeDeferred, code: 451, retryAfter: time.Minute},
		{name: "5xx rejects at once", mode: smtptest.Reject, status: delivery.Failed, outcome: delivery.OutcomeRejected, code: 550},
		{name: "connection dropped mid-DATA", mode: smtptest.DropMidData, status: delivery.Retrying, outcome: delivery.OutcomeDeferred, retryAfter: time.Minute},
		{name: "server down", down: true, status: delivery.Retrying, outcome: delivery.OutcomeDeferred, retryAfter: time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, dsn string) {
				a, clk, srv := deliveryApp(t, dsn, 1)
				srv.SetMode(tc.mode)
				if tc.down {
					srv.Down()
				}
				d := deliveries(t, a, sqldb.DeliveryFilter{})[0]
				clk.Add(42 * time.Second)
				got := attempt(t, a, d)
				if got.Status != tc.status || got.Attempts != 1 || len(got.History) != 1 {
					t.Fatalf("status %s after %d attempts (%d recorded), want %s after 1", got.Status, got.Attempts, len(got.History), tc.status)
				}
				at := got.History[0]
				if at.Outcome != tc.outcome || at.Code != tc.code || at.Server != srv.Addr || at.Reply == "" ||
					!at.StartedAt.Equal(clk.Now()) || !at.FinishedAt.Equal(clk.Now()) {
					t.Errorf("attempt %+v: want outcome %s, code %d, server %s, a reply, times from the injected clock", at, tc.outcome, tc.code, srv.Addr)
				}
				if tc.retryAfter > 0 {
					if want := clk.Now().Add(tc.retryAfter); !got.NextAttemptAt.Equal(want) || got.Seq != 1 {
						t.Errorf("next attempt %s (seq %d), want %s (seq 1)", got.NextAttemptAt, got.Seq, want)
					}
					if n := scheduledJobs(t, a, d.ID); n != 2 {
						t.Errorf("%d jobs for the delivery, want the first and the scheduled retry", n)
					}
				} else if !got.NextAttemptAt.IsZero() {
					t.Errorf("next attempt %s on a final status", got.NextAttemptAt)
				}
				if rec := srv.Received(); (len(rec) == 1) != tc.wantMessage {
					t.Errorf("server received %d messages", len(rec))
				}
				// the job that started this attempt is stale now: running it again does nothing
				if err := a.Delivery.Attempt(context.Background(), delivery.Job{DeliveryID: d.ID, Seq: 0}); err != nil {
					t.Fatal(err)
				}
				if again, _ := a.Deliveries.Get(context.Background(), d.ID); again.Attempts != 1 {
					t.Errorf("a stale job made attempt %d", again.Attempts)
				}
			})
		})
	}
}

func scheduledJobs(t *testing.T, a *app.App, id int64) int {
	t.Helper()
	q := `SELECT json(args) FROM river_job WHERE kind = 'deliver'`
	if a.DB.Dialect == sqldb.Postgres {
		q = `SELECT args::text FROM river_job WHERE kind = 'deliver'`
	}
	rows, err := a.DB.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var j delivery.Job
		if err := json.Unmarshal(raw, &j); err != nil {
			t.Fatal(err)
		}
		if j.DeliveryID == id {
			n++
		}
	}
	return n
}

func TestDeliveryBackoffUntilExhausted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		a, clk, srv := deliveryApp(t, dsn, 1)
		srv.SetMode(smtptest.Defer)
		d := deliveries(t, a, sqldb.DeliveryFilter{})[0]
		created := d.CreatedAt
		wantSteps := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
		for i, step := range wantSteps {
			got := attempt(t, a, d)
			if got.Status != delivery.Retrying || !got.NextAttemptAt.Equal(clk.Now().Add(step)) {
				t.Fatalf("attempt %d: %s, next %s; want retrying at +%s", i+1, got.Status, got.NextAttemptAt, step)
			}
			clk.Set(got.NextAttemptAt)
		}
		// near the end of the window the last retry is at the window's end, then it fails
		clk.Set(created.Add(72*time.Hour - time.Minute))
		got := attempt(t, a, d)
		if got.Status != delivery.Retrying || !got.NextAttemptAt.Equal(created.Add(72*time.Hour)) {
			t.Fatalf("%s, next %s; want one more try at the end of 72 hours", got.Status, got.NextAttemptAt)
		}
		clk.Set(got.NextAttemptAt)
		got = attempt(t, a, d)
		if got.Status != delivery.Failed || !strings.Contains(got.LastReply, "retries exhausted") || len(got.History) != 6 {
			t.Fatalf("%s (%q) after %d attempts; want failed, retries exhausted, 6 attempts", got.Status, got.LastReply, len(got.History))
		}
		if failed := deliveries(t, a, sqldb.DeliveryFilter{Status: delivery.Failed}); len(failed) != 1 {
			t.Errorf("%d failed deliveries listed, want 1", len(failed))
		}
	})
}

func TestDeliveryMessage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a, _, srv := deliveryApp(t, dsn, 2)
		for _, d := range deliveries(t, a, sqldb.DeliveryFilter{}) {
			if got := attempt(t, a, d); got.Status != delivery.Sent {
				t.Fatalf("%s: %s", got.Recipient, got.LastReply)
			}
		}
		rec := srv.Received()
		if len(rec) != 2 {
			t.Fatalf("%d messages, want 2", len(rec))
		}
		for _, r := range rec {
			m, err := mail.ReadMessage(bytes.NewReader(r.Data))
			if err != nil {
				t.Fatal(err)
			}
			ds := deliveries(t, a, sqldb.DeliveryFilter{})
			var d delivery.Delivery
			for _, x := range ds {
				if x.MessageID == r.MessageID {
					d = x
				}
			}
			if d.ID == 0 || r.To[0] != d.Recipient {
				t.Fatalf("message %s to %v matches no delivery", r.MessageID, r.To)
			}
			subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
			inv, err := a.DB.Invoice(ctx, d.InvoiceNumber)
			if err != nil {
				t.Fatal(err)
			}
			wantSubject := map[string][]string{"lv": {"Rēķins Nr. " + inv.Number, "par 2026. gada novembri", "apmaksāt līdz " + dueLV(inv)},
				"en": {"Invoice " + inv.Number, "for November 2026", "due "}}[inv.Language]
			for _, w := range wantSubject {
				if !strings.Contains(subject, w) {
					t.Errorf("subject %q lacks %q", subject, w)
				}
			}
			if from, _ := mail.ParseAddress(m.Header.Get("From")); from == nil || from.Address != inv.Supplier.Email {
				t.Errorf("From %q, want the supplier's %s", m.Header.Get("From"), inv.Supplier.Email)
			}
			parts := readParts(t, m)
			for _, f := range []string{"pdf", "ubl", "csv"} {
				stored, err := a.Document(ctx, inv.Number, f)
				if err != nil {
					t.Fatal(err)
				}
				name := delivery.AttachmentName(inv.Number, f)
				if !bytes.Equal(parts[name], stored) {
					t.Errorf("attachment %s (%d bytes) differs from the stored %s (%d bytes)", name, len(parts[name]), f, len(stored))
				}
			}
			link := "https://portal.example.lv/invoices/" + inv.Number
			if !strings.Contains(string(parts["text/plain"]), link) || !strings.Contains(string(parts["text/html"]), `href="`+link+`"`) {
				t.Errorf("bodies lack the link %s", link)
			}
			if strings.Contains(strings.ToLower(string(parts["text/html"])), "<img") {
				t.Errorf("HTML body has an image: no tracking pixels")
			}
		}
	})
}

func dueLV(inv *billing.Invoice) string {
	d := inv.DueDate
	return fmt.Sprintf("%02d.%02d.%d", d.Day(), int(d.Month()), d.Year())
}

// readParts walks a MIME message and returns its leaves: attachments by file name, bodies
// by content type, each decoded.
func readParts(t *testing.T, m *mail.Message) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	var walk func(ctype string, header func(string) string, body io.Reader)
	walk = func(ctype string, header func(string) string, body io.Reader) {
		mt, params, err := mime.ParseMediaType(ctype)
		if err != nil {
			t.Fatalf("content type %q: %v", ctype, err)
		}
		if strings.HasPrefix(mt, "multipart/") {
			r := multipart.NewReader(body, params["boundary"])
			for {
				p, err := r.NextRawPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				walk(p.Header.Get("Content-Type"), p.Header.Get, p)
			}
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		switch strings.ToLower(header("Content-Transfer-Encoding")) {
		case "base64":
			if b, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(b))); err != nil {
				t.Fatal(err)
			}
		case "quoted-printable":
			if b, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b))); err != nil {
				t.Fatal(err)
			}
		}
		key := mt
		if _, dp, err := mime.ParseMediaType(header("Content-Disposition")); err == nil && dp["filename"] != "" {
			key = dp["filename"]
		}
		out[key] = b
	}
	walk(m.Header.Get("Content-Type"), m.Header.Get, m.Body)
	return out
}
