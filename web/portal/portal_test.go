package portal_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
	"github.com/erekins/erekins/web/portal"
)

func TestSignIn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.client()
		p := c.Get("/")
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/signin") {
			t.Fatalf("anonymous overview: %d %s, want a redirect to sign in", p.Status, p.Header.Get("Location"))
		}
		p = c.Get("/signin")
		if p.Doc.Find(`label[for="email"]`).Length() != 1 || p.Doc.Find(`label[for="password"]`).Length() != 1 {
			t.Error("sign-in fields are not labelled")
		}
		if got := p.Doc.Find("html").AttrOr("lang", ""); got != "lv" {
			t.Errorf("default language %q, want lv", got)
		}
		// A wrong password and an unknown address look exactly alike.
		wrong := c.Post("/signin", url.Values{"email": {email("admin")}, "password": {"wrong password!"}})
		unknown := c.Post("/signin", url.Values{"email": {"nobody@a.example.lv"}, "password": {"wrong password!"}})
		if wrong.Status != http.StatusUnauthorized || unknown.Status != wrong.Status {
			t.Errorf("statuses %d and %d, want 401 for both", wrong.Status, unknown.Status)
		}
		if a, b := wrong.Doc.Find(".error").Text(), unknown.Doc.Find(".error").Text(); a == "" || a != b {
			t.Errorf("messages %q and %q, want one message for both", a, b)
		}
		p = c.signIn(strings.ToUpper(email("billing")), password)
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/" {
			t.Fatalf("sign in: %d %s", p.Status, p.Header.Get("Location"))
		}
		cookie := p.Header.Get("Set-Cookie")
		for _, flag := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, flag) {
				t.Errorf("session cookie %q lacks %s", cookie, flag)
			}
		}
		p = c.Get("/")
		if p.Status != http.StatusOK || !strings.Contains(p.Doc.Find(".customer").Text(), w.A.Name) {
			t.Fatalf("overview after sign-in: %d, customer %q", p.Status, p.Doc.Find(".customer").Text())
		}
		if p.Doc.Find("#current-invoice").Length() != 1 {
			t.Error("overview shows no current invoice for the billing role")
		}
		for _, h := range []string{"Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options"} {
			if p.Header.Get(h) == "" {
				t.Errorf("no %s header", h)
			}
		}
		if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
		if p.Doc.Find("script").Length() > 0 || p.Doc.Find("[style]").Length() > 0 {
			t.Error("the page has script or inline style")
		}
		if p := c.Post("/signout", nil); p.Status != http.StatusSeeOther {
			t.Fatalf("sign out: %d", p.Status)
		}
		if p := c.Get("/"); p.Status != http.StatusSeeOther {
			t.Errorf("after sign-out the overview answers %d, want a redirect", p.Status)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.signedIn(email("viewer"))
		w.Advance(w.portal.IdleTimeout - time.Minute)
		if p := c.Get("/"); p.Status != http.StatusOK {
			t.Fatalf("active session ended: %d", p.Status)
		}
		w.Advance(w.portal.IdleTimeout + time.Minute)
		if p := c.Get("/"); p.Status != http.StatusSeeOther {
			t.Errorf("idle session still works: %d", p.Status)
		}
		c = w.signedIn(email("viewer"))
		for range int(w.portal.AbsoluteTimeout/(w.portal.IdleTimeout/2)) + 1 {
			w.Advance(w.portal.IdleTimeout / 2)
			c.Get("/")
		}
		if p := c.Get("/"); p.Status != http.StatusSeeOther {
			t.Errorf("session past its absolute timeout still works: %d", p.Status)
		}
	})
}

