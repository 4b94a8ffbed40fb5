package portal_test

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/internal/webtest"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestBrowser is a person without help: signs in, downloads the current invoice from the
// overview, reads and filters the archive (as cards on a phone), submits a wrong reading and
// reads why, switches to English, opens the contacts, signs up for e-invoice, invites a user
// who accepts, and resets a forgotten password. Every page is checked by axe-core.
func TestBrowser(t *testing.T) {
	b := webtest.NewBrowser(t)
	w := newWorld(t, sqldbtest.New(t, "sqlite"))
	ctx, u, step, read := b.Ctx, w.Srv.URL, b.Step, b.Read
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	step("open", chromedp.Navigate(u+"/"), chromedp.WaitVisible(css(`#email`)))
	b.Shoot("signin")
	step("sign in", chromedp.SendKeys(css(`#email`), email("admin")), chromedp.SendKeys(css(`#password`), password),
		chromedp.Click(css(`form.stack button[type=submit]`)), chromedp.WaitVisible(css(`#current-invoice`)))
	if got := read(`#current-invoice`); !strings.Contains(got, "€") {
		t.Errorf("overview amount %q", got)
	}
	b.Shoot("overview")
	// The CSP lets no script run — an inline one added to the page stays inert — while axe-core,
	// given through the DevTools protocol, ran in shoot.
	if ran, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const s = document.createElement('script');
		s.textContent = 'window.erekinsInline = true'; document.head.appendChild(s); return window.erekinsInline === true })()`)); err != nil || ran {
		t.Errorf("an inline script ran despite the CSP: %v %v", ran, err)
	}

	// The overview's download is a plain link: the file Chromium saves is the stored PDF.
	number := read(`#current-invoice a[href^="/invoices/"]`)
	name, pdf := b.Download(`a.button[href="/invoices/` + number + `/pdf"]`)
	stored, err := w.App.Document(context.Background(), number, billing.FormatPDF)
	if err != nil {
		t.Fatal(err)
	}
	if name != number+".pdf" || !bytes.Equal(pdf, stored) {
		t.Errorf("downloaded %q, %d bytes; want %s.pdf, the stored %d bytes byte for byte", name, len(pdf), number, len(stored))
	}

	step("archive", chromedp.Navigate(u+"/invoices"), chromedp.WaitVisible(css(`#invoices`)))
	b.Shoot("invoices")
	rows := b.Count(`#invoices tbody tr`)
	// At 360 px the same documents are cards, and the table is gone (for screen readers too).
	step("archive on a phone", chromedp.EmulateViewport(360, 780), chromedp.WaitVisible(css(`#invoice-cards`)),
		chromedp.WaitNotVisible(css(`#invoices`)))
	if cards := b.Count(`#invoice-cards > li`); cards != rows || rows == 0 {
		t.Errorf("%d cards for %d rows", cards, rows)
	}
	step("archive by status", chromedp.EmulateViewport(1280, 900), chromedp.SetValue(css(`#f-status`), "open"),
		chromedp.Click(css(`form.filters button[type=submit]`)), chromedp.WaitReady(css(`#f-status option[value="open"][selected]`)))
	if got := read(`#invoice-count`); !regexp.MustCompile(`\d`).MatchString(got) {
		t.Errorf("count after filtering %q", got)
	}
	b.Shoot("invoices-open")

	step("submit a reading", chromedp.Navigate(u+"/readings/"+w.A.Point+"/"+w.A.Register), chromedp.WaitVisible(css(`#value`)),
		chromedp.SendKeys(css(`#value`), "1"), chromedp.Click(css(`form.stack button[type=submit]`)), chromedp.WaitVisible(css(`#reading-error`)))
	if got := read(`#reading-error`); !strings.Contains(got, "mazāks par pēdējo faktisko rādījumu") {
		t.Errorf("reading error %q", got)
	}
	b.Shoot("reading-error")

	step("switch language", chromedp.Click(css(`form[action="/language"] button`)), chromedp.WaitVisible(css(`html[lang="en"]`)),
		chromedp.Navigate(u+"/contacts"), chromedp.WaitVisible(css(`#email0`)))
	if got := read(`h1`); got != "Contact information" {
		t.Errorf("heading after switching %q", got)
	}
	b.Shoot("contacts-en")

	step("sign up for e-invoice", chromedp.Navigate(u+"/einvoice/"+w.A.Contract), chromedp.WaitVisible(css(`#recipient0`)),
		chromedp.Click(css(`#method-einvoice`)), chromedp.Clear(css(`#recipient0`)),
		chromedp.SendKeys(css(`#recipient0`), "rekini@alfa.example.lv"), chromedp.Click(css(`#fmt-ubl`)),
		chromedp.Click(css(`#einvoice-save`)), chromedp.WaitVisible(css(`#saved`)))
	if got := read(`#einvoice-status`); !strings.Contains(got, "rekini@alfa.example.lv") {
		t.Errorf("e-invoice status after signing up %q", got)
	}
	if cs, err := w.App.Deliveries.ContractSettings(context.Background(), w.A.Contract); err != nil ||
		cs.Settings.Method != "e-invoice" || !slices.Contains(cs.Settings.Recipients, "rekini@alfa.example.lv") {
		t.Errorf("stored after signing up: %+v %v", cs.Settings, err)
	}
	b.Shoot("einvoice")

	step("invoice page", chromedp.Navigate(u+"/invoices/"+w.A.Invoice), chromedp.WaitVisible(css(`#invoice`)))
	b.Shoot("invoice")
	step("users", chromedp.Navigate(u+"/users"), chromedp.WaitVisible(css(`#users`)))
	b.Shoot("users")

	// An invitation, accepted by a new person after the admin has signed out.
	const invited = "jauna@a.example.lv"
	step("invite", chromedp.SendKeys(css(`#invite-email`), invited), chromedp.SetValue(css(`#invite-role`), "viewer"),
		chromedp.Click(css(`#invite-send`)), chromedp.WaitVisible(css(`#pending`)),
		chromedp.Click(css(`form[action="/signout"] button`)), chromedp.WaitVisible(css(`#email`)))
	_, body := w.mailTo(invited)
	link := linkRE.FindString(body)
	if link == "" {
		t.Fatalf("no invitation link in %q", body)
	}
	step("invitation", chromedp.Navigate(u+link), chromedp.WaitVisible(css(`#invitation`)))
	b.Shoot("invitation")
	step("accept", chromedp.SendKeys(css(`#name`), "Jana Jauna"), chromedp.SendKeys(css(`#password`), password),
		chromedp.SendKeys(css(`#password2`), password), chromedp.Click(css(`#accept`)), chromedp.WaitVisible(css(`#current-invoice`)))
	if got := read(`.who`); !strings.Contains(got, "Jana Jauna") {
		t.Errorf("after accepting, signed in as %q", got)
	}

	// A forgotten password: the request, the link from the e-mail, the new password.
	step("forgot", chromedp.Click(css(`form[action="/signout"] button`)), chromedp.WaitVisible(css(`#forgot`)),
		chromedp.Click(css(`#forgot`)), chromedp.WaitVisible(css(`#email`)))
	b.Shoot("forgot")
	step("ask for a link", chromedp.SendKeys(css(`#email`), email("viewer")), chromedp.Click(css(`form.stack button[type=submit]`)),
		chromedp.WaitVisible(css(`#sent`)))
	_, body = w.mailTo(email("viewer"))
	if link = linkRE.FindString(body); link == "" {
		t.Fatalf("no reset link in %q", body)
	}
	step("reset", chromedp.Navigate(u+link), chromedp.WaitVisible(css(`#password2`)))
	b.Shoot("reset")
	step("new password", chromedp.SendKeys(css(`#password`), "a new long password"), chromedp.SendKeys(css(`#password2`), "a new long password"),
		chromedp.Click(css(`#reset`)), chromedp.WaitVisible(css(`#current-invoice`)))
}
