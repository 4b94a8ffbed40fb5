// Package webtest is what the tests of the portal, the back office and the REST API share:
// a world — the whole application on a real database with two billed customers and a clock
// that can be moved — a browser without JavaScript that keeps cookies and the CSRF token,
// and the harness that drives Chromium and checks every page with axe-core. Only tests
// import it; the production packages know nothing of it.
package webtest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/portal"
)

// Cheap are argon2 parameters that keep the tests fast; CheckPassword reads them from the hash.
var Cheap = portal.Argon2Params{Memory: 1024, Time: 1, Threads: 1}

// Password is every test user's and operator's password.
const Password = "correct horse battery"

// World is the application on a database with two billed customers, A and B, and a server
// once Serve has started one. Its clock starts at 28 Nov 2026 12:00 in Riga and can be moved.
type World struct {
	T   *testing.T
	App *app.App
	Srv *httptest.Server

	mu  sync.Mutex
	now time.Time

	A, B Customer
}

// Customer is what the tests know of a customer: ids and numbers to look for on pages.
type Customer struct {
	ID                                            int64
	Reg, Name, Invoice, Contract, Point, Register string
	Admin                                         string // the id of its portal admin, where a test made one
}

// Clock is the world's time; the application and the servers read it.
func (w *World) Clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

// Advance moves the clock on by d.
func (w *World) Advance(d time.Duration) {
	w.mu.Lock()
	w.now = w.now.Add(d)
	w.mu.Unlock()
}

// NewWorld opens the application on dsn, imports two customers with four months of
// readings, bills them, and notes each one's first invoice, contract and register.
func NewWorld(t *testing.T, dsn string) *World {
	t.Helper()
	ctx := context.Background()
	w := &World{T: t, now: time.Date(2026, 11, 28, 12, 0, 0, 0, calendar.Riga)}
	a, err := app.Open(ctx, dsn, app.Config{Rules: billing.DefaultRules()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	a.Now = w.Clock
	w.App = a
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
	for i, c := range []*Customer{&w.A, &w.B} {
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
	return w
}

// AddUser adds a portal user with Password and the role at the customer, named
// "Test <role>", and returns the user's id.
func (w *World) AddUser(addr, reg, role string) int64 {
	w.T.Helper()
	u, err := portal.AddUser(context.Background(), w.App.DB, portal.NewUser{Email: addr, Name: "Test " + role, Password: Password,
		Customer: reg, Role: role}, Cheap, "test", w.Clock())
	if err != nil {
		w.T.Fatalf("add user %s: %v", addr, err)
	}
	return u.ID
}

// Serve serves handler's answer on a new test server, in place of the one before (so that
// changed settings apply), closed when the test ends.
func (w *World) Serve(handler func() (http.Handler, error)) {
	w.T.Helper()
	h, err := handler()
	if err != nil {
		w.T.Fatal(err)
	}
	if w.Srv != nil {
		w.Srv.Close()
	}
	w.Srv = httptest.NewServer(h)
	w.T.Cleanup(w.Srv.Close)
}