func TestSigninRateLimit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.client()
		c.Get("/signin")
		for i := range w.portal.SigninLimit {
			if p := c.Post("/signin", url.Values{"email": {email("admin")}, "password": {"not the password " + strconv.Itoa(i)}}); p.Status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i+1, p.Status)
			}
		}
		p := c.Post("/signin", url.Values{"email": {email("admin")}, "password": {password}})
		if p.Status != http.StatusTooManyRequests || p.Header.Get("Retry-After") == "" {
			t.Fatalf("the right password after %d failures: %d, want 429 with Retry-After", w.portal.SigninLimit, p.Status)
		}
		// An unknown address is limited the same way, so the limit reveals nothing.
		for range w.portal.SigninLimit {
			c.Post("/signin", url.Values{"email": {"ghost@a.example.lv"}, "password": {"whatever it is"}})
		}
		if p := c.Post("/signin", url.Values{"email": {"ghost@a.example.lv"}, "password": {"whatever it is"}}); p.Status != http.StatusTooManyRequests {
			t.Errorf("unknown address not limited: %d", p.Status)
		}
		// Another address from the same client still signs in; the count is in the
		// database, so a second instance on it agrees.
		other, err := portal.New(w.App, nil)
		if err != nil {
			t.Fatal(err)
		}
		other.Now = w.Clock
		n1, _, err := w.App.DB.FailedSignins(context.Background(), email("admin"), "127.0.0.1", w.Clock().Add(-other.SigninWindow))
		if err != nil || n1 < other.SigninLimit {
			t.Errorf("failures in the database: %d, %v", n1, err)
		}
		if p := c.signIn(email("viewer"), password); p.Status != http.StatusSeeOther {
			t.Errorf("another address: %d", p.Status)
		}
		w.Advance(w.portal.SigninWindow + time.Minute)
		c2 := w.client()
		if p := c2.signIn(email("admin"), password); p.Status != http.StatusSeeOther {
			t.Errorf("after the window: %d", p.Status)
		}
	})
}

// route is one portal route for the permission matrix; path gets the customer's ids.
type route struct {
	method string
	path   func(customerIDs) string
	perm   string
	form   url.Values
	ok     int // the status for a permitted role on its own customer's ids
}

