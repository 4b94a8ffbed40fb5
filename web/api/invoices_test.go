package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

type listed struct {
	Number, Type, Corrects, CreditedBy, UpdatedAt string
}

// page lists one page; it returns the items and the next cursor ("" on the last page).
func (w *world) page(query url.Values) ([]listed, string) {
	w.T.Helper()
	r := w.get("/api/v1/invoices?"+query.Encode(), "admin")
	if r.Status != http.StatusOK {
		w.T.Fatalf("list %s: %d %s", query.Encode(), r.Status, cut(r.Body))
	}
	var out []listed
	for _, it := range r.JSON["items"].([]any) {
		m := it.(map[string]any)
		l := listed{Number: m["number"].(string), Type: m["type"].(string), UpdatedAt: m["updated_at"].(string)}
		l.Corrects, _ = m["corrects"].(string)
		l.CreditedBy, _ = m["credited_by"].(string)
		out = append(out, l)
	}
	next, _ := r.JSON["next_cursor"].(string)
	return out, next
}

// all pages through every document matching query, limit at a time; between pages it
// calls between (once, after the first page) when given.
func (w *world) all(query url.Values, limit int, between func()) []listed {
	w.T.Helper()
	query.Set("limit", strconv.Itoa(limit))
	var out []listed
	for i := 0; ; i++ {
		items, next := w.page(query)
		if len(items) > limit {
			w.T.Fatalf("page of %d, limit %d", len(items), limit)
		}
		out = append(out, items...)
		if next == "" {
			return out
		}
		if i == 0 && between != nil {
			between()
		}
		query.Set("cursor", next)
	}
}

// correctAndBill corrects customer A's billed October reading through the API and runs
// billing two weeks later: a credit note and a new invoice of the October period, and
// November's invoices, appear.
func (w *world) correctAndBill() {
	w.T.Helper()
	ctx := context.Background()
	key := billing.RegisterKey{MeteringPoint: w.A.Point, Register: w.A.Register}
	st, err := w.App.DB.RegisterState(ctx, key)
	if err != nil {
		w.T.Fatal(err)
	}
	oct := w.App.Config.Rules.WindowOf(billing.MonthOf(calendar.MustDate("2026-10-01")))
	old, ok := st.History.In(oct)
	if !ok || !st.Billed[oct.Period] {
		w.T.Fatalf("no billed October reading")
	}
	r := w.submit("readings", "correct-oct", batch(row(key.MeteringPoint, key.Register, old.Date.String(), old.Value.Add(decimal.NewFromInt(5)), `,"reason":"misread"`)))
	if r.Status != http.StatusCreated {
		w.T.Fatalf("correction: %d %s", r.Status, cut(r.Body))
	}
	if rb := r.JSON["readings"].([]any)[0].(map[string]any)["rebill"].([]any); len(rb) != 1 || rb[0] != "2026-10" {
		w.T.Errorf("the correction reopens %v, want [2026-10]", rb)
	}
	w.Advance(14 * 24 * time.Hour)
	if res, err := w.App.Bill(ctx, calendar.DateOf(w.Clock())); err != nil || len(res.Failures) > 0 {
		w.T.Fatalf("bill: %v %v", err, res.Failures)
	}
}

