package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

func TestAdminSignIn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.client()
		p := c.Get("/admin/customers?q=x")
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/admin/signin?next="+url.QueryEscape("/admin/customers?q=x") {
			t.Fatalf("anonymous: %d %q, want a redirect to sign in", p.Status, p.Header.Get("Location"))
		}
		p = c.Get("/admin/signin")
		if p.Doc.Find(`label[for="email"]`).Length() != 1 || p.Doc.Find(`label[for="password"]`).Length() != 1 {
			t.Error("sign-in fields are not labelled")
		}
		// A wrong password, an unknown address and a portal user's own credentials look alike.
		var msgs []string
		for _, who := range []string{opEmail, "nobody@supplier.example.lv", "admin@a.example.lv"} {
			pw := "wrong password!"
			if who == "admin@a.example.lv" {
				pw = password
			}
			p := c.Post("/admin/signin", url.Values{"email": {who}, "password": {pw}})
			if p.Status != http.StatusUnauthorized {
				t.Errorf("%s: status %d, want 401", who, p.Status)
			}
			msgs = append(msgs, p.Doc.Find(".error").Text())
		}
		if msgs[0] == "" || msgs[0] != msgs[1] || msgs[1] != msgs[2] {
			t.Errorf("failure messages %q, want one message for all", msgs)
		}
		p = c.Post("/admin/signin", url.Values{"email": {strings.ToUpper(opEmail)}, "password": {password}, "next": {"//evil.example/admin"}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/admin" {
			t.Fatalf("sign in: %d %q", p.Status, p.Header.Get("Location"))
		}
		cookie := p.Header.Get("Set-Cookie")
		for _, flag := range []string{"erekins_admin=", "HttpOnly", "SameSite=Lax", "Path=/admin"} {
			if !strings.Contains(cookie, flag) {
				t.Errorf("session cookie %q lacks %s", cookie, flag)
			}
		}
		if got := w.count(`SELECT count(*) FROM audit_log WHERE action = 'operator.signin' AND actor = ?`, opEmail); got != 1 {
			t.Errorf("%d sign-in audit entries, want 1", got)
		}
		p = c.Get("/admin")
		if p.Status != http.StatusOK || p.Doc.Find("#failed").Length() != 1 || p.Doc.Find("#queue").Length() != 1 {
			t.Fatalf("dashboard: %d", p.Status)
		}
		if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("CSP %q", csp)
		}
		if p.Doc.Find("script").Length() > 0 || p.Doc.Find("[style]").Length() > 0 {
			t.Error("the page has script or inline style")
		}
		// The queue depth counts the delivery jobs that issuing queued.
		if want := w.count(`SELECT count(*) FROM river_job WHERE state IN ('available', 'scheduled', 'retryable', 'running', 'pending')`); strings.TrimSpace(p.Doc.Find("#queue").Text()) != fmt.Sprint(want) {
			t.Errorf("queue depth %q, want %d", p.Doc.Find("#queue").Text(), want)
		}
		// Idle for longer than the idle timeout: signed out.
		w.Advance(31 * time.Minute)
		if p := c.Get("/admin"); p.Status != http.StatusSeeOther {
			t.Errorf("after 31 idle minutes: %d, want a redirect to sign in", p.Status)
		}
		if css := c.Get("/admin/static/admin.css"); css.Status != http.StatusOK || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
			t.Errorf("stylesheet: %d %s", css.Status, css.Header.Get("Content-Type"))
		}
		// A disabled operator's session stops working, and signing in fails like any failure.
		c = w.operator()
		if _, err := w.App.DB.ExecContext(context.Background(), w.App.DB.Q(`UPDATE operators SET disabled_at = ? WHERE email = ?`), w.Clock().UTC(), opEmail); err != nil {
			t.Fatal(err)
		}
		if p := c.Get("/admin"); p.Status != http.StatusSeeOther {
			t.Errorf("a disabled operator's session: %d, want a redirect to sign in", p.Status)
		}
		if p := c.signIn(opEmail, password); p.Status != http.StatusUnauthorized || p.Doc.Find(".error").Text() != msgs[0] {
			t.Errorf("a disabled operator signs in: %d %q", p.Status, p.Doc.Find(".error").Text())
		}
		if _, err := w.App.DB.ExecContext(context.Background(), `UPDATE operators SET disabled_at = NULL`); err != nil {
			t.Fatal(err)
		}
		c = w.operator()
		if p := c.Post("/admin/signout", nil); p.Status != http.StatusSeeOther {
			t.Fatalf("sign out: %d", p.Status)
		}
		if p := c.Get("/admin"); p.Status != http.StatusSeeOther {
			t.Errorf("after sign-out: %d", p.Status)
		}
	})
}

