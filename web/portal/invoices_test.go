package portal_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// correctA corrects customer A's newest reading after billing and bills again: a credit note
// for the invoice it was on, and a new invoice. It returns A's customer id.
func (w *world) correctA() int64 {
	w.T.Helper()
	ctx := context.Background()
	key := billing.RegisterKey{MeteringPoint: w.A.Point, Register: w.A.Register}
	rs, err := w.App.DB.Readings(ctx, key)
	if err != nil || len(rs) == 0 {
		w.T.Fatalf("readings of %s: %v", key, err)
	}
	last := rs[len(rs)-1]
	if _, err := w.App.AddReading(ctx, billing.Submission{Key: key, Date: last.Date, Value: last.Value.Add(decimal.NewFromInt(7)),
		Source: billing.SourceOperator, By: "test", Confirmed: true, Reason: "misread digit"}); err != nil {
		w.T.Fatalf("correct %s: %v", key, err)
	}
	// The pair is issued on the next working day (the clock's 28 November is a Saturday).
	if res, err := w.App.Bill(ctx, calendar.MustDate("2026-11-30")); err != nil || len(res.Issued) < 2 {
		w.T.Fatalf("bill after the correction: %v, %d issued", err, len(res.Issued))
	}
	var id int64
	if err := w.App.DB.QueryRowContext(ctx, w.App.DB.Q(`SELECT id FROM customers WHERE registration_number = ?`), w.A.Reg).Scan(&id); err != nil {
		w.T.Fatal(err)
	}
	return id
}

// setClock moves the world's clock to t.
func (w *world) setClock(t time.Time) { w.Advance(t.Sub(w.Clock())) }

// listed is the numbers the archive page lists in its table.
func listed(p page) []string {
	var out []string
	p.Doc.Find(`#invoices tbody td.number a`).Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
	return out
}

