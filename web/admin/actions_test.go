package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// send makes the delivery's attempt now, as a worker would, through the built-in outbox.
func (w *world) send(d delivery.Delivery) {
	w.T.Helper()
	if err := w.App.Delivery.Attempt(context.Background(), delivery.Job{DeliveryID: d.ID, Seq: d.Seq}); err != nil {
		w.T.Fatalf("attempt delivery %d: %v", d.ID, err)
	}
}

// deliveryTo returns the newest delivery of the invoice to the address.
func (w *world) deliveryTo(invoice, to string) (delivery.Delivery, bool) {
	w.T.Helper()
	ds, err := w.App.Deliveries.List(context.Background(), sqldb.DeliveryFilter{Invoice: invoice})
	if err != nil {
		w.T.Fatal(err)
	}
	for _, d := range ds {
		if d.Recipient == to {
			return d, true
		}
	}
	return delivery.Delivery{}, false
}

func TestAdminResend(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		op := w.operator()
		op.Get("/admin/invoices/" + w.A.Invoice)
		const to = "accounts@elsewhere.example.lv"
		p := op.Post("/admin/invoices/"+w.A.Invoice+"/resend", url.Values{"to": {to}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/admin/invoices/"+w.A.Invoice+"?resent=1" {
			t.Fatalf("resend: %d %q", p.Status, p.Header.Get("Location"))
		}
		d, ok := w.deliveryTo(w.A.Invoice, to)
		if !ok || d.Kind != delivery.KindResend || d.RequestedBy != opEmail || d.Status != delivery.Queued {
			t.Fatalf("delivery %+v (found %v), want a queued resend requested by the operator", d, ok)
		}
		log, err := w.App.DB.AuditLog(ctx, "invoice", w.A.Invoice)
		if err != nil || len(log) == 0 || log[len(log)-1].Action != "delivery_resend" || log[len(log)-1].Actor != opEmail {
			t.Errorf("audit %+v, %v; want the resend by the operator", log, err)
		}
		w.send(d)
		p = op.Get("/admin/outbox")
		row := p.Doc.Find("#outbox tr.message").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Find(".to").Text() == to })
		if row.Length() != 1 {
			t.Fatalf("the outbox has %d messages to %s", row.Length(), to)
		}
		p = op.Get(row.Find("a").AttrOr("href", ""))
		if p.Status != http.StatusOK || p.Doc.Find("#to").Text() != to || !strings.Contains(p.Doc.Find("#raw").Text(), "Message-ID") {
			t.Errorf("outbox message: %d to %q", p.Status, p.Doc.Find("#to").Text())
		}
		// The invoice page shows the e-mail with its attempt and who asked.
		p = op.Get("/admin/invoices/" + w.A.Invoice)
		sec := p.Doc.Find(fmt.Sprintf("#delivery-%d", d.ID))
		if sec.Length() != 1 || sec.Find(".status").Text() != delivery.Sent || sec.Find("tr.attempt").Length() != 1 ||
			!strings.Contains(sec.Text(), opEmail) {
			t.Errorf("invoice page's delivery: %q", sec.Text())
		}
		if p.Doc.Find(`#documents a[href$="/pdf"]`).Length() != 1 {
			t.Error("no PDF link")
		}
		doc, err := w.App.DB.Document(ctx, w.A.Invoice, billing.FormatPDF)
		if err != nil {
			t.Fatal(err)
		}
		if p := op.Get("/admin/invoices/" + w.A.Invoice + "/pdf"); p.Status != http.StatusOK || p.Body != string(doc.Content) ||
			p.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("PDF download: %d %s, %d bytes, want the stored %d", p.Status, p.Header.Get("Content-Type"), len(p.Body), len(doc.Content))
		}
	})
}

