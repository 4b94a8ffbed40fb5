package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web"
	"github.com/erekins/erekins/web/api"
	"github.com/erekins/erekins/web/portal"
)

// world is a running server with two billed customers: A, with one API token per role,
// and B, with an admin token. Its clock can be moved; every response is checked against
// the OpenAPI document.
type world struct {
	t    *testing.T
	app  *app.App
	api  *api.API
	srv  *httptest.Server
	spec *spec

	mu  sync.Mutex
	now time.Time

	a, b   customer
	tokens map[string]string // "admin", "billing", "readings", "viewer" (A), "other" (B's admin), "revoked" → secret
}

// customer is one customer's ids for the scenarios.
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
	w := &world{t: t, now: time.Date(2026, 11, 28, 12, 0, 0, 0, calendar.Riga), tokens: map[string]string{}, spec: loadSpec(t)}
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
		w.tokens[role] = w.addToken(w.a.ID, role, "test "+role)
	}
	w.tokens["other"] = w.addToken(w.b.ID, sqldb.RoleAdmin, "other")
	w.tokens["revoked"] = w.addToken(w.a.ID, sqldb.RoleAdmin, "revoked")
	t2, err := a.DB.APITokenByHash(ctx, portal.HashAPIToken(w.tokens["revoked"]))
	if err == nil {
		err = a.DB.RevokeAPIToken(ctx, w.a.ID, t2.ID, "test", w.clock())
	}
	if err != nil {
		t.Fatal(err)
	}

	if w.api, err = api.New(a, nil); err != nil {
		t.Fatal(err)
	}
	w.api.Now = w.clock
	w.api.Rate, w.api.Burst = 1e9, 1e9 // TestRateLimit has its own
	h, err := (&web.Server{App: a, API: w.api}).Handler()
	if err != nil {
		t.Fatal(err)
	}
	w.srv = httptest.NewServer(h)
	t.Cleanup(w.srv.Close)
	return w
}

// addToken stores a token the way the portal does and returns its secret.
func (w *world) addToken(customerID int64, role, name string) string {
	w.t.Helper()
	secret, hash := portal.NewAPIToken()
	if _, err := w.app.DB.CreateAPIToken(context.Background(), sqldb.APIToken{CustomerID: customerID, Role: role, Name: name, TokenHash: hash,
		CreatedBy: "test", CreatedAt: w.clock()}); err != nil {
		w.t.Fatal(err)
	}
	return secret
}

// response is an API answer with its JSON decoded (nil when it is not JSON).
type response struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   map[string]any
}

// call sends a request with the token named (a key of w.tokens, or a raw Authorization
// value when it has a space, or none when empty), checks the answer against the OpenAPI
// document, and returns it.
func (w *world) call(method, path, token, body string, header map[string]string) response {
	w.t.Helper()
	req, err := http.NewRequest(method, w.srv.URL+path, strings.NewReader(body))
	if err != nil {
		w.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case strings.Contains(token, " "):
		req.Header.Set("Authorization", token)
	case token != "":
		secret, ok := w.tokens[token]
		if !ok {
			secret = token
		}
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := response{Status: res.StatusCode, Header: res.Header, Body: b}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &out.JSON); err != nil {
			w.t.Errorf("%s %s: the JSON answer does not decode: %v", method, path, err)
		}
	}
	w.spec.check(w.t, req, body, out)
	return out
}

func (w *world) get(path, token string) response {
	w.t.Helper()
	return w.call(http.MethodGet, path, token, "", nil)
}

// errCode is the answer's error code and field, if it is an error.
func (r response) errCode() (code, field string) {
	e, _ := r.JSON["error"].(map[string]any)
	code, _ = e["code"].(string)
	field, _ = e["field"].(string)
	return code, field
}

// restart serves a new API with w.api's settings on a new server, so that changed
// settings (the rate limit) apply.
func (w *world) restart() {
	w.t.Helper()
	a, err := api.New(w.app, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	a.Now, a.Rate, a.Burst, a.Idempotency = w.clock, w.api.Rate, w.api.Burst, w.api.Idempotency
	w.api = a
	h, err := (&web.Server{App: w.app, API: a}).Handler()
	if err != nil {
		w.t.Fatal(err)
	}
	w.srv.Close()
	w.srv = httptest.NewServer(h)
	w.t.Cleanup(w.srv.Close)
}
