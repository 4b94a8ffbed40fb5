package portal_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/erekins/erekins/internal/webtest"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestTwoFactorBrowser is a person switching on two-step sign-in in Chromium: the profile,
// the set-up page (the key read off the page, the code from it as an app would make it),
// the recovery codes, then signing out and in again with the password and a code.
func TestTwoFactorBrowser(t *testing.T) {
	b := webtest.NewBrowser(t)
	w := newWorld(t, sqldbtest.New(t, "sqlite"))
	ctx, u, step, read := b.Ctx, w.Srv.URL, b.Step, b.Read
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	signIn := func() {
		t.Helper()
		step("sign in", chromedp.Navigate(u+"/signin"), chromedp.WaitVisible(css(`#email`)),
			chromedp.SendKeys(css(`#email`), email("admin")), chromedp.SendKeys(css(`#password`), password),
			chromedp.Click(css(`form.stack button[type=submit]`)))
	}

	signIn()
	step("profile", chromedp.WaitVisible(css(`#nav-profile`)), chromedp.Click(css(`#nav-profile`)), chromedp.WaitVisible(css(`#twofa-start`)))
	b.Shoot("profile")

	step("set up", chromedp.Click(css(`#twofa-start`)), chromedp.WaitVisible(css(`#totp-secret`)))
	secret := strings.ReplaceAll(read(`#totp-secret`), " ", "")
	if drawn, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.getElementById('totp-qr').naturalWidth`)); err != nil || drawn == 0 {
		t.Errorf("the QR code did not load: width %d, %v", drawn, err)
	}
	b.Shoot("totp-setup")

	step("confirm", chromedp.SendKeys(css(`#code`), totpCode(t, secret, w.Clock())), chromedp.Click(css(`#twofa-enable`)),
		chromedp.WaitVisible(css(`#recovery-codes`)))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.querySelectorAll('#recovery-codes li').length`)); err != nil || n != 10 {
		t.Errorf("%d recovery codes shown, %v", n, err)
	}
	b.Shoot("totp-codes")
	step("back to the profile", chromedp.Click(css(`#codes-done`)), chromedp.WaitVisible(css(`#codes-left`)))
	b.Shoot("profile-2fa")

	step("sign out", chromedp.Click(css(`form[action="/signout"] button`)), chromedp.WaitVisible(css(`#email`)))
	w.Advance(30 * time.Second)
	signIn()
	step("code page", chromedp.WaitVisible(css(`#code`)))
	b.Shoot("signin-code")
	step("wrong code", chromedp.SendKeys(css(`#code`), wrongCode(t, secret, w.Clock())), chromedp.Click(css(`#code-submit`)),
		chromedp.WaitVisible(css(`#code-error`)))
	b.Shoot("signin-code-error")
	step("right code", chromedp.SendKeys(css(`#code`), totpCode(t, secret, w.Clock())), chromedp.Click(css(`#code-submit`)),
		chromedp.WaitVisible(css(`#nav-profile`)))
	if got := read(`.who`); !strings.Contains(got, "Test admin") {
		t.Errorf("signed in as %q", got)
	}
}
