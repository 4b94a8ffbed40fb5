package portal_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/erekins/erekins/billing"
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
	// Generous: the machine may be shared, and axe-core checks every page twice.
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
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

// shoot checks the page at desktop and phone width — axe-core finds no serious or critical
// accessibility violation, and at phone width nothing but a table's own scroll box is wider
// than the screen — and saves a screenshot of each.
func shoot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	for _, size := range []struct {
		suffix string
		w, h   int64
	}{{"desktop", 1280, 900}, {"360", 360, 780}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Fatalf("viewport: %v", err)
		}
		checkAccessibility(t, ctx, name+"-"+size.suffix)
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

// axePath is axe-core's script: EREKINS_AXE, else where .ci/run installs it
// (npm install --prefix testoutput/node axe-core@4, from the repository's root).
func axePath() string {
	if p := os.Getenv("EREKINS_AXE"); p != "" {
		return p
	}
	return filepath.Join("..", "..", "testoutput", "node", "node_modules", "axe-core", "axe.min.js")
}

var (
	axeSource = sync.OnceValues(func() ([]byte, error) { return os.ReadFile(axePath()) })
	axeMissed sync.Once
)

// axeViolation is one failed axe-core rule with the elements that fail it.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axeRun runs axe-core's default rules — WCAG 2.0 and 2.1 A and AA and the best practices;
// not the AAA, deprecated and experimental ones, nor WCAG 2.2's target-size — on the whole
// page, and returns the rules it ran and the violations.
const axeRun = `(async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return {version: axe.version, rules: [r.violations, r.passes, r.incomplete, r.inapplicable].flat().map(x => x.id).sort(),
    violations: r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary || ''}))}))};
})()`

// axeResult is what axeRun returns: the rules that ran, and the violations.
type axeResult struct {
	Version    string         `json:"version"`
	Rules      []string       `json:"rules"`
	Violations []axeViolation `json:"violations"`
}

// axeRules logs once which rules axe-core checks.
var axeRules sync.Once

// checkAccessibility runs axe-core on the page as it is shown now and fails the test on every
// violation of impact serious or critical; lesser ones are logged. The script goes in through
// the DevTools protocol (Runtime.evaluate), which the portal's Content-Security-Policy — no
// script at all — does not govern. Without axe-core the check is skipped loudly, and under
// CI=true, where .ci/run installs it, the test fails.
func checkAccessibility(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		msg := fmt.Sprintf("axe-core not found at %s (%v): set EREKINS_AXE, or run: npm install --no-save --prefix testoutput/node axe-core@4", axePath(), err)
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI=true requires it)", msg)
		}
		axeMissed.Do(func() { fmt.Fprintf(os.Stderr, "SKIPPED, NO ACCESSIBILITY CHECK: %s\n", msg) })
		t.Logf("SKIPPED, NO ACCESSIBILITY CHECK on %s: %s", name, msg)
		return
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	if err == nil && !loaded {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(src)))
	}
	if err != nil {
		t.Fatalf("%s: load axe-core: %v", name, err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe.run: %v", name, err)
	}
	axeRules.Do(func() {
		t.Logf("axe-core %s checks %d rules: %s", res.Version, len(res.Rules), strings.Join(res.Rules, " "))
	})
	for _, v := range res.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: axe %s (%s): %s — %s", name, v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(b.String())
		} else {
			t.Log(b.String())
		}
	}
}

// download clicks the link, lets Chromium save the file in a temporary folder, waits until
// it is complete and returns its suggested name and its bytes.
func download(t *testing.T, ctx context.Context, link string) (string, []byte) {
	t.Helper()
	dir := t.TempDir()
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	begun := chromedp.Events(dctx, cdpbrowser.DownloadWillBegin)
	progress := chromedp.Events(dctx, cdpbrowser.DownloadProgress)
	events := true
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events})
		return err
	}), chromedp.Click(chromedp.CSS(link))); err != nil {
		t.Fatalf("download %s: %v", link, err)
	}
	var name string
	for ev, err := range begun {
		if err != nil {
			t.Fatalf("download %s: %v", link, err)
		}
		name = ev.SuggestedFilename
		break
	}
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download %s: %v", link, err)
		}
		switch ev.State {
		case cdpbrowser.DownloadProgressStateCanceled:
			t.Fatalf("download %s: canceled", link)
		case cdpbrowser.DownloadProgressStateCompleted:
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatalf("download %s: %v", link, err)
			}
			return name, b
		}
	}
	t.Fatalf("download %s: no end", link)
	return "", nil
}

