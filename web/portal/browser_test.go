package portal_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

const chromiumPath = "/usr/bin/chromium"

// browser starts Debian's Chromium headless, or skips loudly when it is missing (and fails
// under CI=true, where .ci/run installs it).
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (CI=true requires it: apt-get install chromium)", chromiumPath)
		}
		t.Skipf("SKIPPED, NO BROWSER TEST: %s is missing (apt-get install chromium)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// screenshotDir is where the browser test saves its pictures: EREKINS_SCREENSHOTS, else
// a folder in the system's temporary directory, named in the test log.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("EREKINS_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "erekins-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// shoot saves the page at desktop and phone width.
func shoot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	for _, size := range []struct {
		suffix string
		w, h   int64
	}{{"desktop", 1280, 900}, {"360", 360, 780}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Fatalf("viewport: %v", err)
		}
		// At phone width nothing but a table's own scroll box may be wider than the screen.
		if width, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`)); err != nil || width > size.w {
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('body *')).filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id).join(' ')`))
			t.Errorf("%s at %d px: the page is %d px wide (%v); too wide: %s", name, size.w, width, err, wide)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-"+size.suffix+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
}

// TestBrowser is a person without help: signs in, reads the overview and the archive,
// submits a wrong reading and reads why, switches to English and opens the contacts.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t, sqldbtest.New(t, "sqlite"))
	dir := screenshotDir(t)
	u := w.srv.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	read := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}

	step("open", chromedp.Navigate(u+"/"), chromedp.WaitVisible(css(`#email`)))
	shoot(t, ctx, dir, "signin")
	step("sign in", chromedp.SendKeys(css(`#email`), email("admin")), chromedp.SendKeys(css(`#password`), password),
		chromedp.Click(css(`form.stack button[type=submit]`)), chromedp.WaitVisible(css(`#current-invoice`)))
	if got := read(`#current-invoice`); !strings.Contains(got, "€") {
		t.Errorf("overview amount %q", got)
	}
	shoot(t, ctx, dir, "overview")

	step("archive", chromedp.Navigate(u+"/invoices"), chromedp.WaitVisible(css(`#invoices`)))
	shoot(t, ctx, dir, "invoices")

	step("submit a reading", chromedp.Navigate(u+"/readings/"+w.a.Point+"/"+w.a.Register), chromedp.WaitVisible(css(`#value`)),
		chromedp.SendKeys(css(`#value`), "1"), chromedp.Click(css(`form.stack button[type=submit]`)), chromedp.WaitVisible(css(`#reading-error`)))
	if got := read(`#reading-error`); !strings.Contains(got, "mazāks par pēdējo faktisko rādījumu") {
		t.Errorf("reading error %q", got)
	}
	shoot(t, ctx, dir, "reading-error")

	step("switch language", chromedp.Click(css(`form[action="/language"] button`)), chromedp.WaitVisible(css(`html[lang="en"]`)),
		chromedp.Navigate(u+"/contacts"), chromedp.WaitVisible(css(`#email0`)))
	if got := read(`h1`); got != "Contact information" {
		t.Errorf("heading after switching %q", got)
	}
	shoot(t, ctx, dir, "contacts-en")

	step("sign up for e-invoice", chromedp.Navigate(u+"/einvoice/"+w.a.Contract), chromedp.WaitVisible(css(`#recipient0`)),
		chromedp.Click(css(`#method-einvoice`)), chromedp.Clear(css(`#recipient0`)),
		chromedp.SendKeys(css(`#recipient0`), "rekini@alfa.example.lv"), chromedp.Click(css(`#fmt-ubl`)),
		chromedp.Click(css(`#einvoice-save`)), chromedp.WaitVisible(css(`#saved`)))
	if got := read(`#einvoice-status`); !strings.Contains(got, "rekini@alfa.example.lv") {
		t.Errorf("e-invoice status after signing up %q", got)
	}
	if cs, err := w.app.Deliveries.ContractSettings(context.Background(), w.a.Contract); err != nil ||
		cs.Settings.Method != "e-invoice" || !slices.Contains(cs.Settings.Recipients, "rekini@alfa.example.lv") {
		t.Errorf("stored after signing up: %+v %v", cs.Settings, err)
	}
	shoot(t, ctx, dir, "einvoice")

	step("invoice page", chromedp.Navigate(u+"/invoices/"+w.a.Invoice), chromedp.WaitVisible(css(`#invoice`)))
	shoot(t, ctx, dir, "invoice")
	step("users", chromedp.Navigate(u+"/users"), chromedp.WaitVisible(css(`#users`)))
	shoot(t, ctx, dir, "users")
}