// TestPagination pages through customer A's documents while new ones appear and an old
// one is corrected: every document that existed is listed, none twice unless it changed
// meanwhile, and the new ones come on later pages. updated_since then gives exactly the
// documents issued or corrected after it.
func TestPagination(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		before := w.all(url.Values{}, 200, nil)
		if len(before) < 4 {
			t.Fatalf("only %d documents to page through", len(before))
		}
		start := w.Clock()
		if got := w.all(url.Values{}, 1, nil); len(got) != len(before) {
			t.Fatalf("page by page %d documents, at once %d", len(got), len(before))
		}
		seen := w.all(url.Values{}, 2, w.correctAndBill)
		after := w.all(url.Values{}, 200, nil)
		if len(after) <= len(before) {
			t.Fatalf("no new documents appeared: %d then %d", len(before), len(after))
		}
		now := map[string]listed{}
		for _, d := range after {
			if _, dup := now[d.Number]; dup {
				t.Errorf("%s listed twice in one page", d.Number)
			}
			now[d.Number] = d
		}
		was := map[string]listed{}
		for _, d := range before {
			was[d.Number] = d
		}
		count := map[string]int{}
		for _, d := range seen {
			count[d.Number]++
		}
		var credited string
		for _, d := range after {
			changed := was[d.Number].UpdatedAt != "" && was[d.Number].UpdatedAt != d.UpdatedAt
			switch n := count[d.Number]; {
			case n == 0:
				t.Errorf("%s (%s) was never listed while paging", d.Number, d.Type)
			case n > 1 && !changed:
				t.Errorf("%s listed %d times though it did not change", d.Number, n)
			}
			if changed {
				if d.CreditedBy == "" || now[d.CreditedBy].Corrects != d.Number {
					t.Errorf("%s changed but names no credit note: %+v", d.Number, d)
				}
				credited = d.Number
			}
		}
		if credited == "" {
			t.Fatal("no document was credited")
		}
		// updated_since: the credited invoice and every new document, nothing else.
		since := w.all(url.Values{"updated_since": {start.Add(time.Second).UTC().Format(time.RFC3339)}}, 3, nil)
		want := map[string]bool{credited: true}
		for _, d := range after {
			if _, old := was[d.Number]; !old {
				want[d.Number] = true
			}
		}
		got := map[string]bool{}
		for _, d := range since {
			got[d.Number] = true
			if !want[d.Number] {
				t.Errorf("updated_since lists %s, which did not change", d.Number)
			}
		}
		for n := range want {
			if !got[n] {
				t.Errorf("updated_since misses %s", n)
			}
		}
		if all := w.all(url.Values{"updated_since": {start.UTC().Format(time.RFC3339)}}, 200, nil); len(all) != len(after) {
			t.Errorf("updated_since at the first issue lists %d, want all %d (inclusive)", len(all), len(after))
		}
		if none := w.all(url.Values{"updated_since": {w.Clock().Add(time.Hour).UTC().Format(time.RFC3339)}}, 10, nil); len(none) != 0 {
			t.Errorf("updated_since in the future lists %d", len(none))
		}
	})
}

// TestDocumentETag: documents carry their stored SHA-256 as ETag and answer 304 to it; the
// bytes are the stored ones.
func TestDocumentETag(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		for _, format := range []string{"pdf", "ubl", "csv", "json"} {
			path := "/api/v1/invoices/" + w.A.Invoice
			if format != "json" {
				path += "/" + format
			}
			r := w.get(path, "viewer")
			doc, err := w.App.DB.CustomerDocument(context.Background(), w.A.ID, w.A.Invoice, format)
			if err != nil {
				t.Fatal(err)
			}
			etag := `"` + doc.SHA256 + `"`
			if r.Status != http.StatusOK || r.Header.Get("ETag") != etag || string(r.Body) != string(doc.Content) {
				t.Fatalf("%s: %d, ETag %s, want %s and the stored bytes", format, r.Status, r.Header.Get("ETag"), etag)
			}
			for _, match := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
				r := w.call(http.MethodGet, path, "viewer", "", map[string]string{"If-None-Match": match})
				if r.Status != http.StatusNotModified || len(r.Body) != 0 {
					t.Errorf("%s If-None-Match %s: %d with %d bytes, want 304", format, match, r.Status, len(r.Body))
				}
			}
			if r := w.call(http.MethodGet, path, "viewer", "", map[string]string{"If-None-Match": `"other"`}); r.Status != http.StatusOK {
				t.Errorf("%s another ETag: %d", format, r.Status)
			}
		}
	})
}
