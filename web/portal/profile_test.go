package portal_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"

	"github.com/erekins/erekins/store/sqldb/sqldbtest"
	"github.com/erekins/erekins/web/portal"
)

// totpCode is the authenticator app's code for the key at a time.
func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// wrongCode is a six-digit code that is not right: not secret's code at any step near at.
func wrongCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	near := []string{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		near = append(near, totpCode(t, secret, at.Add(d)))
	}
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !slices.Contains(near, c) {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// enable2FA switches the second factor on through the profile pages, checking what they
// show, and returns the key and the recovery codes.
func (c *client) enable2FA() (secret string, codes []string) {
	t := c.T
	t.Helper()
	c.Get("/profile")
	p := c.Post("/profile/2fa/setup", nil)
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/profile/2fa" {
		t.Fatalf("set up: %d %s", p.Status, p.Header.Get("Location"))
	}
	p = c.Get("/profile/2fa")
	secret = strings.ReplaceAll(p.Doc.Find("#totp-secret").Text(), " ", "")
	uri := p.Doc.Find("#totp-uri").AttrOr("value", "")
	if len(secret) != 32 || !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, "secret="+secret) {
		t.Fatalf("set-up page: secret %q, link %q", secret, uri)
	}
	src := p.Doc.Find("#totp-qr").AttrOr("src", "")
	svg, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(src, "data:image/svg+xml;base64,"))
	if !strings.HasPrefix(src, "data:image/svg+xml;base64,") || err != nil || !strings.Contains(string(svg), "<path") {
		t.Fatalf("QR image %.60q: %v", src, err)
	}
	if p.Doc.Find(`#code[autocomplete="one-time-code"][inputmode="numeric"]`).Length() != 1 || p.Doc.Find(`label[for="code"]`).Length() != 1 {
		t.Error("the confirmation field is not labelled as a one-time code")
	}
	p = c.Post("/profile/2fa/enable", url.Values{"code": {totpCode(t, secret, c.w.Clock())}})
	if p.Status != http.StatusOK {
		t.Fatalf("enable: %d %q", p.Status, p.Doc.Find("#code-err").Text())
	}
	p.Doc.Find("#recovery-codes code").Each(func(_ int, s *goquery.Selection) { codes = append(codes, s.Text()) })
	return secret, codes
}

// passwordStep gives the address and password and expects to be asked for the code.
func (c *client) passwordStep(addr, pw string) page {
	c.T.Helper()
	p := c.signIn(addr, pw)
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/signin/code" {
		c.T.Fatalf("password step for %s: %d %s, want the code page", addr, p.Status, p.Header.Get("Location"))
	}
	return c.Get("/signin/code")
}

// signedInAs reports whether the client is signed in, as whom the header says.
func (c *client) signedInAs() string {
	c.T.Helper()
	p := c.Get("/profile")
	if p.Status != http.StatusOK {
		return ""
	}
	return p.Doc.Find("#profile-email").Text()
}

