package webtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// Browser is Chromium driven by a test, with the folder its screenshots go to.
type Browser struct {
	T   *testing.T
	Ctx context.Context
	Dir string
}

// NewBrowser starts Debian's Chromium headless, or skips loudly when it is missing (and
// fails under CI=true, where .ci/run installs it).
func NewBrowser(t *testing.T) *Browser {
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
	return &Browser{T: t, Ctx: ctx, Dir: screenshotDir(t)}
}

// Step runs the actions, failing the test with what was being done.
func (b *Browser) Step(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.T.Helper()
	if err := chromedp.Do(b.Ctx, steps...); err != nil {
		b.T.Fatalf("%s: %v", what, err)
	}
}

// Read is the text of the element the selector finds.
func (b *Browser) Read(sel string) string {
	b.T.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.T.Fatalf("read %s: %v", sel, err)
	}
	return s
}

// Count is how many elements match the selector.
func (b *Browser) Count(sel string) int {
	b.T.Helper()
	n, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
	if err != nil {
		b.T.Fatalf("count %s: %v", sel, err)
	}
	return n
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
func (b *Browser) Shoot(name string) {
	t, ctx, dir := b.T, b.Ctx, b.Dir
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
// (npm install --prefix testoutput/node axe-core@4, from the repository's root), seen from
// a test's package two folders down, as web/portal.
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
func (b *Browser) Download(link string) (string, []byte) {
	t, ctx := b.T, b.Ctx
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