// TestBrowser is a person without help: signs in, downloads the current invoice from the
// overview, reads and filters the archive (as cards on a phone), submits a wrong reading and
// reads why, switches to English, opens the contacts, signs up for e-invoice, invites a user
// who accepts, and resets a forgotten password. Every page is checked by axe-core.
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
	// The CSP lets no script run — an inline one added to the page stays inert — while axe-core,
	// given through the DevTools protocol, ran in shoot.
	if ran, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const s = document.createElement('script');
		s.textContent = 'window.erekinsInline = true'; document.head.appendChild(s); return window.erekinsInline === true })()`)); err != nil || ran {
		t.Errorf("an inline script ran despite the CSP: %v %v", ran, err)
	}

	// The overview's download is a plain link: the file Chromium saves is the stored PDF.
	number := read(`#current-invoice a[href^="/invoices/"]`)
	name, pdf := download(t, ctx, `a.button[href="/invoices/`+number+`/pdf"]`)
	stored, err := w.app.Document(context.Background(), number, billing.FormatPDF)
	if err != nil {
		t.Fatal(err)
	}
	if name != number+".pdf" || !bytes.Equal(pdf, stored) {
		t.Errorf("downloaded %q, %d bytes; want %s.pdf, the stored %d bytes byte for byte", name, len(pdf), number, len(stored))
	}

	step("archive", chromedp.Navigate(u+"/invoices"), chromedp.WaitVisible(css(`#invoices`)))
	shoot(t, ctx, dir, "invoices")
	rows := count(t, ctx, `#invoices tbody tr`)
	// At 360 px the same documents are cards, and the table is gone (for screen readers too).
	step("archive on a phone", chromedp.EmulateViewport(360, 780), chromedp.WaitVisible(css(`#invoice-cards`)),
		chromedp.WaitNotVisible(css(`#invoices`)))
	if cards := count(t, ctx, `#invoice-cards > li`); cards != rows || rows == 0 {
		t.Errorf("%d cards for %d rows", cards, rows)
	}
	step("archive by status", chromedp.EmulateViewport(1280, 900), chromedp.SetValue(css(`#f-status`), "open"),
		chromedp.Click(css(`form.filters button[type=submit]`)), chromedp.WaitReady(css(`#f-status option[value="open"][selected]`)))
	if got := read(`#invoice-count`); !regexp.MustCompile(`\d`).MatchString(got) {
		t.Errorf("count after filtering %q", got)
	}
	shoot(t, ctx, dir, "invoices-open")

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
	shoot(t, ctx, dir, "invitation")
	step("accept", chromedp.SendKeys(css(`#name`), "Jana Jauna"), chromedp.SendKeys(css(`#password`), password),
		chromedp.SendKeys(css(`#password2`), password), chromedp.Click(css(`#accept`)), chromedp.WaitVisible(css(`#current-invoice`)))
	if got := read(`.who`); !strings.Contains(got, "Jana Jauna") {
		t.Errorf("after accepting, signed in as %q", got)
	}

	// A forgotten password: the request, the link from the e-mail, the new password.
	step("forgot", chromedp.Click(css(`form[action="/signout"] button`)), chromedp.WaitVisible(css(`#forgot`)),
		chromedp.Click(css(`#forgot`)), chromedp.WaitVisible(css(`#email`)))
	shoot(t, ctx, dir, "forgot")
	step("ask for a link", chromedp.SendKeys(css(`#email`), email("viewer")), chromedp.Click(css(`form.stack button[type=submit]`)),
		chromedp.WaitVisible(css(`#sent`)))
	_, body = w.mailTo(email("viewer"))
	if link = linkRE.FindString(body); link == "" {
		t.Fatalf("no reset link in %q", body)
	}
	step("reset", chromedp.Navigate(u+link), chromedp.WaitVisible(css(`#password2`)))
	shoot(t, ctx, dir, "reset")
	step("new password", chromedp.SendKeys(css(`#password`), "a new long password"), chromedp.SendKeys(css(`#password2`), "a new long password"),
		chromedp.Click(css(`#reset`)), chromedp.WaitVisible(css(`#current-invoice`)))
}

// count is how many elements match the selector.
func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
	if err != nil {
		t.Fatalf("count %s: %v", sel, err)
	}
	return n
}
