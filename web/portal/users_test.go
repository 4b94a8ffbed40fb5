package portal_test

import (
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
	"github.com/erekins/erekins/web/portal"
)

// mailTo returns the text of the newest outbox message to addr, and its subject.
func (w *world) mailTo(addr string) (subject, body string) {
	w.T.Helper()
	w.portal.WaitMail()
	ctx := context.Background()
	list, err := w.App.Deliveries.Outbox(ctx, 0)
	if err != nil {
		w.T.Fatal(err)
	}
	for _, m := range list {
		if m.To != addr {
			continue
		}
		full, err := w.App.Deliveries.OutboxMessage(ctx, m.ID)
		if err != nil {
			w.T.Fatal(err)
		}
		msg, err := mail.ReadMessage(strings.NewReader(string(full.Raw)))
		if err != nil {
			w.T.Fatal(err)
		}
		dec := new(mime.WordDecoder)
		subject, _ = dec.DecodeHeader(msg.Header.Get("Subject"))
		return subject, textPart(w.T, msg.Header, msg.Body)
	}
	return "", ""
}

type header interface{ Get(string) string }

func textPart(t *testing.T, h header, body io.Reader) string {
	t.Helper()
	mt, params, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return ""
			}
			if s := textPart(t, p.Header, p); s != "" {
				return s
			}
		}
	}
	if mt != "text/plain" {
		return ""
	}
	if strings.EqualFold(h.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, _ := io.ReadAll(body)
	return string(b)
}

var linkRE = regexp.MustCompile(`/(invitation|password/reset)/[A-Za-z0-9_-]+`)

