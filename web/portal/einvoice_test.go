package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestEInvoice signs a paper contract up for e-invoices and back: the terms shown come from
// the billing rules, the change goes through the delivery service (audited, a confirmation
// to each new recipient), a viewer sees the settings without a form.
func TestEInvoice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		if _, err := w.App.Delivery.SetSettings(ctx, w.A.Contract, billing.DeliverySettings{Method: billing.Paper}, "test"); err != nil {
			t.Fatal(err)
		}
		cd, err := w.App.DB.CustomerContractDelivery(ctx, customerID(t, w, w.A.Reg), w.A.Contract)
		if err != nil {
			t.Fatal(err)
		}
		rules := w.App.Config.Rules
		paper, einv := rules.PaymentTerm(cd.PaymentTermDays, false), rules.PaymentTerm(cd.PaymentTermDays, true)

		c := w.signedIn(email("billing"))
		p := c.Get("/einvoice")
		if p.Status != 200 || p.Doc.Find(`#einvoice-contracts a[href="/einvoice/`+w.A.Contract+`"]`).Length() != 1 {
			t.Fatalf("list: %d", p.Status)
		}
		path := "/einvoice/" + w.A.Contract
		p = c.Get(path)
		if got := p.Doc.Find("#term-paper").Text(); !strings.HasPrefix(got, strconv.Itoa(paper)+" ") {
			t.Errorf("paper term %q, want %d", got, paper)
		}
		if got := p.Doc.Find("#term-einvoice").Text(); !strings.HasPrefix(got, strconv.Itoa(einv)+" ") {
			t.Errorf("e-invoice term %q, want %d", got, einv)
		}
		for _, id := range []string{"recipient0", "recipient4", "method-einvoice", "fmt-ubl"} {
			if p.Doc.Find(`label[for="`+id+`"], label:has(#`+id+`)`).Length() == 0 {
				t.Errorf("field %s is not labelled", id)
			}
		}
		// Invalid: no address, then a bad one; nothing stored.
		p = c.Post(path, url.Values{"method": {"e-invoice"}})
		if p.Status != http.StatusUnprocessableEntity || p.Doc.Find("#recipient0-err").Length() != 1 {
			t.Errorf("no recipient: %d", p.Status)
		}
		p = c.Post(path, url.Values{"method": {"e-invoice"}, "recipient0": {"ok@alfa.example.lv"}, "recipient1": {"grāmatvedība@"}})
		if p.Status != http.StatusUnprocessableEntity || p.Doc.Find(`#recipient1[aria-invalid="true"]`).Length() != 1 ||
			p.Doc.Find("#recipient0").AttrOr("value", "") != "ok@alfa.example.lv" {
			t.Errorf("bad recipient: %d", p.Status)
		}
		// Sign up with two addresses and UBL.
		p = c.Post(path, url.Values{"method": {"e-invoice"}, "recipient0": {"Rekini@Alfa.example.lv"}, "recipient2": {"cfo@alfa.example.lv"}, "ubl": {"1"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("sign up: %d %s", p.Status, p.Doc.Find(".error").Text())
		}
		p = c.Get(p.Header.Get("Location"))
		if p.Doc.Find("#saved").Length() != 1 || !strings.Contains(p.Doc.Find("#saved").Text(), "2") {
			t.Errorf("saved message %q", p.Doc.Find("#saved").Text())
		}
		if !p.Doc.Find("#fmt-ubl").Is("[checked]") || p.Doc.Find("#fmt-csv").Is("[checked]") || p.Doc.Find("#recipient0").AttrOr("value", "") != "rekini@alfa.example.lv" {
			t.Error("stored settings not shown")
		}
		cs, err := w.App.Deliveries.ContractSettings(ctx, w.A.Contract)
		if err != nil || cs.Settings.Method != billing.EInvoice || !slices.Equal(cs.Settings.Recipients, []string{"rekini@alfa.example.lv", "cfo@alfa.example.lv"}) ||
			!slices.Equal(cs.Settings.Formats, []string{billing.FormatPDF, billing.FormatUBL}) {
			t.Fatalf("stored %+v, %v", cs.Settings, err)
		}
		ds, err := w.App.Deliveries.List(ctx, sqldb.DeliveryFilter{Contract: w.A.Contract})
		if err != nil {
			t.Fatal(err)
		}
		var confirmed []string
		for _, d := range ds {
			if d.Kind == delivery.KindConfirmation {
				confirmed = append(confirmed, d.Recipient)
				if d.RequestedBy != email("billing") {
					t.Errorf("confirmation requested by %q", d.RequestedBy)
				}
			}
		}
		if slices.Sort(confirmed); !slices.Equal(confirmed, []string{"cfo@alfa.example.lv", "rekini@alfa.example.lv"}) {
			t.Errorf("confirmations to %v", confirmed)
		}
		audit, _ := w.App.DB.AuditLog(ctx, "contract", w.A.Contract)
		if last := audit[len(audit)-1]; last.Action != "delivery_settings" || last.Actor != email("billing") {
			t.Errorf("audit %+v", last)
		}
		if h := p.Doc.Find("#einvoice-history li").First().Text(); !strings.Contains(h, email("billing")) || !strings.Contains(h, "cfo@alfa.example.lv") {
			t.Errorf("history %q", h)
		}
		// The overview shows the status and the term.
		if o := c.Get("/"); !strings.Contains(o.Doc.Find("#einvoice-status").Text(), w.A.Contract) {
			t.Error("no e-invoice status on the overview")
		}
		// Leave: back to paper; no confirmation, the addresses are kept for later.
		n := len(confirmed)
		if p := c.Post(path, url.Values{"method": {"paper"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("leave: %d", p.Status)
		}
		cs, _ = w.App.Deliveries.ContractSettings(ctx, w.A.Contract)
		ds, _ = w.App.Deliveries.List(ctx, sqldb.DeliveryFilter{Contract: w.A.Contract})
		m := 0
		for _, d := range ds {
			if d.Kind == delivery.KindConfirmation {
				m++
			}
		}
		if cs.Settings.Method != billing.Paper || m != n {
			t.Errorf("after leaving: %+v, %d confirmations (was %d)", cs.Settings, m, n)
		}
		// A viewer sees the page, not the form, and cannot post.
		v := w.signedIn(email("viewer"))
		if p := v.Get(path); p.Status != 200 || p.Doc.Find("form[action='"+path+"']").Length() != 0 || p.Doc.Find("#einvoice-settings").Length() != 1 {
			t.Errorf("viewer: %d", p.Status)
		}
		if p := v.Post(path, url.Values{"method": {"e-invoice"}, "recipient0": {"v@alfa.example.lv"}}); p.Status != http.StatusForbidden {
			t.Errorf("viewer posts: %d", p.Status)
		}
	})
}

// TestInvoiceDeliveryHistory fails an e-mail of A's invoice and finds it on the invoice
// page, with its attempt, and as a notice on the overview.
func TestInvoiceDeliveryHistory(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		c := w.signedIn(email("billing"))
		// As issued: e-mailed, or on paper in a print batch; either way the page says which.
		if p := c.Get("/invoices/" + w.A.Invoice); p.Doc.Find("#deliveries li").Length() == 0 &&
			(p.Doc.Find("#no-delivery").Length() != 1 || p.Doc.Find("#print").Length() != 1) {
			t.Errorf("neither e-mails nor a print batch on the invoice page: %q", p.Doc.Find("main").Text())
		}
		out, err := w.App.Delivery.ResendInvoice(ctx, w.A.Invoice, "nobody@alfa.example.lv", "test")
		if err != nil {
			t.Fatal(err)
		}
		d, err := w.App.Deliveries.Claim(ctx, out[0].ID, out[0].Seq, w.Clock(), "smtp.example.lv:25")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.App.Deliveries.Finish(ctx, delivery.Finish{ID: d.ID, Seq: d.Seq, N: d.Attempts, At: w.Clock(), Status: delivery.Failed,
			Result: delivery.Result{Outcome: delivery.OutcomeRejected, Code: 550, Reply: "5.1.1 mailbox unavailable"}}); err != nil {
			t.Fatal(err)
		}
		p := c.Get("/invoices/" + w.A.Invoice)
		if p.Status != 200 {
			t.Fatalf("invoice page: %d", p.Status)
		}
		li := p.Doc.Find("#deliveries li.status-failed")
		if li.Length() != 1 || !strings.Contains(li.Text(), "nobody@alfa.example.lv") || !strings.Contains(li.Find(".attempts td.reply").Text(), "550 5.1.1 mailbox unavailable") {
			t.Errorf("failed delivery not shown: %q", p.Doc.Find("#deliveries").Text())
		}
		o := c.Get("/")
		if n := o.Doc.Find(`#delivery-problems a[href="/invoices/` + w.A.Invoice + `"]`).Length(); n != 1 {
			t.Errorf("overview: %d links to the failed invoice", n)
		}
		// Sent again successfully: the notice goes.
		out, err = w.App.Delivery.ResendInvoice(ctx, w.A.Invoice, "nobody@alfa.example.lv", "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.App.Delivery.Attempt(ctx, delivery.Job{DeliveryID: out[0].ID, Seq: out[0].Seq}); err != nil {
			t.Fatal(err)
		}
		if o := c.Get("/"); o.Doc.Find("#delivery-problems").Length() != 0 {
			t.Error("the notice stays after a successful resend")
		}
		if p := c.Get("/invoices/" + w.A.Invoice); p.Doc.Find("#deliveries li.status-sent").Length() == 0 {
			t.Error("the resend is not shown as sent")
		}
	})
}

func customerID(t *testing.T, w *world, reg string) int64 {
	t.Helper()
	var id int64
	if err := w.App.DB.QueryRow(w.App.DB.Q(`SELECT id FROM customers WHERE registration_number = ?`), reg).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