func TestTwoFactorEnableAndSignIn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		c := w.signedIn(email("viewer"))
		p := c.Get("/profile")
		if p.Status != http.StatusOK || p.Doc.Find("#profile-email").Text() != email("viewer") || p.Doc.Find("#twofa-start").Length() != 1 {
			t.Fatalf("profile: %d, address %q", p.Status, p.Doc.Find("#profile-email").Text())
		}
		if p.Doc.Find(`#nav-profile[aria-current="page"]`).Length() != 1 {
			t.Error("the header's profile link is not marked current")
		}

		// A wrong confirmation switches nothing on.
		c.Post("/profile/2fa/setup", nil)
		p = c.Get("/profile/2fa")
		secret := strings.ReplaceAll(p.Doc.Find("#totp-secret").Text(), " ", "")
		p = c.Post("/profile/2fa/enable", url.Values{"code": {wrongCode(t, secret, w.Clock())}})
		if p.Status != http.StatusUnprocessableEntity || p.Doc.Find("#code-err").Length() != 1 || p.Doc.Find(`#code[aria-invalid="true"]`).Length() != 1 {
			t.Errorf("wrong confirmation: %d", p.Status)
		}
		if p := c.Get("/profile"); p.Doc.Find("#twofa-start").Length() != 1 {
			t.Error("the second factor is on after a wrong confirmation")
		}
		if other := w.signedIn(email("viewer")); other.signedInAs() != email("viewer") {
			t.Error("sign-in asks for a code before the key is confirmed")
		}

		// The right one switches it on and shows ten recovery codes, once.
		secret, codes := c.enable2FA()
		if len(codes) != portal.RecoveryCodes || len(slices.Compact(slices.Sorted(slices.Values(codes)))) != len(codes) {
			t.Fatalf("recovery codes %q", codes)
		}
		p = c.Get("/profile")
		if p.Doc.Find("#twofa-status .tag.ok").Length() != 1 || !strings.Contains(p.Doc.Find("#codes-left").Text(), "10") {
			t.Errorf("profile after enabling: status %q, codes %q", p.Doc.Find("#twofa-status").Text(), p.Doc.Find("#codes-left").Text())
		}
		if p := c.Get("/profile/2fa"); p.Status != http.StatusSeeOther || strings.Contains(p.Body, secret) {
			t.Errorf("the set-up page after enabling: %d", p.Status)
		}
		if strings.Contains(p.Body, codes[0]) || strings.Contains(p.Body, secret) {
			t.Error("the profile shows a recovery code or the key again")
		}
		var stored int
		if err := w.App.DB.QueryRowContext(ctx, w.App.DB.Q(`SELECT count(*) FROM portal_recovery_codes WHERE code_hash IN (?, ?)`),
			codes[0], strings.ReplaceAll(codes[0], "-", "")).Scan(&stored); err != nil || stored != 0 {
			t.Errorf("recovery codes stored as typed: %d, %v", stored, err)
		}

		// Signing in now takes a code; the one that confirmed the key is spent.
		s := w.client()
		s.passwordStep(email("viewer"), password)
		if s.signedInAs() != "" {
			t.Fatal("signed in on the password alone")
		}
		p = s.Get("/signin/code")
		if p.Doc.Find(`#code[autocomplete="one-time-code"][inputmode="numeric"]`).Length() != 1 || p.Doc.Find(`label[for="recovery"]`).Length() != 1 {
			t.Error("the code page lacks its labelled fields")
		}
		p = s.Post("/signin/code", url.Values{"code": {totpCode(t, secret, w.Clock())}})
		if p.Status != http.StatusUnauthorized || p.Doc.Find("#code-error").Length() != 1 || p.Doc.Find(`#code[aria-describedby~="code-error"]`).Length() != 1 {
			t.Errorf("replayed confirmation code: %d", p.Status)
		}
		wrong := s.Post("/signin/code", url.Values{"code": {wrongCode(t, secret, w.Clock())}})
		if wrong.Status != http.StatusUnauthorized || wrong.Doc.Find("#code-error").Text() != p.Doc.Find("#code-error").Text() {
			t.Errorf("wrong code: %d %q", wrong.Status, wrong.Doc.Find("#code-error").Text())
		}
		w.Advance(30 * time.Second)
		code := totpCode(t, secret, w.Clock())
		p = s.Post("/signin/code", url.Values{"code": {code[:3] + " " + code[3:]}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/" || s.signedInAs() != email("viewer") {
			t.Fatalf("right code: %d %s", p.Status, p.Header.Get("Location"))
		}
		// The same code again, from another browser within its window: refused.
		r := w.client()
		r.passwordStep(email("viewer"), password)
		if p := r.Post("/signin/code", url.Values{"code": {code}}); p.Status != http.StatusUnauthorized || r.signedInAs() != "" {
			t.Errorf("replayed code: %d", p.Status)
		}
		// One step of clock skew either way is allowed.
		w.Advance(30 * time.Second)
		if p := r.Post("/signin/code", url.Values{"code": {totpCode(t, secret, w.Clock().Add(30*time.Second))}}); p.Status != http.StatusSeeOther {
			t.Errorf("a code of the next step: %d", p.Status)
		}

		// A recovery code works once, typed in capitals without hyphens too.
		for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
			rc := w.client()
			rc.passwordStep(email("viewer"), password)
			typed := codes[0]
			if i == 0 {
				typed = strings.ToUpper(strings.ReplaceAll(typed, "-", " "))
			}
			if p := rc.Post("/signin/code", url.Values{"code": {typed}}); p.Status != want {
				t.Errorf("recovery code, use %d: %d, want %d", i+1, p.Status, want)
			}
		}
		p = c.Get("/profile")
		if !strings.Contains(p.Doc.Find("#codes-left").Text(), "9") {
			t.Errorf("codes left after using one: %q", p.Doc.Find("#codes-left").Text())
		}
		if h := p.Doc.Find("#profile-history").Text(); !strings.Contains(h, "rezerves kod") || !strings.Contains(h, "ieslēgta") {
			t.Errorf("security history %q", h)
		}
	})
}

