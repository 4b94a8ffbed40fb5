package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/erekins/erekins/internal/webtest"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web"
	"github.com/erekins/erekins/web/api"
	"github.com/erekins/erekins/web/portal"
)

// world is a running server with two billed customers: A, with one API token per role,
// and B, with an admin token. Its clock can be moved; every response is checked against
// the OpenAPI document.
type world struct {
	*webtest.World
	api    *api.API
	spec   *spec
	tokens map[string]string // "admin", "billing", "readings", "viewer" (A), "other" (B's admin), "revoked" → secret
}

func newWorld(t *testing.T, dsn string) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{World: webtest.NewWorld(t, dsn), tokens: map[string]string{}, spec: loadSpec(t)}
	for _, role := range sqldb.Roles {
		w.tokens[role] = w.addToken(w.A.ID, role, "test "+role)
	}
	w.tokens["other"] = w.addToken(w.B.ID, sqldb.RoleAdmin, "other")
	w.tokens["revoked"] = w.addToken(w.A.ID, sqldb.RoleAdmin, "revoked")
	t2, err := w.App.DB.APITokenByHash(ctx, portal.HashAPIToken(w.tokens["revoked"]))
	if err == nil {
		err = w.App.DB.RevokeAPIToken(ctx, w.A.ID, t2.ID, "test", w.Clock())
	}
	if err != nil {
		t.Fatal(err)
	}

	if w.api, err = api.New(w.App, nil); err != nil {
		t.Fatal(err)
	}
	w.api.Now = w.Clock
	w.api.Rate, w.api.Burst = 1e9, 1e9 // TestRateLimit has its own
	w.Serve((&web.Server{App: w.App, API: w.api}).Handler)
	return w
}

// addToken stores a token the way the portal does and returns its secret.
func (w *world) addToken(customerID int64, role, name string) string {
	w.T.Helper()
	secret, hash := portal.NewAPIToken()
	if _, err := w.App.DB.CreateAPIToken(context.Background(), sqldb.APIToken{CustomerID: customerID, Role: role, Name: name, TokenHash: hash,
		CreatedBy: "test", CreatedAt: w.Clock()}); err != nil {
		w.T.Fatal(err)
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
	w.T.Helper()
	req, err := http.NewRequest(method, w.Srv.URL+path, strings.NewReader(body))
	if err != nil {
		w.T.Fatal(err)
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
		w.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := response{Status: res.StatusCode, Header: res.Header, Body: b}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &out.JSON); err != nil {
			w.T.Errorf("%s %s: the JSON answer does not decode: %v", method, path, err)
		}
	}
	w.spec.check(w.T, req, body, out)
	return out
}

func (w *world) get(path, token string) response {
	w.T.Helper()
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
	w.T.Helper()
	a, err := api.New(w.App, nil)
	if err != nil {
		w.T.Fatal(err)
	}
	a.Now, a.Rate, a.Burst, a.Idempotency = w.Clock, w.api.Rate, w.api.Burst, w.api.Idempotency
	w.api = a
	w.Serve((&web.Server{App: w.App, API: a}).Handler)
}
