package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
	"github.com/erekins/erekins/web/portal"
)

// apiStatus calls the REST API with a bearer token and returns the status.
func (w *world) apiStatus(token, path string) int {
	w.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.Srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.T.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestTokens creates an API token in the portal: it is shown once, stored only as its
// SHA-256, works on the API with its role's rights, and stops working when revoked. Another
// customer's admin cannot revoke it, forged forms change nothing, and both steps are
// in the history.
func TestTokens(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		c := w.signedIn(email("admin"))
		p := c.Get("/tokens")
		if p.Status != http.StatusOK || p.Doc.Find("#no-tokens").Length() != 1 || p.Doc.Find(`nav a[href="/tokens"]`).Length() != 1 {
			t.Fatalf("tokens page: %d", p.Status)
		}
		// Forged forms create and revoke nothing.
		if res := c.Post("/tokens", url.Values{"csrf": {"forged"}, "name": {"Mallory"}, "role": {"admin"}}); res.Status != http.StatusForbidden {
			t.Errorf("forged create: %d, want 403", res.Status)
		}
		c.Get("/tokens")
		for _, bad := range []url.Values{{"name": {""}, "role": {"viewer"}}, {"name": {"X"}, "role": {"owner"}}, {"name": {strings.Repeat("x", 101)}, "role": {"viewer"}}} {
			if res := c.Post("/tokens", bad); res.Status != http.StatusUnprocessableEntity || res.Doc.Find(".field-error").Length() != 1 {
				t.Errorf("create with %v: %d, want 422 with a field error", bad, res.Status)
			}
		}
		p = c.Post("/tokens", url.Values{"name": {"Horizon"}, "role": {sqldb.RoleReadings}})
		secret := strings.TrimSpace(p.Doc.Find("#token-secret").Text())
		if p.Status != http.StatusOK || !strings.HasPrefix(secret, portal.APITokenPrefix) || len(secret) != len(portal.APITokenPrefix)+43 {
			t.Fatalf("create: %d, secret %q", p.Status, secret)
		}
		if p.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the page with the secret is cacheable: %q", p.Header.Get("Cache-Control"))
		}
		// Shown once: the list no longer has it, the table only its hash.
		p = c.Get("/tokens")
		if strings.Contains(p.Body, secret) || p.Doc.Find("#token-secret").Length() != 0 {
			t.Error("the secret is shown again")
		}
		row := p.Doc.Find("#tokens tbody tr")
		if row.Length() != 1 || !strings.Contains(row.Text(), "Horizon") || !strings.Contains(row.Text(), email("admin")) || !strings.Contains(row.Text(), "nekad") {
			t.Fatalf("token list: %q", row.Text())
		}
		var id int64
		var hash string
		if err := w.App.DB.QueryRowContext(ctx, `SELECT id, token_hash FROM api_tokens`).Scan(&id, &hash); err != nil {
			t.Fatal(err)
		}
		if hash != portal.HashAPIToken(secret) || strings.Contains(hash, secret[len(portal.APITokenPrefix):]) {
			t.Errorf("stored %q, want the SHA-256 of the token", hash)
		}
		// The token has the readings role's rights on the API.
		if s := w.apiStatus(secret, "/api/v1/meters"); s != http.StatusOK {
			t.Errorf("API meters with the new token: %d", s)
		}
		if s := w.apiStatus(secret, "/api/v1/invoices"); s != http.StatusForbidden {
			t.Errorf("API invoices with a readings token: %d, want 403", s)
		}
		if p := c.Get("/tokens"); strings.Contains(p.Doc.Find("#tokens tbody tr").Text(), "nekad") {
			t.Errorf("last use not shown: %q", p.Doc.Find("#tokens tbody tr").Text())
		}
		// Another customer's admin cannot revoke it: not found, and it still works.
		other := w.signedIn(otherEmail)
		other.Get("/tokens")
		if res := other.Post("/tokens/"+strconv.FormatInt(id, 10)+"/revoke", nil); res.Status != http.StatusNotFound {
			t.Errorf("B revokes A's token: %d, want 404", res.Status)
		}
		if res := c.Post("/tokens/"+strconv.FormatInt(id, 10)+"/revoke", url.Values{"csrf": {other.CSRF}}); res.Status != http.StatusForbidden {
			t.Errorf("revoke with another session's CSRF token: %d, want 403", res.Status)
		}
		if s := w.apiStatus(secret, "/api/v1/meters"); s != http.StatusOK {
			t.Fatalf("token after refused revocations: %d", s)
		}
		c.Get("/tokens")
		if res := c.Post("/tokens/"+strconv.FormatInt(id, 10)+"/revoke", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", res.Status)
		}
		if s := w.apiStatus(secret, "/api/v1/meters"); s != http.StatusUnauthorized {
			t.Errorf("revoked token: %d, want 401", s)
		}
		p = c.Get("/tokens?done=revoked")
		if p.Doc.Find("#done").Length() != 1 || p.Doc.Find("#tokens form").Length() != 0 {
			t.Error("the revoked token still has a revoke button, or no confirmation")
		}
		if h := p.Doc.Find("#tokens-history li"); h.Length() != 2 || !strings.Contains(h.Text(), "Horizon") {
			t.Errorf("history: %q", h.Text())
		}
		// Non-admins have no page and no link.
		for _, role := range []string{sqldb.RoleBilling, sqldb.RoleReadings, sqldb.RoleViewer} {
			u := w.signedIn(email(role))
			if res := u.Get("/tokens"); res.Status != http.StatusForbidden {
				t.Errorf("%s: /tokens %d, want 403", role, res.Status)
			}
			if res := u.Get("/"); res.Doc.Find(`a[href="/tokens"]`).Length() != 0 {
				t.Errorf("%s sees the tokens link", role)
			}
		}
	})
}
