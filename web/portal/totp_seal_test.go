package portal_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestTwoFactorSealedKeys: with a secret key the TOTP key in the database is sealed and
// sign-in with the second factor works; under another key, without one, or in another
// user's row the key does not open — the sign-in fails with an error and signs no one in;
// a key stored in clear before still works and is sealed when it is next used.
func TestTwoFactorSealedKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx, db := context.Background(), w.App.DB
		key := bytes.Repeat([]byte{0x5a}, 32)
		stored := func(addr string) string {
			t.Helper()
			var s string
			if err := db.QueryRowContext(ctx, db.Q(`SELECT t.secret FROM portal_totp t JOIN portal_users u ON u.id = t.user_id WHERE u.email = ?`), addr).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		// signIn gives the password and then a current code of secret; it reports the code
		// step's status and who is signed in after.
		signIn := func(addr, secret string) (int, string) {
			t.Helper()
			w.Advance(30 * time.Second) // a step not used yet
			c := w.client()
			c.passwordStep(addr, password)
			p := c.Post("/signin/code", url.Values{"code": {totpCode(t, secret, w.Clock())}})
			return p.Status, c.signedInAs()
		}

		// Sealed: the row is not the key, and the key works.
		w.App.Config.SecretKey = key
		viewer, _ := w.signedIn(email("viewer")).enable2FA()
		if s := stored(email("viewer")); !strings.HasPrefix(s, "v1:") || strings.Contains(s, viewer) {
			t.Errorf("stored key %q, want it sealed", s)
		}
		if status, who := signIn(email("viewer"), viewer); status != http.StatusSeeOther || who != email("viewer") {
			t.Fatalf("sign-in with a sealed key: %d, signed in as %q", status, who)
		}

		// Another key, or none: an error, and no one signed in.
		for name, k := range map[string][]byte{"another key": bytes.Repeat([]byte{0x5b}, 32), "no key": nil} {
			w.App.Config.SecretKey = k
			if status, who := signIn(email("viewer"), viewer); status != http.StatusInternalServerError || who != "" {
				t.Errorf("%s: %d, signed in as %q; want 500 and no one", name, status, who)
			}
		}
		w.App.Config.SecretKey = key

		// A sealed row copied to another user does not open for that user.
		billing, _ := w.signedIn(email("billing")).enable2FA()
		if _, err := db.ExecContext(ctx, db.Q(`UPDATE portal_totp SET secret = ? WHERE user_id = (SELECT id FROM portal_users WHERE email = ?)`),
			stored(email("viewer")), email("billing")); err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{viewer, billing} {
			if status, who := signIn(email("billing"), secret); status != http.StatusInternalServerError || who != "" {
				t.Errorf("another user's sealed key: %d, signed in as %q; want 500 and no one", status, who)
			}
		}

		// A key stored in clear (before the setting) still works, and is sealed at its use.
		w.App.Config.SecretKey = nil
		old, _ := w.signedIn(email("readings")).enable2FA()
		if s := stored(email("readings")); s != old {
			t.Fatalf("without a key the row is %q, want the key in clear", s)
		}
		w.App.Config.SecretKey = key
		if status, who := signIn(email("readings"), old); status != http.StatusSeeOther || who != email("readings") {
			t.Fatalf("sign-in with a key stored in clear: %d, signed in as %q", status, who)
		}
		if s := stored(email("readings")); !strings.HasPrefix(s, "v1:") || strings.Contains(s, old) {
			t.Errorf("after its use the row is %q, want it sealed", s)
		}
		if status, who := signIn(email("readings"), old); status != http.StatusSeeOther || who != email("readings") {
			t.Errorf("sign-in with the resealed key: %d, signed in as %q", status, who)
		}
	})
}