// TestTwoFactorLimits: wrong codes count in the sign-in rate limit, the password step
// waits only PendingSigninTTL, and another session cannot finish someone's sign-in.
func TestTwoFactorLimits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		secret, _ := w.signedIn(email("admin")).enable2FA()
		w.Advance(30 * time.Second)

		// Another session, anonymous or signed in as someone else, has no pending sign-in.
		c := w.client()
		c.passwordStep(email("admin"), password)
		for _, other := range []*client{w.client(), w.signedIn(email("billing"))} {
			other.Get("/signin")
			p := other.Post("/signin/code", url.Values{"code": {totpCode(t, secret, w.Clock())}})
			if p.Status != http.StatusSeeOther || other.signedInAs() == email("admin") {
				t.Errorf("another session used the pending sign-in: %d", p.Status)
			}
		}
		if p := c.Post("/signin/code", url.Values{"code": {totpCode(t, secret, w.Clock())}}); p.Status != http.StatusSeeOther {
			t.Errorf("the code after the others' attempts: %d", p.Status)
		}

		// The code must follow within PendingSigninTTL.
		w.Advance(30 * time.Second)
		e := w.client()
		e.passwordStep(email("admin"), password)
		w.Advance(portal.PendingSigninTTL + time.Second)
		p := e.Post("/signin/code", url.Values{"code": {totpCode(t, secret, w.Clock())}})
		if p.Status != http.StatusUnauthorized || p.Doc.Find("#signin-error").Length() != 1 || e.signedInAs() != "" {
			t.Errorf("a late code: %d", p.Status)
		}
		if p := e.Get("/signin/code"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/signin" {
			t.Errorf("the code page after expiry: %d", p.Status)
		}

		// Wrong codes are failed sign-ins: after the limit even the right code is refused.
		w.Advance(30 * time.Second)
		l := w.client()
		l.passwordStep(email("admin"), password)
		for i := range w.portal.SigninLimit {
			if p := l.Post("/signin/code", url.Values{"code": {wrongCode(t, secret, w.Clock())}}); p.Status != http.StatusUnauthorized {
				t.Fatalf("wrong code %d: %d", i+1, p.Status)
			}
		}
		p = l.Post("/signin/code", url.Values{"code": {totpCode(t, secret, w.Clock())}})
		if p.Status != http.StatusTooManyRequests || p.Header.Get("Retry-After") == "" {
			t.Errorf("the right code after %d wrong ones: %d", w.portal.SigninLimit, p.Status)
		}
		n, _, err := w.App.DB.FailedSignins(context.Background(), email("admin"), "127.0.0.1", w.Clock().Add(-w.portal.SigninWindow))
		if err != nil || n < w.portal.SigninLimit {
			t.Errorf("failures recorded: %d, %v", n, err)
		}
		// The right password does not reset the count either.
		if p := w.client().signIn(email("admin"), password); p.Status != http.StatusTooManyRequests {
			t.Errorf("the password step after the limit: %d", p.Status)
		}
		w.Advance(w.portal.SigninWindow + time.Minute)
		a := w.client()
		a.passwordStep(email("admin"), password)
		if p := a.Post("/signin/code", url.Values{"code": {totpCode(t, secret, w.Clock())}}); p.Status != http.StatusSeeOther {
			t.Errorf("after the window: %d", p.Status)
		}
	})
}