func routes() []route {
	return []route{
		{"GET", func(customerIDs) string { return "/" }, "", nil, 200},
		{"GET", func(customerIDs) string { return "/invoices" }, "invoices", nil, 200},
		{"GET", func(c customerIDs) string { return "/invoices/" + c.Invoice + "/pdf" }, "invoices", nil, 200},
		{"GET", func(c customerIDs) string { return "/invoices/" + c.Invoice + "/xml" }, "invoices", nil, 200},
		{"GET", func(c customerIDs) string { return "/invoices/" + c.Invoice + "/csv" }, "invoices", nil, 200},
		{"GET", func(c customerIDs) string { return "/invoices/zip?number=" + c.Invoice + "&format=pdf&format=xml" }, "invoices", nil, 200},
		{"GET", func(c customerIDs) string { return "/invoices/export?format=csv&contract=" + c.Contract }, "invoices", nil, 200},
		{"GET", func(c customerIDs) string { return "/invoices/export?format=xlsx&contract=" + c.Contract }, "invoices", nil, 200},
		{"GET", func(c customerIDs) string { return "/invoices/zip?all=1&format=pdf&status=open&contract=" + c.Contract }, "invoices", nil, 200},
		{"GET", func(customerIDs) string { return "/readings" }, "readings", nil, 200},
		{"GET", func(c customerIDs) string { return "/readings/" + c.Point + "/" + c.Register }, "readings", nil, 200},
		{"POST", func(c customerIDs) string { return "/readings/" + c.Point + "/" + c.Register }, "readings.submit", url.Values{"date": {"2026-11-28"}, "value": {"not a number"}}, 422},
		{"GET", func(customerIDs) string { return "/readings/upload" }, "readings.submit", nil, 200},
		{"GET", func(customerIDs) string { return "/readings/template.csv" }, "readings.submit", nil, 200},
		{"POST", func(customerIDs) string { return "/readings/upload" }, "readings.submit", url.Values{"file": {"not a file"}}, 422},
		{"POST", func(customerIDs) string { return "/readings/upload/commit" }, "readings.submit", url.Values{"rows": {"2;MP-1;T1;2026-11-28;1;false;"}, "mac": {"0"}}, 422},
		{"GET", func(customerIDs) string { return "/contacts" }, "contacts", nil, 200},
		{"POST", func(customerIDs) string { return "/contacts" }, "contacts.edit", url.Values{"name0": {"Ann"}, "email0": {"not an address"}}, 422},
		{"GET", func(c customerIDs) string { return "/invoices/" + c.Invoice }, "invoices", nil, 200},
		{"GET", func(customerIDs) string { return "/einvoice" }, "einvoice", nil, 200},
		{"GET", func(c customerIDs) string { return "/einvoice/" + c.Contract }, "einvoice", nil, 200},
		{"POST", func(c customerIDs) string { return "/einvoice/" + c.Contract }, "einvoice.edit", url.Values{"method": {"e-invoice"}, "recipient0": {"not an address"}}, 422},
		{"GET", func(customerIDs) string { return "/users" }, "users", nil, 200},
		{"POST", func(customerIDs) string { return "/users/invite" }, "users", url.Values{"email": {"not an address"}, "role": {"viewer"}}, 422},
		// The admin's own role again: nothing changes.
		{"POST", func(c customerIDs) string { return "/users/" + c.Admin + "/role" }, "users", url.Values{"role": {"admin"}}, 303},
		// Removing the only admin is refused as a conflict.
		{"POST", func(c customerIDs) string { return "/users/" + c.Admin + "/remove" }, "users", nil, 409},
		{"GET", func(customerIDs) string { return "/tokens" }, "tokens", nil, 200},
		{"POST", func(customerIDs) string { return "/tokens" }, "tokens", url.Values{"name": {""}, "role": {"viewer"}}, 422},
		// No token has id 0; another customer's token id is in TestTokens.
		{"POST", func(customerIDs) string { return "/tokens/0/revoke" }, "tokens", nil, 404},
		{"GET", func(customerIDs) string { return "/profile" }, "", nil, 200},
		{"POST", func(customerIDs) string { return "/profile" }, "", url.Values{"name": {""}, "language": {"lv"}}, 422},
		{"POST", func(customerIDs) string { return "/profile/password" }, "", url.Values{"current": {"x"}, "password": {"short"}, "password2": {"short"}}, 422},
	}
}

// TestPermissionMatrix runs every route for every role at customer A with A's ids and with
// B's, and for B's admin with A's: a role without the permission gets 403, another
// customer's ids 404, and no response carries the other customer's data.
func TestPermissionMatrix(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		type who struct {
			addr, role  string
			own, others customerIDs
		}
		var people []who
		for _, r := range sqldb.Roles {
			people = append(people, who{email(r), r, w.A, w.B})
		}
		people = append(people, who{otherEmail, sqldb.RoleAdmin, w.B, w.A})
		for _, p := range people {
			c := w.signedIn(p.addr)
			for _, rt := range routes() {
				for _, target := range []struct {
					ids     customerIDs
					foreign bool
				}{{p.own, false}, {p.others, true}} {
					path := rt.path(target.ids)
					if rt.path(p.own) == rt.path(p.others) && target.foreign {
						continue // no id in the route
					}
					var res page
					if rt.method == "GET" {
						res = c.Get(path)
					} else {
						res = c.Post(path, cloneForm(rt.form))
						c.Get("/") // a fresh token for the next form
					}
					want := rt.ok
					switch {
					case !portal.Can(p.role, rt.perm):
						want = http.StatusForbidden
					case target.foreign:
						want = http.StatusNotFound
					}
					if res.Status != want {
						t.Errorf("%s %s %s: %d, want %d", p.addr, rt.method, path, res.Status, want)
					}
					leaks := []string{p.others.Name, p.others.Point, p.others.Invoice, p.others.Contract}
					if res.Doc != nil {
						leaks = append(leaks, p.others.Reg) // documents carry the supplier's number, which datagen shares
					}
					for _, leak := range leaks {
						if strings.Contains(res.Body, leak) || strings.Contains(res.Body, template(leak)) {
							t.Errorf("%s %s %s: the response holds %q of the other customer", p.addr, rt.method, path, leak)
						}
					}
				}
			}
		}
		// Switching to a customer one is not a member of is not found.
		c := w.signedIn(email("admin"))
		var bID int64
		w.App.DB.QueryRow(w.App.DB.Q(`SELECT id FROM customers WHERE registration_number = ?`), w.B.Reg).Scan(&bID)
		if res := c.Post("/customer", url.Values{"customer": {strconv.FormatInt(bID, 10)}}); res.Status != http.StatusNotFound {
			t.Errorf("switch to a foreign customer: %d, want 404", res.Status)
		}
		// Anonymous requests see nothing.
		anon := w.client()
		for _, rt := range routes() {
			var res page
			if rt.method == "GET" {
				res = anon.Get(rt.path(w.A))
			} else {
				res = anon.Post(rt.path(w.A), cloneForm(rt.form))
			}
			if res.Status != http.StatusSeeOther && res.Status != http.StatusForbidden {
				t.Errorf("anonymous %s %s: %d", rt.method, rt.path(w.A), res.Status)
			}
		}
	})
}