func TestAdminSigninRateLimit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.client()
		c.Get("/admin/signin")
		for i := 0; i < w.admin.SigninLimit; i++ {
			if p := c.Post("/admin/signin", url.Values{"email": {opEmail}, "password": {"wrong password!"}}); p.Status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i+1, p.Status)
			}
		}
		p := c.Post("/admin/signin", url.Values{"email": {opEmail}, "password": {password}})
		if p.Status != http.StatusTooManyRequests || p.Header.Get("Retry-After") == "" {
			t.Errorf("after %d failures the right password: %d, want 429", w.admin.SigninLimit, p.Status)
		}
		// The portal's count for the same address is apart.
		if _, err := w.App.DB.PortalUserByEmail(context.Background(), opEmail); err == nil {
			t.Fatal("the operator is a portal user")
		}
		byEmail, _, err := w.App.DB.FailedSignins(context.Background(), opEmail, "127.0.0.1", w.Clock().Add(-w.admin.SigninWindow))
		if err != nil || byEmail != 0 {
			t.Errorf("the portal counts %d failures for the operator's address, %v", byEmail, err)
		}
		w.Advance(w.admin.SigninWindow + time.Second)
		if p := c.signIn(opEmail, password); p.Status != http.StatusSeeOther {
			t.Errorf("after the window: %d", p.Status)
		}
	})
}

// route is one back-office route with a path that names customer A's things.
type route struct {
	method, path string
	form         url.Values
}

func (w *world) routes(batch int64, outboxID int64) []route {
	a := w.A
	reg := fmt.Sprintf("/admin/customers/%d/registers/%s/%s", a.ID, a.Point, a.Register)
	twoFactor := fmt.Sprintf("/admin/customers/%d/users/%d/second-factor", a.ID, w.count(`SELECT id FROM portal_users WHERE email = 'viewer@a.example.lv'`))
	return []route{
		{"GET", "/admin", nil},
		{"GET", "/admin/", nil},
		{"GET", "/admin/customers?q=" + url.QueryEscape(a.Reg), nil},
		{"GET", fmt.Sprintf("/admin/customers/%d", a.ID), nil},
		{"GET", reg, nil},
		{"GET", "/admin/invoices/" + a.Invoice, nil},
		{"GET", "/admin/invoices/" + a.Invoice + "/pdf", nil},
		{"GET", "/admin/deliveries/failed", nil},
		{"GET", "/admin/readings/missing", nil},
		{"GET", "/admin/runs", nil},
		{"GET", "/admin/print-batches", nil},
		{"GET", fmt.Sprintf("/admin/print-batches/%d", batch), nil},
		{"GET", fmt.Sprintf("/admin/print-batches/%d/manifest.csv", batch), nil},
		{"GET", fmt.Sprintf("/admin/print-batches/%d/bundle.pdf", batch), nil},
		{"GET", "/admin/outbox", nil},
		{"GET", fmt.Sprintf("/admin/outbox/%d", outboxID), nil},
		{"GET", twoFactor, nil},
		{"POST", "/admin/invoices/" + a.Invoice + "/resend", url.Values{"to": {"matrix@x.example.lv"}}},
		{"POST", reg, url.Values{"date": {"2026-11-28"}, "value": {"1"}}},
		{"POST", fmt.Sprintf("/admin/print-batches/%d/handed-over", batch), nil},
		{"POST", twoFactor, url.Values{"reason": {"matrix"}}},
	}
}