func TestAdminFailedQueue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		op := w.operator()
		op.Get("/admin/invoices/" + w.A.Invoice)
		const bad = "nobody@broken.example.lv"
		if p := op.Post("/admin/invoices/"+w.A.Invoice+"/resend", url.Values{"to": {bad}}); p.Status != http.StatusSeeOther {
			t.Fatalf("resend: %d", p.Status)
		}
		d, _ := w.deliveryTo(w.A.Invoice, bad)
		// The server rejects it: the store records the attempt as a worker would.
		c, err := w.App.Deliveries.Claim(ctx, d.ID, d.Seq, w.Clock(), "mx.broken.example.lv:25")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.App.Deliveries.Finish(ctx, delivery.Finish{ID: c.ID, Seq: c.Seq, N: c.Attempts, At: w.Clock(), Status: delivery.Failed,
			Result: delivery.Result{Outcome: delivery.OutcomeRejected, Code: 550, Reply: "550 5.1.1 no such user"}}); err != nil {
			t.Fatal(err)
		}
		p := op.Get("/admin/deliveries/failed")
		row := p.Doc.Find("#failed tr.delivery").First()
		if row.Find(".recipient").Text() != bad || !strings.Contains(row.Find(".reply").Text(), "550 5.1.1 no such user") {
			t.Fatalf("newest failed e-mail: %q", row.Text())
		}
		if got := strings.TrimSpace(op.Get("/admin").Doc.Find("#failed").Text()); got != "1" {
			t.Errorf("dashboard counts %s failed e-mails, want 1", got)
		}
		// Send it again from the queue to the same address; once sent, it leaves the queue.
		op.Get("/admin/deliveries/failed")
		p = op.Post("/admin/invoices/"+w.A.Invoice+"/resend", url.Values{"to": {bad}, "next": {"/admin/deliveries/failed"}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/admin/deliveries/failed?resent=1" {
			t.Fatalf("resend from the queue: %d %q", p.Status, p.Header.Get("Location"))
		}
		again, _ := w.deliveryTo(w.A.Invoice, bad)
		if again.ID == d.ID {
			t.Fatal("no new delivery")
		}
		w.send(again)
		if n := op.Get("/admin/deliveries/failed").Doc.Find("#failed tr.delivery").Length(); n != 0 {
			t.Errorf("%d failed e-mails after a successful resend, want 0", n)
		}
	})
}

func TestAdminMissingReadings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		op := w.operator()
		// 28 November: the window of November (27 Nov – 3 Dec) is open and has no readings yet.
		want := w.count(`SELECT count(*) FROM registers`)
		p := op.Get("/admin/readings/missing")
		if got := strings.TrimSpace(p.Doc.Find("#total").Text()); got != fmt.Sprint(want) {
			t.Fatalf("missing %s, want every register (%d)", got, want)
		}
		row := p.Doc.Find("#missing tr.missing").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.Find(".point").Text() == w.A.Point && s.Find(".register").Text() == w.A.Register
		})
		if row.Length() != 1 || row.Find(fmt.Sprintf(`a[href="/admin/customers/%d"]`, w.A.ID)).Length() != 1 {
			t.Fatalf("A's register is not listed with a link to A: %d", row.Length())
		}
		// The operator enters it for the customer.
		st, err := w.App.DB.RegisterState(context.Background(), billing.RegisterKey{MeteringPoint: w.A.Point, Register: w.A.Register})
		if err != nil {
			t.Fatal(err)
		}
		last := st.History.Readings[len(st.History.Readings)-1].Value
		regPath := row.Find(".point a").AttrOr("href", "")
		op.Get(regPath)
		p = op.Post(regPath, url.Values{"date": {"2026-11-28"}, "value": {last.Add(decimal.NewFromInt(7)).String()}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("enter a reading: %d %q", p.Status, p.Body)
		}
		if got := strings.TrimSpace(op.Get("/admin/readings/missing").Doc.Find("#total").Text()); got != fmt.Sprint(want-1) {
			t.Errorf("missing after the reading: %s, want %d", got, want-1)
		}
		if got := strings.TrimSpace(op.Get("/admin").Doc.Find("#missing").Text()); got != fmt.Sprint(want-1) {
			t.Errorf("dashboard: %s missing, want %d", got, want-1)
		}
		rs, _ := w.App.DB.Readings(context.Background(), billing.RegisterKey{MeteringPoint: w.A.Point, Register: w.A.Register})
		if r := rs[len(rs)-1]; r.Source != billing.SourceOperator || r.SubmittedBy != opEmail {
			t.Errorf("stored reading %+v, want source operator by the operator", r)
		}
		w.admin.PageSize = 2
		p = op.Get("/admin/readings/missing?page=2")
		if n := p.Doc.Find("#missing tr.missing").Length(); n != min(2, want-1-2) || p.Doc.Find(`a[rel="prev"]`).Length() != 1 {
			t.Errorf("page 2 of 2 per page: %d rows", n)
		}
	})
}