// template is s as html/template escapes it, so a leak is found in either form.
func template(s string) string {
	return strings.NewReplacer(`"`, "&#34;", "&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&#39;").Replace(s)
}

func cloneForm(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// TestCSRF checks that every state-changing route refuses a missing or wrong token, and
// changes nothing.
func TestCSRF(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		posts := []struct {
			path string
			form url.Values
		}{
			{"/readings/" + w.A.Point + "/" + w.A.Register, url.Values{"date": {"2026-11-28"}, "value": {"999999"}, "confirm": {"yes"}}},
			{"/readings/upload", url.Values{"file": {w.A.Point + ";" + w.A.Register + ";28.11.2026;999999;jā"}}},
			{"/readings/upload/commit", url.Values{"rows": {"2;" + w.A.Point + ";" + w.A.Register + ";2026-11-28;999999;true;"}, "mac": {"0"}}},
			{"/contacts", url.Values{"name0": {"Mallory"}, "email0": {"mallory@evil.example"}}},
			{"/einvoice/" + w.A.Contract, url.Values{"method": {"e-invoice"}, "recipient0": {"mallory@evil.example"}}},
			{"/users/invite", url.Values{"email": {"mallory@evil.example"}, "role": {"admin"}}},
			{"/users/" + w.A.Admin + "/role", url.Values{"role": {"viewer"}}},
			{"/users/" + w.A.Admin + "/remove", nil},
			{"/tokens", url.Values{"name": {"Mallory"}, "role": {"admin"}}},
			{"/tokens/1/revoke", nil},
			{"/password/forgot", url.Values{"email": {email("admin")}}},
			{"/password/reset/some-token", url.Values{"password": {"mallory's password"}, "password2": {"mallory's password"}}},
			{"/invitation/some-token", url.Values{"name": {"Mallory"}, "password": {"mallory's password"}, "password2": {"mallory's password"}}},
			{"/customer", url.Values{"customer": {"1"}}},
			{"/language", url.Values{"lang": {"en"}}},
			{"/signout", nil},
			{"/signin", url.Values{"email": {email("admin")}, "password": {password}}},
			{"/signin/code", url.Values{"code": {"123456"}}},
			{"/profile", url.Values{"name": {"Mallory"}, "language": {"en"}}},
			{"/profile/password", url.Values{"current": {password}, "password": {"mallory's password"}, "password2": {"mallory's password"}}},
			{"/profile/2fa/setup", nil},
			{"/profile/2fa/enable", url.Values{"code": {"123456"}}},
			{"/profile/2fa/recovery", url.Values{"code": {"123456"}}},
			{"/profile/2fa/disable", url.Values{"password": {password}, "code": {"123456"}}},
		}
		c := w.signedIn(email("admin"))
		for _, p := range posts {
			for _, token := range []string{"", "wrong-token"} {
				f := cloneForm(p.form)
				f["csrf"] = []string{token}
				if token == "" {
					f.Del("csrf")
					f["csrf"] = []string{""}
				}
				res := c.Post(p.path, f)
				if res.Status != http.StatusForbidden {
					t.Errorf("POST %s with token %q: %d, want 403", p.path, token, res.Status)
				}
			}
		}
		// Still signed in, nothing stored.
		if res := c.Get("/contacts"); res.Status != http.StatusOK || strings.Contains(res.Body, "Mallory") {
			t.Errorf("contacts after forged posts: %d", res.Status)
		}
		if res := c.Get("/readings/" + w.A.Point + "/" + w.A.Register); strings.Contains(res.Body, "999") && res.Doc.Find("#history td:contains('999')").Length() > 0 {
			t.Error("a forged reading was stored")
		}
		if cs, err := w.App.Deliveries.ContractSettings(context.Background(), w.A.Contract); err != nil || slices.Contains(cs.Settings.Recipients, "mallory@evil.example") {
			t.Errorf("forged e-invoice sign-up stored: %v %v", cs.Settings, err)
		}
		// A token of another session is wrong too.
		other := w.signedIn(email("billing"))
		if res := c.Post("/contacts", url.Values{"csrf": {other.CSRF}, "name0": {"Mallory"}, "email0": {"m@evil.example"}}); res.Status != http.StatusForbidden {
			t.Errorf("another session's token: %d", res.Status)
		}
	})
}

