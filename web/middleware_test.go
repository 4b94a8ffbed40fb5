package web_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/erekins/erekins/store/sqldb/sqldbtest"
	"github.com/erekins/erekins/web"
)

// syncBuffer is a log sink the server's goroutines can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsKeepSecrets runs a sign-in, pages with a session cookie, a request with a bearer
// token and a token in its query, and a password-reset link through the server with a
// debug-level JSON logger: every request gets one access line with its route pattern and
// id, and no password, token, cookie or CSRF value appears anywhere in the log.
func TestLogsKeepSecrets(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		a := newApp(t, dsn)
		const password = "correct-horse-battery-staple-41"
		email := addUser(t, a, password)
		var logs syncBuffer
		log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		h, err := (&web.Server{App: a, Log: log}).Handler()
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		defer srv.Close()

		c := client(t)
		csrf := signIn(t, c, srv.URL, email, password)
		get(t, c, srv.URL+"/invoices?access_token=query-secret-123", nil)
		get(t, c, srv.URL+"/api/v1/invoices", http.Header{"Authorization": {"Bearer api-secret-456"}})
		get(t, c, srv.URL+"/password/reset/reset-secret-789", nil)
		secrets := append([]string{password, csrf, "query-secret-123", "api-secret-456", "reset-secret-789"}, cookies(c, srv.URL)...)
		out := logs.String()
		for _, s := range secrets {
			if contains(out, s) {
				t.Errorf("the log holds the secret %q:\n%s", s, out)
			}
		}

		routes := map[string]bool{}
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			var line map[string]any
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				t.Fatalf("not a JSON log line: %s", sc.Text())
			}
			if line["msg"] != "request" {
				continue
			}
			for _, f := range []string{"method", "route", "status", "duration_ms", "bytes", "request_id"} {
				if line[f] == nil {
					t.Errorf("access line lacks %s: %s", f, sc.Text())
				}
			}
			route, _ := line["route"].(string)
			routes[route] = true
		}
		for _, want := range []string{"/signin", "/invoices", "/password/reset/{token}"} {
			if !routes[want] {
				t.Errorf("no access line for route %s; routes: %v", want, routes)
			}
		}
	})
}

// TestRequestID: a sane incoming X-Request-Id is kept and returned; anything else is
// replaced by a fresh id, unique per request.
func TestRequestID(t *testing.T) {
	a := newApp(t, sqldbtest.New(t, "sqlite"))
	var logs syncBuffer
	h, err := (&web.Server{App: a, Log: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}).Handler()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range []struct {
		name, in string
		kept     bool
	}{
		{"none", "", false},
		{"plain", "lb-3f2a.9_x:1", true},
		{"spaces and quotes", `a b"c`, false},
		{"newline", "abc\ndef", false},
		{"too long", strings.Repeat("a", 65), false},
	} {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		if c.in != "" {
			req.Header.Set("X-Request-Id", c.in)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got := rec.Header().Get("X-Request-Id")
		switch {
		case c.kept && got != c.in:
			t.Errorf("%s: X-Request-Id %q, want %q kept", c.name, got, c.in)
		case !c.kept && (got == c.in || len(got) != 32 || seen[got]):
			t.Errorf("%s: X-Request-Id %q, want a fresh id", c.name, got)
		}
		seen[got] = true
		if !strings.Contains(logs.String(), `"request_id":"`+got+`"`) {
			t.Errorf("%s: no log line carries %q", c.name, got)
		}
	}
}