func TestUsers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		c := w.signedIn(email("admin"))
		p := c.Get("/users")
		if p.Doc.Find("#users tbody tr").Length() != len(sqldb.Roles) {
			t.Fatalf("%d users listed, want %d", p.Doc.Find("#users tbody tr").Length(), len(sqldb.Roles))
		}
		if p := c.Post("/users/invite", url.Values{"email": {email("viewer")}, "role": {"billing"}}); p.Status != http.StatusUnprocessableEntity ||
			p.Doc.Find("#invite-email-err").Length() != 1 {
			t.Errorf("inviting a member: %d", p.Status)
		}
		p = c.Post("/users/invite", url.Values{"email": {"New.Person@Alfa.example.lv"}, "role": {"billing"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("invite: %d %s", p.Status, p.Doc.Find(".error, .field-error").Text())
		}
		p = c.Get(p.Header.Get("Location"))
		if p.Doc.Find("#done").Length() != 1 || !strings.Contains(p.Doc.Find("#pending").Text(), "new.person@alfa.example.lv") {
			t.Error("pending invitation not listed")
		}
		subject, body := w.mailTo("new.person@alfa.example.lv")
		link := linkRE.FindString(body)
		if !strings.Contains(subject, w.A.Name) || link == "" || !strings.Contains(body, "Test admin") {
			t.Fatalf("invitation e-mail %q: %q", subject, body)
		}
		// The invitee sets a password and is signed in at A with the role.
		inv := w.client()
		p = inv.Get(link)
		if p.Status != 200 || !strings.Contains(p.Doc.Find("#invitation").Text(), w.A.Name) {
			t.Fatalf("invitation page: %d", p.Status)
		}
		if p := inv.Post(link, url.Values{"name": {"Nora Jauna"}, "password": {"short"}, "password2": {"short"}}); p.Status != http.StatusUnprocessableEntity ||
			p.Doc.Find("#password-err").Length() != 1 {
			t.Errorf("short password: %d", p.Status)
		}
		if p := inv.Post(link, url.Values{"name": {"Nora Jauna"}, "password": {password}, "password2": {password}}); p.Status != http.StatusSeeOther {
			t.Fatalf("accept: %d", p.Status)
		}
		if p := inv.Get("/"); p.Status != 200 || !strings.Contains(p.Doc.Find(".who").Text(), "Nora Jauna") {
			t.Errorf("after accepting: %d %q", p.Status, p.Doc.Find(".who").Text())
		}
		if p := inv.Get("/einvoice"); p.Status != 200 {
			t.Errorf("billing role not given: %d", p.Status)
		}
		// The link works once.
		if p := w.client().Get(link); p.Status != http.StatusNotFound || p.Doc.Find("#link-gone").Length() != 1 {
			t.Errorf("used link: %d", p.Status)
		}
		// An expired link is gone too.
		c.Get("/users")
		c.Post("/users/invite", url.Values{"email": {"late@alfa.example.lv"}, "role": {"viewer"}})
		_, body = w.mailTo("late@alfa.example.lv")
		w.Advance(portal.InvitationTTL + time.Minute)
		c = w.signedIn(email("admin"))
		if p := w.client().Get(linkRE.FindString(body)); p.Status != http.StatusNotFound {
			t.Errorf("expired link: %d", p.Status)
		}
		// Change the newcomer's role, then remove them; both audited.
		u, err := w.App.DB.PortalUserByEmail(ctx, "new.person@alfa.example.lv")
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(u.ID, 10)
		if p := c.Post("/users/"+id+"/role", url.Values{"role": {"viewer"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("role: %d", p.Status)
		}
		if p := c.Get("/users"); p.Doc.Find("#role-"+id+" option[selected]").AttrOr("value", "") != "viewer" {
			t.Error("role not changed")
		}
		if p := inv.Get("/einvoice/" + w.A.Contract); p.Doc.Find("form[action='/einvoice/"+w.A.Contract+"']").Length() != 0 {
			t.Error("a viewer still gets the e-invoice form")
		}
		if p := c.Post("/users/"+id+"/remove", nil); p.Status != http.StatusSeeOther {
			t.Fatalf("remove: %d", p.Status)
		}
		if p := inv.Get("/"); p.Status != http.StatusSeeOther {
			t.Errorf("a removed user's session still works: %d", p.Status)
		}
		audit, _ := w.App.DB.AuditLog(ctx, "portal_user", "new.person@alfa.example.lv")
		var actions []string
		for _, a := range audit {
			actions = append(actions, a.Action)
		}
		if strings.Join(actions, " ") != "user.invite user.accept user.role user.remove" {
			t.Errorf("audit %v", actions)
		}
		if h := c.Get("/users").Doc.Find("#users-history").Text(); !strings.Contains(h, "new.person@alfa.example.lv") {
			t.Errorf("history %q", h)
		}
		// The last admin stays.
		admin, _ := w.App.DB.PortalUserByEmail(ctx, email("admin"))
		if p := c.Post("/users/"+strconv.FormatInt(admin.ID, 10)+"/role", url.Values{"role": {"viewer"}}); p.Status != http.StatusConflict ||
			p.Doc.Find("#users-error").Length() != 1 {
			t.Errorf("demoting the last admin: %d", p.Status)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		old := w.signedIn(email("viewer"))
		c := w.client()
		c.Get("/password/forgot")
		known := c.Post("/password/forgot", url.Values{"email": {strings.ToUpper(email("viewer"))}})
		unknown := c.Post("/password/forgot", url.Values{"email": {"nobody@a.example.lv"}})
		norm := func(s string) string { return strings.ReplaceAll(s, email("viewer"), "X") }
		if known.Status != 200 || unknown.Status != 200 ||
			norm(known.Doc.Find("#sent").Text()) != strings.ReplaceAll(unknown.Doc.Find("#sent").Text(), "nobody@a.example.lv", "X") {
			t.Errorf("known and unknown addresses answered differently: %d %q / %d %q", known.Status, known.Doc.Find("#sent").Text(),
				unknown.Status, unknown.Doc.Find("#sent").Text())
		}
		if s, _ := w.mailTo("nobody@a.example.lv"); s != "" {
			t.Error("a message went to an unknown address")
		}
		_, body := w.mailTo(email("viewer"))
		link := linkRE.FindString(body)
		if link == "" {
			t.Fatalf("no link in %q", body)
		}
		p := c.Get(link)
		if p.Status != 200 || p.Doc.Find(`label[for="password"]`).Length() != 1 {
			t.Fatalf("reset page: %d", p.Status)
		}
		if p := c.Post(link, url.Values{"password": {"a new long password"}, "password2": {"another one entirely"}}); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("mismatch: %d", p.Status)
		}
		if p := c.Post(link, url.Values{"password": {"a new long password"}, "password2": {"a new long password"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("reset: %d", p.Status)
		}
		if p := c.Get("/"); p.Status != 200 {
			t.Errorf("not signed in after the reset: %d", p.Status)
		}
		if p := old.Get("/"); p.Status != http.StatusSeeOther {
			t.Errorf("an older session survived the reset: %d", p.Status)
		}
		if p := w.client().Get(link); p.Status != http.StatusNotFound {
			t.Errorf("the link works twice: %d", p.Status)
		}
		if p := w.client().signIn(email("viewer"), password); p.Status != http.StatusUnauthorized {
			t.Errorf("the old password still works: %d", p.Status)
		}
		if p := w.client().signIn(email("viewer"), "a new long password"); p.Status != http.StatusSeeOther {
			t.Errorf("the new password does not work: %d", p.Status)
		}
		// Expired links, and the limit per hour.
		for range portal.ResetLimit + 2 {
			c.Get("/password/forgot")
			c.Post("/password/forgot", url.Values{"email": {email("billing")}})
		}
		w.portal.WaitMail()
		list, _ := w.App.Deliveries.Outbox(context.Background(), 0)
		n := 0
		for _, m := range list {
			if m.To == email("billing") {
				n++
			}
		}
		if n != portal.ResetLimit {
			t.Errorf("%d reset e-mails, want %d", n, portal.ResetLimit)
		}
		_, body = w.mailTo(email("billing"))
		w.Advance(portal.ResetTTL + time.Minute)
		if p := w.client().Get(linkRE.FindString(body)); p.Status != http.StatusNotFound {
			t.Errorf("expired link: %d", p.Status)
		}
	})
}

// TestPasswordResetClientLimit: one client address may ask for ResetLimitIP links within
// the window, whatever the addresses, and is then refused without a word about them; its
// sign-ins are not affected, and the window passing lifts the limit.
func TestPasswordResetClientLimit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.client()
		ask := func(addr string) page {
			c.Get("/password/forgot")
			return c.Post("/password/forgot", url.Values{"email": {addr}})
		}
		for i := range portal.ResetLimitIP {
			if p := ask(fmt.Sprintf("someone%d@a.example.lv", i)); p.Status != http.StatusOK {
				t.Fatalf("request %d: %d", i+1, p.Status)
			}
		}
		p := ask(email("viewer"))
		if p.Status != http.StatusTooManyRequests || p.Doc.Find("#forgot-error").Length() != 1 {
			t.Fatalf("request %d: %d, want 429 with the message", portal.ResetLimitIP+1, p.Status)
		}
		w.portal.WaitMail()
		if s, _ := w.mailTo(email("viewer")); s != "" {
			t.Error("a link went out past the limit")
		}
		if p := w.client().signIn(email("viewer"), password); p.Status != http.StatusSeeOther {
			t.Errorf("sign-in from the same client after reset requests: %d", p.Status)
		}
		w.Advance(15*time.Minute + time.Second)
		if p := ask(email("viewer")); p.Status != http.StatusOK {
			t.Errorf("after the window: %d", p.Status)
		}
	})
}
