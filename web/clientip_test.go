package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/erekins/erekins/store/sqldb/sqldbtest"
	"github.com/erekins/erekins/web"
	"github.com/erekins/erekins/web/admin"
	"github.com/erekins/erekins/web/portal"
	"github.com/erekins/erekins/web/site"
)

// TestSigninLimitPerForwardedClient: behind a trusted proxy (the test's connections come
// from 127.0.0.1) the portal's and the back office's per-client sign-in limits count each
// client X-Forwarded-For names apart, and the access log names that client; the same
// server without the proxy trusted sees one client, the proxy, and limits them together.
func TestSigninLimitPerForwardedClient(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		a := newApp(t, dsn)
		for _, c := range []struct {
			name     string
			trusted  string
			x, y     string // the two clients' forwarded addresses
			separate bool
		}{
			{"trusted proxy", "127.0.0.1", "203.0.113.1", "203.0.113.2", true},
			{"no trusted proxy", "", "198.51.100.1", "198.51.100.2", false},
		} {
			for _, s := range []struct{ site, path string }{{"portal", "/signin"}, {"back office", "/admin/signin"}} {
				t.Run(c.name+"/"+s.site, func(t *testing.T) {
					proxies, err := site.ParseProxies(c.trusted)
					if err != nil {
						t.Fatal(err)
					}
					// A low per-client limit; every attempt names another (unknown) address,
					// so the per-address limit never applies.
					p, err := portal.New(a, nil)
					if err != nil {
						t.Fatal(err)
					}
					ad, err := admin.New(a, nil)
					if err != nil {
						t.Fatal(err)
					}
					p.SigninLimitIP, ad.SigninLimitIP = 3, 3
					var logs syncBuffer
					h, err := (&web.Server{App: a, Log: slog.New(slog.NewJSONHandler(&logs, nil)), Portal: p, Admin: ad, TrustedProxies: proxies}).Handler()
					if err != nil {
						t.Fatal(err)
					}
					srv := httptest.NewServer(h)
					defer srv.Close()

					n := 0
					attempt := func(forwarded string) int {
						t.Helper()
						n++
						return failedSignin(t, srv.URL+s.path, forwarded, fmt.Sprintf("nobody%d@%s.example.lv", n, strings.ReplaceAll(c.name, " ", "-")))
					}
					for i := range 3 {
						if got := attempt(c.x); got != http.StatusUnauthorized {
							t.Fatalf("attempt %d from %s: %d, want 401", i+1, c.x, got)
						}
					}
					if got := attempt(c.x); got != http.StatusTooManyRequests {
						t.Errorf("%s after its limit: %d, want 429", c.x, got)
					}
					got, want := attempt(c.y), http.StatusTooManyRequests
					if c.separate {
						want = http.StatusUnauthorized
					}
					if got != want {
						t.Errorf("%s after %s's limit: %d, want %d", c.y, c.x, got, want)
					}
					remote := `"remote":"127.0.0.1"`
					if c.separate {
						remote = `"remote":"` + c.y + `"`
					}
					if !strings.Contains(logs.String(), remote) {
						t.Errorf("no access line with %s:\n%s", remote, logs.String())
					}
				})
			}
		}
	})
}

// failedSignin opens the sign-in form at u and sends it with a wrong password, both through
// a proxy that forwards for the address; it returns the answer's status.
func failedSignin(t *testing.T, u, forwarded, email string) int {
	t.Helper()
	c := client(t)
	body := get(t, c, u, http.Header{"X-Forwarded-For": {forwarded}})
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", u)
	}
	form := url.Values{"email": {email}, "password": {"not the password at all"}, "csrf": {m[1]}, "next": {"/"}}
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", forwarded)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