// TestAdminCorrection: an operator corrects a reading of a billed period; the page names the
// invoice the correction credits, the period is flagged for rebilling, and the next billing
// run issues the credit note and a new invoice.
func TestAdminCorrection(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		op := w.operator()
		key := billing.RegisterKey{MeteringPoint: w.A.Point, Register: w.A.Register}
		st, err := w.App.DB.RegisterState(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		// The reading of October's window, billed on 27 November.
		rules := w.App.Config.Rules
		oct := rules.WindowOf(billing.MonthOf(calendar.MustDate("2026-10-01")))
		old, ok := st.History.In(oct)
		if !ok || !st.Billed[oct.Period] {
			t.Fatalf("no billed October reading: %v %v", ok, st.Billed)
		}
		invoice, err := w.App.DB.AdminPeriodInvoice(ctx, st.ContractID, oct.Period)
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/admin/customers/%d/registers/%s/%s", w.A.ID, w.A.Point, w.A.Register)
		p := op.Get(path)
		row := p.Doc.Find("#readings tr.reading").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.Find(".value").Text() == old.Value.String()
		}).First()
		if got := row.Find(".credits").Text(); got != invoice {
			t.Errorf("the October reading says a correction credits %q, want %s", got, invoice)
		}
		value := old.Value.Add(decimal.NewFromInt(5)).String()
		form := url.Values{"date": {old.Date.String()}, "value": {value}}
		p = op.Post(path, form)
		if p.Status != http.StatusUnprocessableEntity || !strings.HasPrefix(p.Doc.Find("#form-error").Text(), "reason:") {
			t.Fatalf("a correction without a reason: %d %q", p.Status, p.Doc.Find("#form-error").Text())
		}
		form.Set("reason", "the customer misread the meter")
		p = op.Post(path, form)
		if p.Status != http.StatusSeeOther {
			t.Fatalf("correction: %d %s", p.Status, p.Doc.Find("#form-error").Text())
		}
		p = op.Get(p.Header.Get("Location"))
		if saved := p.Doc.Find("#saved"); !strings.Contains(saved.Text(), "credits invoice "+invoice) ||
			saved.Find(`a[href="/admin/invoices/`+invoice+`"]`).Length() != 1 {
			t.Errorf("after the correction: %q", saved.Text())
		}
		if n := w.count(`SELECT count(*) FROM billing_periods WHERE contract_id = ? AND rebill_at IS NOT NULL`, st.ContractID); n != 1 {
			t.Errorf("%d periods flagged for rebilling, want 1", n)
		}
		log, _ := w.App.DB.AuditLog(ctx, "register", key.String())
		if e := log[len(log)-1]; e.Actor != opEmail || e.Details["source"] != billing.SourceOperator || e.Details["reason"] == "" {
			t.Errorf("audit entry %+v", e)
		}
		w.Advance(14 * 24 * time.Hour)
		if res, err := w.App.Bill(ctx, calendar.DateOf(w.Clock())); err != nil || len(res.Failures) > 0 {
			t.Fatalf("bill: %v %v", err, res.Failures)
		}
		rows, err := w.App.DB.Invoices(ctx, sqldb.InvoiceFilter{Contract: st.ContractNumber})
		if err != nil {
			t.Fatal(err)
		}
		credited := false
		for _, r := range rows {
			credited = credited || (r.Type == billing.TypeCreditNote && r.Corrects == invoice)
		}
		if !credited {
			t.Errorf("no credit note of %s after the billing run: %+v", invoice, rows)
		}
		op = w.operator() // two weeks later the session has ended
		p = op.Get("/admin/invoices/" + invoice)
		if p.Status != http.StatusOK || !strings.Contains(p.Doc.Find("h1").Text(), invoice) {
			t.Errorf("credited invoice page: %d", p.Status)
		}
	})
}

func TestAdminPrintBatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		op := w.operator()
		p := op.Get("/admin/print-batches")
		link := p.Doc.Find("#batches tr.batch a").First()
		if link.Length() == 0 {
			t.Fatal("no print batch listed")
		}
		path := link.AttrOr("href", "")
		p = op.Get(path)
		if p.Doc.Find("#numbers li").Length() == 0 || p.Doc.Find("#hand-over").Length() != 1 {
			t.Fatalf("batch page: %d invoices, hand-over form %d", p.Doc.Find("#numbers li").Length(), p.Doc.Find("#hand-over").Length())
		}
		if m := op.Get(path + "/manifest.csv"); m.Status != http.StatusOK || !strings.Contains(m.Body, "number;customer;postal_address;pages") {
			t.Errorf("manifest: %d %.80q", m.Status, m.Body)
		}
		if b := op.Get(path + "/bundle.pdf"); b.Status != http.StatusOK || !strings.HasPrefix(b.Body, "%PDF") {
			t.Errorf("bundle: %d", b.Status)
		}
		p = op.Post(path+"/handed-over", nil)
		if p.Status != http.StatusSeeOther {
			t.Fatalf("hand over: %d", p.Status)
		}
		p = op.Get(p.Header.Get("Location"))
		if !strings.Contains(p.Doc.Find("#handed").Text(), opEmail) || p.Doc.Find("#hand-over").Length() != 0 {
			t.Errorf("after hand-over: %q", p.Doc.Find("#handed").Text())
		}
		id := strings.TrimPrefix(path, "/admin/print-batches/")
		log, err := w.App.DB.AuditLog(ctx, "print_batch", id)
		if err != nil || len(log) != 1 || log[0].Actor != opEmail || log[0].Action != "handed_over" {
			t.Errorf("audit %+v, %v", log, err)
		}
		if p := op.Post(path+"/handed-over", url.Values{"csrf": {op.CSRF}}); p.Status != http.StatusConflict {
			t.Errorf("second hand-over: %d, want 409", p.Status)
		}
	})
}