func TestReadings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.signedIn(email("readings"))
		path := "/readings/" + w.A.Point + "/" + w.A.Register
		p := c.Get(path)
		prev := p.Doc.Find("#previous").Text()
		if prev == "" || prev == "—" {
			t.Fatalf("no previous reading shown: %q", prev)
		}
		if p.Doc.Find(`label[for="value"]`).Length() != 1 || p.Doc.Find(`label[for="date"]`).Length() != 1 {
			t.Error("reading fields are not labelled")
		}
		st, err := w.App.DB.RegisterState(context.Background(), billing.RegisterKey{MeteringPoint: w.A.Point, Register: w.A.Register})
		if err != nil {
			t.Fatal(err)
		}
		last := st.History.Readings[len(st.History.Readings)-1].Value
		// Lower than the previous: the rule's message, in Latvian.
		p = c.Post(path, url.Values{"date": {"2026-11-28"}, "value": {"1"}})
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Doc.Find("#reading-error").Text(), "mazāks par pēdējo faktisko rādījumu") {
			t.Errorf("lower reading: %d %q", p.Status, p.Doc.Find("#reading-error").Text())
		}
		// Far above the usual month: asks to confirm, then takes it.
		most := decimal.NewFromInt(1)
		for _, m := range st.History.MonthlyConsumption(calendar.MustDate("2026-11-27")) {
			most = decimal.Max(most, m)
		}
		huge := last.Add(most.Mul(decimal.NewFromInt(10)).Div(decimal.NewFromInt(int64(st.Multiplier)))).Ceil()
		if huge.GreaterThanOrEqual(billing.RegisterRange(st.Digits)) {
			t.Skipf("register of %d digits too small for the implausible case", st.Digits)
		}
		p = c.Post(path, url.Values{"date": {"2026-11-28"}, "value": {huge.String()}})
		if p.Status != http.StatusUnprocessableEntity || p.Doc.Find("#confirm").Length() != 1 {
			t.Fatalf("implausible reading: %d, confirm box %d, error %q", p.Status, p.Doc.Find("#confirm").Length(), p.Doc.Find("#reading-error").Text())
		}
		p = c.Post(path, url.Values{"date": {"2026-11-28"}, "value": {huge.String()}, "confirm": {"yes"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("confirmed reading: %d %q", p.Status, p.Doc.Find("#reading-error").Text())
		}
		p = c.Get(p.Header.Get("Location"))
		if p.Doc.Find("#saved").Length() != 1 || p.Doc.Find("#history tbody tr").Length() == 0 {
			t.Error("no confirmation or history after submitting")
		}
		got, _ := w.App.DB.Readings(context.Background(), billing.RegisterKey{MeteringPoint: w.A.Point, Register: w.A.Register})
		if r := got[len(got)-1]; r.Source != billing.SourcePortal || r.SubmittedBy != email("readings") || !r.Confirmed {
			t.Errorf("stored %+v", r)
		}
		// The overview no longer lists this register as due.
		if p := c.Get("/"); strings.Contains(p.Doc.Find("#readings-due").Text(), w.A.Point+" · ") && p.Doc.Find(`#readings-due a[href="`+path+`"]`).Length() > 0 {
			t.Error("the submitted register is still due")
		}
	})
}

