package portal_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/erekins/erekins/internal/webtest"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web"
	"github.com/erekins/erekins/web/portal"
)

var cheap = webtest.Cheap

const password = webtest.Password

// world is a running portal with two billed customers: A, with one user per role, and B,
// whose admin is the "other" user. Its clock can be moved.
type world struct {
	*webtest.World
	portal *portal.Portal
}

func email(role string) string { return role + "@a.example.lv" }

const otherEmail = "admin@b.example.lv"

func newWorld(t *testing.T, dsn string) *world {
	t.Helper()
	w := &world{World: webtest.NewWorld(t, dsn)}
	for _, role := range sqldb.Roles {
		id := w.AddUser(email(role), w.A.Reg, role)
		if role == sqldb.RoleAdmin {
			w.A.Admin = strconv.FormatInt(id, 10)
		}
	}
	w.B.Admin = strconv.FormatInt(w.AddUser(otherEmail, w.B.Reg, sqldb.RoleAdmin), 10)
	p, err := portal.New(w.App, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Now = w.Clock
	w.portal = p
	w.Serve((&web.Server{App: w.App, Portal: p}).Handler)
	return w
}

// customerIDs is what the tests know of a customer, its admin's id included.
type customerIDs = webtest.Customer

// client is a browser without JavaScript on the portal.
type client struct {
	*webtest.Client
	w *world
}

type page = webtest.Page

func (w *world) client() *client { return &client{Client: w.Client(), w: w} }

func (c *client) signIn(addr, pw string) page {
	c.T.Helper()
	return c.SignIn("/signin", "/", addr, pw)
}

// signedIn is a client signed in as addr.
func (w *world) signedIn(addr string) *client {
	w.T.Helper()
	c := w.client()
	if p := c.signIn(addr, password); p.Status != http.StatusSeeOther {
		w.T.Fatalf("sign in as %s: status %d", addr, p.Status)
	}
	c.Get("/")
	return c
}