func TestTwoFactorRegenerateAndDisable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.signedIn(email("billing"))
		secret, old := c.enable2FA()

		c.Get("/profile")
		p := c.Post("/profile/2fa/recovery", url.Values{"code": {wrongCode(t, secret, w.Clock())}})
		if p.Status != http.StatusUnprocessableEntity || p.Doc.Find("#regen-code-err").Length() != 1 {
			t.Errorf("regenerate with a wrong code: %d", p.Status)
		}
		w.Advance(30 * time.Second)
		p = c.Post("/profile/2fa/recovery", url.Values{"code": {totpCode(t, secret, w.Clock())}})
		var fresh []string
		p.Doc.Find("#recovery-codes code").Each(func(_ int, s *goquery.Selection) { fresh = append(fresh, s.Text()) })
		if p.Status != http.StatusOK || len(fresh) != portal.RecoveryCodes || slices.Contains(fresh, old[0]) {
			t.Fatalf("regenerate: %d, %d codes", p.Status, len(fresh))
		}
		for _, tc := range []struct {
			code string
			want int
		}{{old[1], http.StatusUnauthorized}, {fresh[1], http.StatusSeeOther}} {
			s := w.client()
			s.passwordStep(email("billing"), password)
			if p := s.Post("/signin/code", url.Values{"code": {tc.code}}); p.Status != tc.want {
				t.Errorf("recovery code %s after regenerating: %d, want %d", tc.code, p.Status, tc.want)
			}
		}

		// Disabling needs both; either wrong gets the same message.
		w.Advance(30 * time.Second)
		c.Get("/profile")
		var msgs []string
		for _, f := range []url.Values{
			{"password": {"not my password"}, "code": {totpCode(t, secret, w.Clock())}},
			{"password": {password}, "code": {wrongCode(t, secret, w.Clock())}},
		} {
			p := c.Post("/profile/2fa/disable", f)
			if p.Status != http.StatusUnprocessableEntity || p.Doc.Find(`#disable-password[aria-describedby="disable-err"]`).Length() != 1 {
				t.Errorf("disable with %v: %d", f, p.Status)
			}
			msgs = append(msgs, p.Doc.Find("#disable-err").Text())
		}
		if msgs[0] == "" || msgs[0] != msgs[1] {
			t.Errorf("messages %q", msgs)
		}
		p = c.Post("/profile/2fa/disable", url.Values{"password": {password}, "code": {fresh[2]}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/profile?done=disabled" {
			t.Fatalf("disable with a recovery code: %d", p.Status)
		}
		if p := c.Get("/profile?done=disabled"); p.Doc.Find("#done").Length() != 1 || p.Doc.Find("#twofa-start").Length() != 1 {
			t.Error("profile after disabling")
		}
		if p := w.client().signIn(email("billing"), password); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/" {
			t.Errorf("sign-in after disabling: %d %s", p.Status, p.Header.Get("Location"))
		}
		var actions []string
		entries, _ := w.App.DB.AuditLog(context.Background(), "portal_user", email("billing"))
		for _, a := range entries {
			actions = append(actions, a.Action)
		}
		for _, want := range []string{"user.totp_enable", "user.totp_recovery", "user.totp_recovery_used", "user.totp_disable"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit %v lacks %s", actions, want)
			}
		}
	})
}

func TestTwoFactorReset(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		secret, _ := w.signedIn(email("readings")).enable2FA()
		c := w.client()
		c.Get("/password/forgot")
		c.Post("/password/forgot", url.Values{"email": {email("readings")}})
		_, body := w.mailTo(email("readings"))
		link := linkRE.FindString(body)
		c.Get(link)
		p := c.Post(link, url.Values{"password": {"a new long password"}, "password2": {"a new long password"}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/signin/code" {
			t.Fatalf("reset: %d %s, want the code page", p.Status, p.Header.Get("Location"))
		}
		if c.signedInAs() != "" {
			t.Fatal("signed in by the reset link without the second factor")
		}
		w.Advance(30 * time.Second)
		c.Get("/signin/code")
		if p := c.Post("/signin/code", url.Values{"code": {totpCode(t, secret, w.Clock())}}); p.Status != http.StatusSeeOther || c.signedInAs() != email("readings") {
			t.Errorf("code after the reset: %d", p.Status)
		}
	})
}