func TestContacts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.signedIn(email("billing"))
		p := c.Get("/contacts")
		if p.Doc.Find(`label[for="email0"]`).Length() != 1 {
			t.Fatal("no contact form for the billing role")
		}
		p = c.Post("/contacts", url.Values{"name0": {"Anna Bērziņa"}, "email0": {"anna@"}, "phone0": {"+371 2000"}})
		if p.Status != http.StatusUnprocessableEntity || p.Doc.Find("#email0-err").Length() != 1 || p.Doc.Find(`#email0[aria-invalid="true"]`).Length() != 1 {
			t.Errorf("invalid e-mail: %d", p.Status)
		}
		p = c.Post("/contacts", url.Values{"name0": {"Anna Bērziņa"}, "email0": {"anna@alfa.example.lv"}, "phone0": {"+371 20000000"}, "role0": {"grāmatvede"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("save: %d", p.Status)
		}
		p = c.Get(p.Header.Get("Location"))
		if p.Doc.Find("#saved").Length() != 1 || p.Doc.Find("#name0").AttrOr("value", "") != "Anna Bērziņa" {
			t.Error("saved contact not shown")
		}
		if h := p.Doc.Find("#contact-history li").First().Text(); !strings.Contains(h, email("billing")) || !strings.Contains(h, "anna@alfa.example.lv") {
			t.Errorf("history %q", h)
		}
		v := w.signedIn(email("viewer"))
		if p := v.Get("/contacts"); p.Doc.Find("form[action='/contacts']").Length() != 0 || !strings.Contains(p.Doc.Find("#contacts").Text(), "Anna Bērziņa") {
			t.Error("viewer: a form, or no contacts")
		}
	})
}

