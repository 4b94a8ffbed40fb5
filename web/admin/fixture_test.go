package admin_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/erekins/erekins/internal/webtest"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web"
	"github.com/erekins/erekins/web/admin"
	"github.com/erekins/erekins/web/portal"
)

const (
	password = webtest.Password
	opEmail  = "olga@supplier.example.lv"
)

// world is the whole server on a database with two billed customers, A and B, one portal
// user of each role at A and one operator. Its clock can be moved.
type world struct {
	*webtest.World
	admin *admin.Admin
}

func newWorld(t *testing.T, dsn string) *world {
	t.Helper()
	w := &world{World: webtest.NewWorld(t, dsn)}
	for _, role := range sqldb.Roles {
		w.AddUser(role+"@a.example.lv", w.A.Reg, role)
	}
	if _, err := admin.AddOperator(context.Background(), w.App.DB, admin.NewOperator{Email: opEmail, Name: "Olga", Password: password},
		webtest.Cheap, "test", w.Clock()); err != nil {
		t.Fatal(err)
	}
	ad, err := admin.New(w.App, nil)
	if err != nil {
		t.Fatal(err)
	}
	ad.Now = w.Clock
	w.admin = ad
	p, err := portal.New(w.App, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Now = w.Clock
	w.Serve((&web.Server{App: w.App, Portal: p, Admin: ad}).Handler)
	return w
}

// client is a browser without JavaScript.
type client struct {
	*webtest.Client
}

type page = webtest.Page

func (w *world) client() *client { return &client{w.Client()} }

func (c *client) signIn(addr, pw string) page {
	c.T.Helper()
	return c.SignIn("/admin/signin", "/admin", addr, pw)
}

// operator is a client signed in to the back office.
func (w *world) operator() *client {
	w.T.Helper()
	c := w.client()
	if p := c.signIn(opEmail, password); p.Status != http.StatusSeeOther {
		w.T.Fatalf("operator sign-in: status %d", p.Status)
	}
	c.Get("/admin")
	return c
}

// portalUser is a client signed in to the customer portal as the user of the role at A.
func (w *world) portalUser(role string) *client {
	w.T.Helper()
	c := w.client()
	if p := c.SignIn("/signin", "/", role+"@a.example.lv", password); p.Status != http.StatusSeeOther {
		w.T.Fatalf("portal sign-in as %s: status %d", role, p.Status)
	}
	return c
}

// count runs a count query.
func (w *world) count(q string, args ...any) int {
	w.T.Helper()
	var n int
	if err := w.App.DB.QueryRowContext(context.Background(), w.App.DB.Q(q), args...).Scan(&n); err != nil {
		w.T.Fatalf("%s: %v", q, err)
	}
	return n
}