// TestArchiveStatus filters the archive by status through the portal — on the business date
// in Riga by the portal's clock — and checks that the page, its cards, the export and the
// ZIP of everything found hold the same documents.
func TestArchiveStatus(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		id := w.correctA()
		ctx := context.Background()
		all, _, err := w.App.DB.CustomerInvoices(ctx, sqldb.CustomerInvoiceFilter{CustomerID: id})
		if err != nil {
			t.Fatal(err)
		}
		numbers := make([]string, len(all))
		for i, r := range all {
			numbers[i] = r.Number
		}
		corrections, err := w.App.DB.CustomerCorrections(ctx, id, numbers)
		if err != nil || len(corrections) == 0 {
			t.Fatalf("no corrected invoice after the correction: %v", err)
		}
		// want is what each status lists on the business date of the world's clock.
		want := func(status string) []string {
			today := calendar.DateOf(w.Clock())
			var out []string
			for _, r := range all {
				_, corrected := corrections[r.Number]
				if sqldb.InvoiceStatus(r, today, corrected) == status || status == sqldb.StatusEstimated && r.Estimated {
					out = append(out, r.Number)
				}
			}
			return out
		}

		c := w.signedIn(email("viewer"))
		for _, status := range sqldb.InvoiceStatuses {
			p := c.Get("/invoices?status=" + status)
			if got := listed(p); p.Status != 200 || !slices.Equal(got, want(status)) {
				t.Errorf("status %s: %d, listed %v, want %v", status, p.Status, got, want(status))
			}
			if v, _ := p.Doc.Find(`#f-status option[selected]`).Attr("value"); v != status {
				t.Errorf("status %s: the filter shows %q as chosen", status, v)
			}
			if strings.Contains(p.Body, "[archive.status.") {
				t.Errorf("status %s: a status without its text", status)
			}
			if cards, rows := p.Doc.Find(`#invoice-cards > li`).Length(), p.Doc.Find(`#invoices tbody tr`).Length(); cards != rows {
				t.Errorf("status %s: %d cards for %d rows", status, cards, rows)
			}
			if rows := p.Doc.Find(`#invoices tbody tr`).Length(); rows > 0 {
				if v, _ := p.Doc.Find(`#zip-form input[type=hidden][name=status]`).Attr("value"); v != status {
					t.Errorf("status %s: the ZIP form carries status %q", status, v)
				}
			}
		}
		// A corrected invoice names its credit note, in the table and on its card.
		p := c.Get("/invoices?status=corrected")
		for inv, cn := range corrections {
			for _, sel := range []string{`#invoices tbody tr`, `#invoice-cards > li`} {
				item := p.Doc.Find(sel).FilterFunction(func(_ int, s *goquery.Selection) bool {
					return s.Find(`a[href="/invoices/`+inv+`"]`).Length() > 0
				})
				if item.Find(`.doc-status a[href="/invoices/`+cn+`"]`).Length() != 1 {
					t.Errorf("%s: %s does not link its credit note %s", sel, inv, cn)
				}
			}
		}

		// The export and the ZIP of everything found hold the same documents as the page.
		for _, status := range []string{sqldb.StatusCorrected, sqldb.StatusOpen} {
			p := c.Get("/invoices/export?format=csv&status=" + status)
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.Body, "\ufeff")))
			r.Comma = ';'
			records, err := r.ReadAll()
			if p.Status != 200 || err != nil || len(records) < 1 {
				t.Fatalf("export %s: %d, %v", status, p.Status, err)
			}
			var exported []string
			for _, rec := range records[1:] {
				if !slices.Contains(exported, rec[0]) {
					exported = append(exported, rec[0])
				}
			}
			if w := want(status); !sameSet(exported, w) {
				t.Errorf("export %s holds %v, want %v", status, exported, w)
			}
			p = c.Get("/invoices/zip?all=1&format=pdf&status=" + status)
			zr, err := zip.NewReader(bytes.NewReader([]byte(p.Body)), int64(len(p.Body)))
			if p.Status != 200 || err != nil {
				t.Fatalf("zip of all %s: %d, %v", status, p.Status, err)
			}
			var zipped []string
			for _, f := range zr.File {
				zipped = append(zipped, strings.TrimSuffix(f.Name, ".pdf"))
			}
			if w := want(status); !sameSet(zipped, w) {
				t.Errorf("zip of all %s holds %v, want %v", status, zipped, w)
			}
		}
		if p := c.Get("/invoices/zip?all=1&format=pdf&contract=" + w.B.Contract); p.Status != http.StatusNotFound || strings.Contains(p.Body, w.B.Name) {
			t.Errorf("zip of all of another customer's contract: %d", p.Status)
		}

		// An unknown status: the page says so and lists every document; a file refuses.
		p = c.Get("/invoices?status=paid")
		if p.Status != 200 || p.Doc.Find(`p.error[role=alert]`).Length() != 1 || len(listed(p)) != min(len(all), 25) {
			t.Errorf("unknown status: %d, %d alerts, %d listed", p.Status, p.Doc.Find(`p.error`).Length(), len(listed(p)))
		}
		for _, path := range []string{"/invoices/export?format=csv&status=paid", "/invoices/zip?all=1&status=paid"} {
			if p := c.Get(path); p.Status != http.StatusBadRequest && p.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want a clear refusal", path, p.Status)
			}
		}

		// The date is Riga's: an hour before and after midnight in Riga, the UTC date is the
		// same, and an invoice due that day turns from open to past due at Riga's midnight.
		var due billing.Date
		var number string
		for _, r := range all {
			if _, corrected := corrections[r.Number]; r.Type == billing.TypeInvoice && !corrected {
				due, number = r.DueDate, r.Number
				break
			}
		}
		for _, c := range []struct {
			at     time.Time
			status string
		}{
			{time.Date(due.Year(), due.Month(), due.Day(), 23, 30, 0, 0, calendar.Riga), sqldb.StatusOpen},
			{time.Date(due.Year(), due.Month(), due.Day()+1, 0, 30, 0, 0, calendar.Riga), sqldb.StatusPastDue},
		} {
			w.setClock(c.at)
			v := w.signedIn(email("viewer")) // the clock's jump ended the earlier sessions
			if got := listed(v.Get("/invoices?status=" + c.status)); !slices.Contains(got, number) {
				t.Errorf("at %s (UTC %s), %s due %s is not %s: %v", c.at, c.at.UTC(), number, due, c.status, got)
			}
		}
	})
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