func TestInvoices(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.signedIn(email("viewer"))
		p := c.Get("/invoices")
		rows := p.Doc.Find("#invoices tbody tr")
		if rows.Length() == 0 {
			t.Fatal("no invoices listed")
		}
		if p := c.Get("/invoices?type=credit_note"); p.Doc.Find("#invoices tbody tr").Length() != 0 {
			t.Error("credit note filter lists invoices")
		}
		if p := c.Get("/invoices?from=2030-01"); p.Doc.Find("#invoices tbody tr").Length() != 0 {
			t.Error("a future period lists invoices")
		}
		doc, err := w.App.DB.Document(context.Background(), w.A.Invoice, billing.FormatPDF)
		if err != nil {
			t.Fatal(err)
		}
		p = c.Get("/invoices/" + w.A.Invoice + "/pdf")
		if p.Status != 200 || p.Body != string(doc.Content) || p.Header.Get("ETag") != `"`+doc.SHA256+`"` {
			t.Fatalf("pdf: %d, %d bytes, etag %s", p.Status, len(p.Body), p.Header.Get("ETag"))
		}
		req, _ := http.NewRequest("GET", w.Srv.URL+"/invoices/"+w.A.Invoice+"/pdf", nil)
		req.Header.Set("If-None-Match", `"`+doc.SHA256+`"`)
		if p := c.Do(req); p.Status != http.StatusNotModified {
			t.Errorf("conditional download: %d", p.Status)
		}
		p = c.Get("/invoices/zip?number=" + w.A.Invoice + "&format=pdf&format=csv")
		zr, err := zip.NewReader(bytes.NewReader([]byte(p.Body)), int64(len(p.Body)))
		if err != nil || len(zr.File) != 2 {
			t.Fatalf("zip: %v, %d files", err, len(zr.File))
		}
		if p := c.Get("/invoices/zip?number=" + w.A.Invoice + "&number=" + w.B.Invoice); p.Status != http.StatusNotFound {
			t.Errorf("zip with a foreign number: %d", p.Status)
		}

		// The filtered archive as one CSV: a header, then one row per line of each invoice.
		p = c.Get("/invoices/export?format=csv")
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.Body, "\ufeff")))
		r.Comma = ';'
		records, err := r.ReadAll()
		if p.Status != 200 || err != nil || len(records) < 2 || records[0][0] != "invoice_number" {
			t.Fatalf("export: %d, %v, %d records", p.Status, err, len(records))
		}
		seen := false
		for _, rec := range records[1:] {
			seen = seen || rec[0] == w.A.Invoice
			if rec[0] == w.B.Invoice {
				t.Errorf("the export holds the other customer's invoice %s", rec[0])
			}
		}
		if !seen {
			t.Errorf("the export lacks %s", w.A.Invoice)
		}
		if p := c.Get("/invoices/export?format=xlsx"); p.Status != 200 || !strings.HasPrefix(p.Body, "PK") {
			t.Errorf("xlsx export: %d", p.Status)
		}
		if p := c.Get("/invoices/export?format=pdf"); p.Status != http.StatusBadRequest && p.Status != http.StatusUnprocessableEntity {
			t.Errorf("export as pdf: %d, want a clear refusal", p.Status)
		}
	})
}

func TestLanguage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.signedIn(email("admin"))
		if p := c.Post("/language", url.Values{"lang": {"en"}, "next": {"/invoices"}}); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/invoices" {
			t.Fatalf("switch: %d %s", p.Status, p.Header.Get("Location"))
		}
		p := c.Get("/invoices")
		if p.Doc.Find("html").AttrOr("lang", "") != "en" || p.Doc.Find("h1").Text() != "Contracts and invoices" {
			t.Errorf("after switching: lang %q, h1 %q", p.Doc.Find("html").AttrOr("lang", ""), p.Doc.Find("h1").Text())
		}
		if p := c.Post("/language", url.Values{"lang": {"en"}, "next": {"//evil.example/"}}); p.Header.Get("Location") != "/" {
			t.Errorf("open redirect to %s", p.Header.Get("Location"))
		}
		c.Post("/signout", nil)
		if p := c.Get("/signin"); p.Doc.Find("h1").Text() != "Sign in to the portal" {
			t.Errorf("language not remembered after sign-out: %q", p.Doc.Find("h1").Text())
		}
	})
}

func TestSwitchCustomer(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		w.AddUser(email("viewer"), w.B.Reg, sqldb.RoleViewer)
		c := w.signedIn(email("viewer"))
		opts := c.Get("/").Doc.Find("#customer option")
		if opts.Length() != 2 {
			t.Fatalf("%d customers in the switcher, want 2", opts.Length())
		}
		var bID string
		opts.Each(func(_ int, s *goquery.Selection) {
			if strings.Contains(s.Text(), w.B.Name) {
				bID = s.AttrOr("value", "")
			}
		})
		if p := c.Post("/customer", url.Values{"customer": {bID}}); p.Status != http.StatusSeeOther {
			t.Fatalf("switch: %d", p.Status)
		}
		if p := c.Get("/invoices/" + w.B.Invoice + "/pdf"); p.Status != 200 {
			t.Errorf("B's invoice after switching: %d", p.Status)
		}
		if p := c.Get("/invoices/" + w.A.Invoice + "/pdf"); p.Status != 404 {
			t.Errorf("A's invoice while acting for B: %d", p.Status)
		}
	})
}