func TestProfilePassword(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.signedIn(email("billing"))
		other := w.signedIn(email("billing"))
		p := c.Get("/profile")
		if p.Doc.Find(`label[for="current"]`).Length() != 1 || p.Doc.Find(`#current[autocomplete="current-password"]`).Length() != 1 {
			t.Error("the current password is not labelled")
		}
		// The account: the name is needed; name and e-mail language are saved and audited.
		p = c.Post("/profile", url.Values{"name": {"  "}, "language": {"en"}})
		if p.Status != http.StatusUnprocessableEntity || p.Doc.Find(`#name[aria-invalid="true"][aria-describedby="name-err"]`).Length() != 1 {
			t.Errorf("empty name: %d", p.Status)
		}
		if p := c.Post("/profile", url.Values{"name": {"Anna Bērziņa"}, "language": {"en"}}); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/profile?done=account" {
			t.Fatalf("save the account: %d %s", p.Status, p.Header.Get("Location"))
		}
		p = c.Get("/profile?done=account")
		if p.Doc.Find("#name").AttrOr("value", "") != "Anna Bērziņa" || p.Doc.Find("#language option[selected]").AttrOr("value", "") != "en" ||
			p.Doc.Find("#done").Length() != 1 || !strings.Contains(p.Doc.Find(".who").Text(), "Anna Bērziņa") {
			t.Errorf("account after saving: name %q, language %q", p.Doc.Find("#name").AttrOr("value", ""), p.Doc.Find("#language option[selected]").AttrOr("value", ""))
		}
		if u, err := w.App.DB.PortalUserByEmail(context.Background(), email("billing")); err != nil || u.Language != "en" {
			t.Errorf("stored language %q, %v", u.Language, err)
		}

		const newPassword = "a brand new pass phrase"
		for _, tc := range []struct {
			form  url.Values
			field string
		}{
			{url.Values{"current": {"not my password"}, "password": {newPassword}, "password2": {newPassword}}, "current"},
			{url.Values{"current": {password}, "password": {"short"}, "password2": {"short"}}, "password"},
			{url.Values{"current": {password}, "password": {newPassword}, "password2": {newPassword + "!"}}, "password"},
		} {
			p := c.Post("/profile/password", tc.form)
			if p.Status != http.StatusUnprocessableEntity || p.Doc.Find("#"+tc.field+`[aria-invalid="true"]`).Length() != 1 || p.Doc.Find("#"+tc.field+"-err").Length() != 1 {
				t.Errorf("%v: %d, want 422 at %s", tc.form, p.Status, tc.field)
			}
		}
		p = c.Post("/profile/password", url.Values{"current": {password}, "password": {newPassword}, "password2": {newPassword}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/profile?done=password" {
			t.Fatalf("change: %d %s", p.Status, p.Header.Get("Location"))
		}
		if p := c.Get("/profile?done=password"); p.Status != http.StatusOK || p.Doc.Find("#done").Length() != 1 ||
			!strings.Contains(p.Doc.Find("#profile-history").Text(), "parole nomainīta") || !strings.Contains(p.Doc.Find("#profile-history").Text(), "profils mainīts") {
			t.Errorf("after the change: %d", p.Status)
		}
		if other.signedInAs() != "" {
			t.Error("another session survived the password change")
		}
		if p := w.client().signIn(email("billing"), password); p.Status != http.StatusUnauthorized {
			t.Errorf("the old password: %d", p.Status)
		}
		if p := w.client().signIn(email("billing"), newPassword); p.Status != http.StatusSeeOther {
			t.Errorf("the new password: %d", p.Status)
		}
		// Guessing the current password with a session counts as failed sign-ins.
		c.Get("/profile")
		var last page
		for range w.portal.SigninLimit + 1 {
			last = c.Post("/profile/password", url.Values{"current": {"a guess at it"}, "password": {newPassword}, "password2": {newPassword}})
		}
		if last.Status != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
			t.Errorf("guessing the current password: %d", last.Status)
		}
	})
}
