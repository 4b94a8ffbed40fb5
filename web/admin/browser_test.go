package admin_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/internal/webtest"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestAdminBrowser is an operator in Chromium: signs in through the sign-in page, walks
// every section of the back office — dashboard, a search, a customer, an invoice with its
// e-mails, the failed e-mails, missing readings, runs, print batches, the outbox, the
// reading form, the second-factor switch-off — and resends an invoice to another address
// through the form. Every page is checked by axe-core and, at 360 px, for nothing wider
// than the screen (webtest.Browser.Shoot).
func TestAdminBrowser(t *testing.T) {
	b := webtest.NewBrowser(t)
	w := newWorld(t, sqldbtest.New(t, "sqlite"))
	ctx, u, step, read := context.Background(), w.Srv.URL, b.Step, b.Read
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	w.enable2FA("viewer")

	step("open", chromedp.Navigate(u+"/admin"), chromedp.WaitVisible(css(`#email`)))
	b.Shoot("admin-signin")
	step("sign in", chromedp.SendKeys(css(`#email`), opEmail), chromedp.SendKeys(css(`#password`), password),
		chromedp.Click(css(`form.stack button[type=submit]`)), chromedp.WaitVisible(css(`#queue`)))
	if got := read(`.who`); !strings.Contains(got, opEmail) {
		t.Errorf("signed in as %q", got)
	}
	b.Shoot("admin-dashboard")

	step("search", chromedp.Click(css(`nav a[href="/admin/customers"]`)), chromedp.WaitVisible(css(`#q`)), chromedp.SendKeys(css(`#q`), w.A.Reg), chromedp.Click(css(`form.filters button[type=submit]`)),
		chromedp.WaitReady(css(`#q[value="`+w.A.Reg+`"]`)))
	if n := b.Count(`#hits tr.hit`); n != 1 || read(`#hits .reg`) != w.A.Reg {
		t.Errorf("search for %s: %d hits", w.A.Reg, n)
	}
	b.Shoot("admin-customers")
	step("customer", chromedp.Click(css(`#hits tr.hit a`)), chromedp.WaitVisible(css(`#customer-name`)))
	if got := read(`#customer-name`); got != w.A.Name {
		t.Errorf("customer page of %q, want %q", got, w.A.Name)
	}
	b.Shoot("admin-customer")

	step("second factor", chromedp.Click(css(`#users a.twofactor-off`)), chromedp.WaitVisible(css(`#twofactor-off #reason`)))
	b.Shoot("admin-twofactor")

	step("register", chromedp.Navigate(fmt.Sprintf("%s/admin/customers/%d/registers/%s/%s", u, w.A.ID, w.A.Point, w.A.Register)),
		chromedp.WaitVisible(css(`#reading #value`)))
	b.Shoot("admin-register")

	// A resend to an address whose server refuses it, recorded as a worker would: the failed queue.
	const bad = "nobody@broken.example.lv"
	resend := func(to string) {
		t.Helper()
		step("resend to "+to, chromedp.Navigate(u+"/admin/invoices/"+w.A.Invoice), chromedp.WaitVisible(css(`#resend #to`)),
			chromedp.SendKeys(css(`#resend #to`), to), chromedp.Click(css(`#resend button[type=submit]`)), chromedp.WaitVisible(css(`#resent`)))
	}
	resend(bad)
	d, ok := w.deliveryTo(w.A.Invoice, bad)
	if !ok {
		t.Fatalf("no delivery to %s after resending through the form", bad)
	}
	c, err := w.App.Deliveries.Claim(ctx, d.ID, d.Seq, w.Clock(), "mx.broken.example.lv:25")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.App.Deliveries.Finish(ctx, delivery.Finish{ID: c.ID, Seq: c.Seq, N: c.Attempts, At: w.Clock(), Status: delivery.Failed,
		Result: delivery.Result{Outcome: delivery.OutcomeRejected, Code: 550, Reply: "550 5.1.1 no such user"}}); err != nil {
		t.Fatal(err)
	}
	step("failed e-mails", chromedp.Navigate(u+"/admin/deliveries/failed"), chromedp.WaitVisible(css(`#failed tr.delivery`)))
	if got := read(`#failed tr.delivery .recipient`); got != bad {
		t.Errorf("failed e-mail to %q, want %s", got, bad)
	}
	b.Shoot("admin-failed")

	// The action: send the invoice to another address; the invoice page lists the e-mail.
	const to = "accounts@elsewhere.example.lv"
	resend(to)
	sent, ok := w.deliveryTo(w.A.Invoice, to)
	if !ok {
		t.Fatalf("no delivery to %s after resending through the form", to)
	}
	sec := fmt.Sprintf("#delivery-%d", sent.ID)
	if got := read(sec + " h3"); !strings.Contains(got, to) || read(sec+" .status") != delivery.Queued {
		t.Errorf("the invoice page lists the resend as %q", got)
	}
	w.send(sent)
	step("invoice", chromedp.Navigate(u+"/admin/invoices/"+w.A.Invoice), chromedp.WaitVisible(css(sec+" tr.attempt")))
	if got := read(sec + " .status"); got != delivery.Sent {
		t.Errorf("after sending, the resend is %q", got)
	}
	b.Shoot("admin-invoice")

	step("outbox", chromedp.Navigate(u+"/admin/outbox"), chromedp.WaitVisible(css(`#outbox tr.message`)))
	b.Shoot("admin-outbox")
	step("outbox message", chromedp.Click(css(`#outbox tr.message a`)), chromedp.WaitVisible(css(`#raw`)))
	if got := read(`#to`); got != to {
		t.Errorf("newest outbox message to %q, want %s", got, to)
	}
	b.Shoot("admin-outbox-message")

	step("missing readings", chromedp.Navigate(u+"/admin/readings/missing"), chromedp.WaitVisible(css(`#missing tr.missing`)))
	b.Shoot("admin-missing")
	step("runs", chromedp.Navigate(u+"/admin/runs"), chromedp.WaitVisible(css(`#jobs`)))
	b.Shoot("admin-runs")
	step("print batches", chromedp.Navigate(u+"/admin/print-batches"), chromedp.WaitVisible(css(`#batches tr.batch a`)))
	b.Shoot("admin-print-batches")
	step("print batch", chromedp.Click(css(`#batches tr.batch a`)), chromedp.WaitVisible(css(`#numbers`)))
	b.Shoot("admin-print-batch")
}
