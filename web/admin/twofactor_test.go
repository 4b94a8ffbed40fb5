package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/erekins/erekins/delivery/mailer"
	"github.com/erekins/erekins/delivery/smtptest"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
	"github.com/erekins/erekins/web/portal"
)

// enable2FA switches the portal user's second factor on through the portal's profile and
// returns the user's signed-in client.
func (w *world) enable2FA(role string) *client {
	w.T.Helper()
	c := w.portalUser(role)
	c.Get("/profile")
	c.Post("/profile/2fa/setup", nil)
	secret := strings.ReplaceAll(c.Get("/profile/2fa").Doc.Find("#totp-secret").Text(), " ", "")
	code, err := totp.GenerateCode(secret, w.Clock())
	if err != nil {
		w.T.Fatal(err)
	}
	if p := c.Post("/profile/2fa/enable", url.Values{"code": {code}}); p.Status != http.StatusOK {
		w.T.Fatalf("enable the second factor of %s: %d", role, p.Status)
	}
	return c
}

// TestAdminSwitchOffSecondFactor: the customer page offers the action for users with the
// second factor on; the confirmation page explains it; a reason is required; portal users
// and another customer's path cannot reach it; done, the key, recovery codes and sessions
// are gone in one audited change, the user signs in with the password alone and is told
// by e-mail in the user's language — and a notice that cannot be sent does not undo it.
func TestAdminSwitchOffSecondFactor(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		id := func(role string) int {
			return w.count(`SELECT id FROM portal_users WHERE email = ?`, role+"@a.example.lv")
		}
		viewer := w.enable2FA("viewer")
		w.enable2FA("billing")
		if _, err := w.App.DB.ExecContext(ctx, w.App.DB.Q(`UPDATE portal_users SET language = 'en' WHERE email = ?`), "viewer@a.example.lv"); err != nil {
			t.Fatal(err)
		}
		path := func(customer int64, role string) string {
			return fmt.Sprintf("/admin/customers/%d/users/%d/second-factor", customer, id(role))
		}
		on := func(role string) int {
			return w.count(`SELECT count(*) FROM portal_totp WHERE user_id = ? AND enabled_at IS NOT NULL`, id(role))
		}

		op := w.operator()
		p := op.Get(fmt.Sprintf("/admin/customers/%d", w.A.ID))
		links := p.Doc.Find("#users a.twofactor-off")
		if links.Length() != 2 || links.First().AttrOr("href", "") != path(w.A.ID, "billing") {
			t.Errorf("customer page: %d switch-off links, first %q; want billing's and viewer's", links.Length(), links.First().AttrOr("href", ""))
		}
		p = op.Get(path(w.A.ID, "viewer"))
		if p.Status != http.StatusOK || !strings.Contains(p.Doc.Find("#warning").Text(), "verified the person's identity by other means") ||
			p.Doc.Find(`#twofactor-off input[name="csrf"]`).Length() != 1 || p.Doc.Find(`#twofactor-off #reason[required]`).Length() != 1 ||
			p.Doc.Find(`label[for="reason"]`).Length() != 1 {
			t.Fatalf("confirmation page: %d %q", p.Status, p.Doc.Find("#warning").Text())
		}

		// Refused: no reason (422, on the page); a portal user, even the customer's admin
		// with the portal's token (403); the user under another customer (404).
		audits := w.count(`SELECT count(*) FROM audit_log`)
		if p := op.Post(path(w.A.ID, "viewer"), url.Values{"reason": {"   "}}); p.Status != http.StatusUnprocessableEntity ||
			p.Doc.Find(`#reason-error`).Length() != 1 || p.Doc.Find(`#reason[aria-invalid="true"]`).Length() != 1 {
			t.Errorf("no reason: %d", p.Status)
		}
		admin := w.portalUser("admin")
		admin.Get("/profile")
		for _, who := range []*client{admin, viewer} {
			if p := who.Post(path(w.A.ID, "viewer"), url.Values{"reason": {"I lost my phone"}}); p.Status != http.StatusForbidden {
				t.Errorf("a portal user posts: %d, want 403", p.Status)
			}
			if p := who.Get(path(w.A.ID, "viewer")); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/admin/signin") {
				t.Errorf("a portal user opens the page: %d", p.Status)
			}
		}
		for _, pth := range []string{path(w.B.ID, "viewer"), fmt.Sprintf("/admin/customers/%d/users/999999/second-factor", w.A.ID)} {
			if p := op.Get(pth); p.Status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", pth, p.Status)
			}
			op.Get(path(w.A.ID, "viewer"))
			if p := op.Post(pth, url.Values{"reason": {"called back"}}); p.Status != http.StatusNotFound {
				t.Errorf("POST %s: %d, want 404", pth, p.Status)
			}
		}
		if on("viewer") != 1 || w.count(`SELECT count(*) FROM audit_log`) != audits {
			t.Fatal("a refused request changed something")
		}

		// Done: everything goes, the user is told in English, and signs in on the password.
		op.Get(path(w.A.ID, "viewer"))
		p = op.Post(path(w.A.ID, "viewer"), url.Values{"reason": {"called back on the phone number on file"}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != path(w.A.ID, "viewer")+"?done=sent" {
			t.Fatalf("switch off: %d %q", p.Status, p.Header.Get("Location"))
		}
		if p := op.Get(p.Header.Get("Location")); !strings.Contains(p.Doc.Find("#done").Text(), "e-mailed") || p.Doc.Find("#twofactor-off").Length() != 0 {
			t.Errorf("after: %q", p.Doc.Find("#done").Text())
		}
		uid := id("viewer")
		if got := [3]int{on("viewer"), w.count(`SELECT count(*) FROM portal_recovery_codes WHERE user_id = ?`, uid),
			w.count(`SELECT count(*) FROM portal_sessions WHERE user_id = ? OR pending_user_id = ?`, uid, uid)}; got != [3]int{} {
			t.Errorf("key, recovery codes, sessions left: %v", got)
		}
		if got := w.count(`SELECT count(*) FROM audit_log WHERE action = 'user.totp_disable' AND actor = ? AND entity_key = ?`, opEmail, "viewer@a.example.lv"); got != 1 {
			t.Errorf("%d audit entries by the operator", got)
		}
		if p := op.Get(fmt.Sprintf("/admin/customers/%d", w.A.ID)); !strings.Contains(p.Doc.Find("#audit").Text(), "user.totp_disable") ||
			p.Doc.Find("#users a.twofactor-off").Length() != 1 {
			t.Error("the customer page does not show the change")
		}
		if p := viewer.Get("/profile"); p.Status != http.StatusSeeOther {
			t.Errorf("the user's session survived: %d", p.Status)
		}
		w.portalUser("viewer") // the password alone signs in again
		subject, _ := portal.SecondFactorOffMail("en", "", "")
		if lv, _ := portal.SecondFactorOffMail("lv", "", ""); lv == subject {
			t.Fatal("the notice has one subject for both languages")
		}
		if got := w.count(`SELECT count(*) FROM outbox WHERE recipient = ? AND subject = ?`, "viewer@a.example.lv", subject); got != 1 {
			t.Errorf("%d notices in the outbox in the user's language", got)
		}
		if p := op.Post(path(w.A.ID, "viewer"), url.Values{"reason": {"again"}}); p.Status != http.StatusConflict {
			t.Errorf("a second time: %d, want 409", p.Status)
		}

		// A notice the mail server refuses is logged and said; the change stands.
		srv := smtptest.Start(t)
		srv.SetMode(smtptest.Reject)
		ml, err := mailer.NewSMTP(srv.URL(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		w.App.Delivery.Mailer = ml
		op.Get(path(w.A.ID, "billing"))
		p = op.Post(path(w.A.ID, "billing"), url.Values{"reason": {"identity checked in person"}})
		if p.Status != http.StatusSeeOther || !strings.HasSuffix(p.Header.Get("Location"), "?done=unsent") || on("billing") != 0 {
			t.Errorf("with the notice refused: %d %q, second factor on: %d", p.Status, p.Header.Get("Location"), on("billing"))
		}
		if p := op.Get(p.Header.Get("Location")); !strings.Contains(p.Doc.Find("#done").Text(), "could not be sent") {
			t.Errorf("after a refused notice: %q", p.Doc.Find("#done").Text())
		}
	})
}