// TestAdminPermissionMatrix: every route × anonymous, each portal role, an operator. Only
// operators get data; everyone else is sent to sign in (GET) or refused (POST), and no
// answer names a customer; every POST without the right CSRF token is refused.
func TestAdminPermissionMatrix(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		bs, err := w.App.Deliveries.PrintBatches(ctx)
		if err != nil || len(bs) == 0 {
			t.Fatalf("no print batch: %v", err)
		}
		if _, err := w.App.DB.ExecContext(ctx, w.App.DB.Q(`INSERT INTO outbox (message_id, created_at, mail_from, recipient, subject, message)
			VALUES ('m1@x', ?, 'from@x', 'to@x', 'subject', 'raw')`), w.Clock().UTC()); err != nil {
			t.Fatal(err)
		}
		ms, err := w.App.Deliveries.Outbox(ctx, 1)
		if err != nil || len(ms) == 0 {
			t.Fatalf("outbox: %v", err)
		}
		routes := w.routes(bs[0].ID, ms[0].ID)
		state := func() [3]int {
			return [3]int{w.count(`SELECT count(*) FROM deliveries`), w.count(`SELECT count(*) FROM readings`),
				w.count(`SELECT count(*) FROM print_batches WHERE handed_over_at IS NULL`)}
		}
		audits := w.count(`SELECT count(*) FROM audit_log`)
		before := state()
		secret := []string{w.A.Name, w.A.Reg, w.A.Contract, w.A.Point, w.B.Reg}
		outsiders := map[string]*client{"anonymous": w.client()}
		for _, role := range sqldb.Roles {
			outsiders[role] = w.portalUser(role)
		}
		for who, c := range outsiders {
			for _, rt := range routes {
				var p page
				if rt.method == "GET" {
					p = c.Get(rt.path)
					if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/admin/signin") {
						t.Errorf("%s GET %s: %d %q, want a redirect to sign in", who, rt.path, p.Status, p.Header.Get("Location"))
					}
				} else {
					form := url.Values{}
					for k, v := range rt.form {
						form[k] = v
					}
					p = c.Post(rt.path, form) // with the portal's CSRF token, if any
					if p.Status != http.StatusForbidden {
						t.Errorf("%s POST %s: %d, want 403", who, rt.path, p.Status)
					}
				}
				for _, s := range secret {
					// the redirect repeats the path asked for; anything else is data
					if strings.Contains(p.Body, s) && !strings.Contains(rt.path, s) {
						t.Errorf("%s %s %s: the answer contains %q", who, rt.method, rt.path, s)
					}
				}
			}
		}
		op := w.operator()
		for _, rt := range routes {
			if rt.method == "GET" {
				if p := op.Get(rt.path); p.Status != http.StatusOK {
					t.Errorf("operator GET %s: %d, want 200", rt.path, p.Status)
				}
				continue
			}
			for name, token := range map[string]string{"no token": "", "a wrong token": "x" + op.CSRF} {
				form := url.Values{"csrf": {token}}
				for k, v := range rt.form {
					form[k] = v
				}
				if p := op.Post(rt.path, form); p.Status != http.StatusForbidden {
					t.Errorf("operator POST %s with %s: %d, want 403", rt.path, name, p.Status)
				}
			}
		}
		// Nothing changed, and the operator's sign-in is the only audit entry.
		if after := state(); after != before {
			t.Errorf("refused requests changed data: deliveries, readings, open batches %v, were %v", after, before)
		}
		if got := w.count(`SELECT count(*) FROM audit_log`); got != audits+1 {
			t.Errorf("%d audit entries, want %d (the sign-in)", got, audits+1)
		}
		// The operator's cookie means nothing to the portal.
		if p := op.Get("/"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/signin") {
			t.Errorf("operator on the portal: %d %q, want the portal's sign-in", p.Status, p.Header.Get("Location"))
		}
	})
}

func TestAdminSearch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		op := w.operator()
		for _, tc := range []struct{ name, q string }{
			{"name, lower case, a part", strings.ToLower(w.A.Name[5:9])},
			{"registration number", w.A.Reg},
			{"contract number", w.A.Contract},
			{"metering point code", w.A.Point},
		} {
			p := op.Get("/admin/customers?q=" + url.QueryEscape(tc.q))
			hits := p.Doc.Find("#hits tr.hit")
			if p.Status != http.StatusOK || hits.Length() != 1 || hits.Find(".reg").Text() != w.A.Reg {
				t.Errorf("%s %q: %d, %d hits (%q)", tc.name, tc.q, p.Status, hits.Length(), hits.Text())
				continue
			}
			if href := hits.Find("a").AttrOr("href", ""); href != fmt.Sprintf("/admin/customers/%d", w.A.ID) {
				t.Errorf("%s: link %q", tc.name, href)
			}
		}
		p := op.Get("/admin/customers")
		if n := p.Doc.Find("#hits tr.hit").Length(); n != 2 {
			t.Errorf("no search: %d customers, want both", n)
		}
		w.admin.PageSize = 1
		p = op.Get("/admin/customers?page=2")
		if n := p.Doc.Find("#hits tr.hit").Length(); n != 1 || p.Doc.Find(`a[rel="prev"]`).Length() != 1 || p.Doc.Find(`a[rel="next"]`).Length() != 0 {
			t.Errorf("second page of one: %d rows, prev %d, next %d", n, p.Doc.Find(`a[rel="prev"]`).Length(), p.Doc.Find(`a[rel="next"]`).Length())
		}
	})
}

func TestAdminCustomerPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		op := w.operator()
		p := op.Get(fmt.Sprintf("/admin/customers/%d", w.A.ID))
		if p.Status != http.StatusOK {
			t.Fatalf("customer page: %d", p.Status)
		}
		checks := map[string]bool{
			"name":          p.Doc.Find("#customer-name").Text() == w.A.Name,
			"registration":  p.Doc.Find("#registration").Text() == w.A.Reg,
			"contract":      strings.Contains(p.Doc.Find("#contracts").Text(), w.A.Contract),
			"metering":      strings.Contains(p.Doc.Find("#registers").Text(), w.A.Point),
			"invoice link":  p.Doc.Find(fmt.Sprintf(`#invoices a[href="/admin/invoices/%s"]`, w.A.Invoice)).Length() == 1,
			"portal users":  p.Doc.Find("#users li").Length() == len(sqldb.Roles),
			"contacts":      p.Doc.Find("#contacts li").Length() > 0,
			"audit entries": p.Doc.Find("#audit tr.entry").Length() >= len(sqldb.Roles),
		}
		for what, ok := range checks {
			if !ok {
				t.Errorf("customer page lacks the %s", what)
			}
		}
		for _, s := range []string{w.B.Reg, w.B.Contract, w.B.Invoice, w.B.Point} {
			if strings.Contains(p.Body, s) {
				t.Errorf("A's page shows B's %q", s)
			}
		}
		for _, path := range []string{"/admin/customers/999999", "/admin/customers/x", "/admin/invoices/NOPE-1",
			fmt.Sprintf("/admin/customers/%d/registers/%s/%s", w.A.ID, w.B.Point, w.B.Register)} {
			if p := op.Get(path); p.Status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, p.Status)
			}
		}
	})
}

func TestAdminRunsAndOutbox(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		op := w.operator()
		p := op.Get("/admin/runs")
		if p.Status != http.StatusOK || p.Doc.Find("#jobs tr.job").Length() != min(100, w.count(`SELECT count(*) FROM river_job`)) {
			t.Errorf("runs: %d, %d jobs", p.Status, p.Doc.Find("#jobs tr.job").Length())
		}
		if p.Doc.Find("#issue-days tbody tr").Length() == 0 || !strings.Contains(p.Doc.Find("#issue-days").Text(), "27 Nov 2026") {
			t.Errorf("issue days: %q", p.Doc.Find("#issue-days").Text())
		}
		p = op.Get("/admin/runs?kind=nothing")
		if p.Doc.Find("#jobs tr.job").Length() != 0 {
			t.Error("a kind filter shows other kinds")
		}
	})
}

// TestAdminResendInvalid: a bad address comes back on the invoice page, naming the field.
func TestAdminResendInvalid(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		op := w.operator()
		before := w.count(`SELECT count(*) FROM deliveries`)
		p := op.Post("/admin/invoices/"+w.A.Invoice+"/resend", url.Values{"to": {"not an address"}})
		if p.Status != http.StatusUnprocessableEntity || !strings.HasPrefix(p.Doc.Find("#resend-error").Text(), "to:") {
			t.Errorf("bad address: %d %q", p.Status, p.Doc.Find("#resend-error").Text())
		}
		if p.Doc.Find(`#to[aria-invalid="true"]`).Length() != 1 {
			t.Error("the field is not marked invalid")
		}
		if got := w.count(`SELECT count(*) FROM deliveries`); got != before {
			t.Errorf("a refused resend queued %d e-mails", got-before)
		}
	})
}
