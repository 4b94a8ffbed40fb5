package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/web/portal"
)

// now is the tests' clock: the morning of a billing day.
var now = time.Date(2026, 11, 27, 6, 0, 0, 0, calendar.Riga)

// newApp opens an App on dsn with a small generated dataset imported.
func newApp(t *testing.T, dsn string) *app.App {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, dsn, app.Config{Rules: billing.DefaultRules()}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	a.Now = func() time.Time { return now }
	var buf bytes.Buffer
	if err := datagen.Write(&buf, datagen.Config{Seed: 7, Contracts: 2, MeteringPoints: 1, Months: 2,
		LastPeriod: calendar.MustDate("2026-10-01"), LegacyBaseline: true, EInvoiceShare: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, &buf, "test"); err != nil {
		t.Fatal(err)
	}
	return a
}

// addUser adds a portal admin at the first customer and returns the address and password.
func addUser(t *testing.T, a *app.App, password string) string {
	t.Helper()
	var reg string
	if err := a.DB.QueryRow(`SELECT registration_number FROM customers ORDER BY id LIMIT 1`).Scan(&reg); err != nil {
		t.Fatal(err)
	}
	const email = "ops@example.lv"
	if _, err := portal.AddUser(context.Background(), a.DB, portal.NewUser{Email: email, Name: "Ops", Password: password,
		Customer: reg, Role: "admin", Language: "en"}, portal.Argon2Params{Time: 1, Memory: 8 * 1024, Threads: 1}, "test", now); err != nil {
		t.Fatal(err)
	}
	return email
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// client is a browser-like client of base: it keeps cookies and does not follow redirects.
func client(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn signs in through the portal's form and returns the CSRF token it used.
func signIn(t *testing.T, c *http.Client, base, email, password string) string {
	t.Helper()
	body := get(t, c, base+"/signin", nil)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page")
	}
	res, err := c.PostForm(base+"/signin", url.Values{"email": {email}, "password": {password}, "csrf": {m[1]}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %s, want 303", res.Status)
	}
	return m[1]
}

// get fetches u with the headers and returns the body.
func get(t *testing.T, c *http.Client, u string, header http.Header) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// cookies are the values of the cookies c holds for base.
func cookies(c *http.Client, base string) []string {
	u, _ := url.Parse(base)
	var out []string
	for _, k := range c.Jar.Cookies(u) {
		out = append(out, k.Value)
	}
	return out
}

func contains(s, sub string) bool { return sub != "" && strings.Contains(s, sub) }
