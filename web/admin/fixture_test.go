package admin_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web"
	"github.com/erekins/erekins/web/admin"
	"github.com/erekins/erekins/web/portal"
)

// cheap are argon2 parameters that keep the tests fast; CheckPassword reads them from the hash.
var cheap = portal.Argon2Params{Memory: 1024, Time: 1, Threads: 1}

const (
	password = "correct horse battery"
	opEmail  = "olga@supplier.example.lv"
)

// world is the whole server on a database with two billed customers, A and B, one portal
// user of each role at A and one operator. Its clock can be moved.
type world struct {
	t     *testing.T
	app   *app.App
	admin *admin.Admin
	srv   *httptest.Server

	mu  sync.Mutex
	now time.Time

	a, b customer
}

// customer is what the tests know of a customer: ids and numbers to look for on pages.
type customer struct {
	ID                                            int64
	Reg, Name, Invoice, Contract, Point, Register string
}

func (w *world) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *world) advance(d time.Duration) {
	w.mu.Lock()
	w.now = w.now.Add(d)
	w.mu.Unlock()
}

func newWorld(t *testing.T, dsn string) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, now: time.Date(2026, 11, 28, 12, 0, 0, 0, calendar.Riga)}
	a, err := app.Open(ctx, dsn, app.Config{Rules: billing.DefaultRules()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	a.Now = w.clock
	w.app = a
	var buf bytes.Buffer
	if err := datagen.Write(&buf, datagen.Config{Seed: 3, Contracts: 2, MinMeteringPoints: 2, MeteringPoints: 2, Months: 4,
		LastPeriod: calendar.MustDate("2026-10-01"), LegacyBaseline: true, EInvoiceShare: 0.5,
		Customers: []datagen.Customer{{Name: `SIA "Alfa"`, Language: "lv", Email: "a@a.example.lv"}, {Name: "Beta Ltd", Language: "en", Email: "b@b.example.lv"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, &buf, "test"); err != nil {
		t.Fatalf("import: %v", err)
	}
	if res, err := a.Bill(ctx, calendar.MustDate("2026-11-27")); err != nil || len(res.Failures) > 0 {
		t.Fatalf("bill: %v %v", err, res.Failures)
	}
	for i, c := range []*customer{&w.a, &w.b} {
		if err := a.DB.QueryRowContext(ctx, a.DB.Q(`SELECT id, registration_number, name FROM customers ORDER BY id LIMIT 1 OFFSET ?`), i).
			Scan(&c.ID, &c.Reg, &c.Name); err != nil {
			t.Fatal(err)
		}
		rows, _, err := a.DB.CustomerInvoices(ctx, sqldb.CustomerInvoiceFilter{CustomerID: c.ID, Limit: 1})
		if err != nil || len(rows) == 0 {
			t.Fatalf("customer %s has no invoice: %v", c.Reg, err)
		}
		c.Invoice, c.Contract = rows[0].Number, rows[0].Contract
		ms, err := a.DB.CustomerMeters(ctx, c.ID)
		if err != nil || len(ms) == 0 {
			t.Fatalf("customer %s has no meters: %v", c.Reg, err)
		}
		c.Point, c.Register = ms[0].Code, ms[0].Registers[0]
	}
	for _, role := range sqldb.Roles {
		if _, err := portal.AddUser(ctx, a.DB, portal.NewUser{Email: role + "@a.example.lv", Name: "Test " + role, Password: password,
			Customer: w.a.Reg, Role: role}, cheap, "test", w.clock()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := admin.AddOperator(ctx, a.DB, admin.NewOperator{Email: opEmail, Name: "Olga", Password: password}, cheap, "test", w.clock()); err != nil {
		t.Fatal(err)
	}
	ad, err := admin.New(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	ad.Now = w.clock
	w.admin = ad
	p, err := portal.New(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Now = w.clock
	h, err := (&web.Server{App: a, Portal: p, Admin: ad}).Handler()
	if err != nil {
		t.Fatal(err)
	}
	w.srv = httptest.NewServer(h)
	t.Cleanup(w.srv.Close)
	return w
}

// client is a browser without JavaScript: cookies, no automatic redirects, and the CSRF
// token of the last page it saw.
type client struct {
	t    *testing.T
	w    *world
	http *http.Client
	csrf string
}

func (w *world) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: w.t, w: w, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// page is a response with its parsed HTML.
type page struct {
	Status int
	Header http.Header
	Body   string
	Doc    *goquery.Document
}

func (c *client) do(req *http.Request) page {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := page{Status: res.StatusCode, Header: res.Header, Body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if p.Doc, err = goquery.NewDocumentFromReader(bytes.NewReader(b)); err != nil {
			c.t.Fatal(err)
		}
		if v, ok := p.Doc.Find(`input[name="csrf"]`).First().Attr("value"); ok {
			c.csrf = v
		}
	}
	return p
}

func (c *client) get(path string) page {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.w.srv.URL+path, nil)
	return c.do(req)
}

// post sends a form with the client's CSRF token unless the form has its own "csrf" (an
// empty one: none at all).
func (c *client) post(path string, form url.Values) page {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	if form.Get("csrf") == "" {
		form.Del("csrf")
	}
	req, _ := http.NewRequest(http.MethodPost, c.w.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) signIn(addr, pw string) page {
	c.t.Helper()
	c.get("/admin/signin")
	return c.post("/admin/signin", url.Values{"email": {addr}, "password": {pw}, "next": {"/admin"}})
}

// operator is a client signed in to the back office.
func (w *world) operator() *client {
	w.t.Helper()
	c := w.client()
	if p := c.signIn(opEmail, password); p.Status != http.StatusSeeOther {
		w.t.Fatalf("operator sign-in: status %d", p.Status)
	}
	c.get("/admin")
	return c
}

// portalUser is a client signed in to the customer portal as the user of the role at A.
func (w *world) portalUser(role string) *client {
	w.t.Helper()
	c := w.client()
	c.get("/signin")
	if p := c.post("/signin", url.Values{"email": {role + "@a.example.lv"}, "password": {password}, "next": {"/"}}); p.Status != http.StatusSeeOther {
		w.t.Fatalf("portal sign-in as %s: status %d", role, p.Status)
	}
	return c
}

// count runs a count query.
func (w *world) count(q string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.app.DB.QueryRowContext(context.Background(), w.app.DB.Q(q), args...).Scan(&n); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	return n
}
