package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLogHandlerCarriesRequestID: a handler's own log line, written with the request's
// context, carries the id the middleware gave the request; one without it does not.
func TestLogHandlerCarriesRequestID(t *testing.T) {
	var buf bytes.Buffer
	s := &Server{Log: slog.New(LogHandler(slog.NewTextHandler(&buf, nil)))}
	h := s.observe(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Log.InfoContext(r.Context(), "handler line")
		s.Log.With("part", "x").WithGroup("g").InfoContext(r.Context(), "grouped line")
		w.WriteHeader(http.StatusTeapot)
	}))
	req := httptest.NewRequest(http.MethodGet, "/x", nil)
	req.Header.Set("X-Request-Id", "req-1")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a handler line, a grouped line and an access line:\n%s", buf.String())
	}
	for _, l := range lines {
		if !strings.Contains(l, "req-1") {
			t.Errorf("line without the request id: %s", l)
		}
	}
	if !strings.Contains(lines[2], "status=418") || !strings.Contains(lines[2], "route=unmatched") {
		t.Errorf("access line: %s", lines[2])
	}
}

func TestRouteOf(t *testing.T) {
	for _, c := range []struct{ pattern, want string }{
		{"", "unmatched"},
		{"GET /invoices/{number}", "/invoices/{number}"},
		{"/static/", "/static/"},
		{"POST example.com/x", "example.com/x"},
	} {
		if got := routeOf(c.pattern); got != c.want {
			t.Errorf("routeOf(%q) = %q, want %q", c.pattern, got, c.want)
		}
	}
}

// TestProbesQuiet: a passing health check is logged at debug level, so the balancer's
// probes do not fill an info-level log; a failing one is logged at info.
func TestProbesQuiet(t *testing.T) {
	var buf bytes.Buffer
	s := &Server{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	h := s.observe(mux)
	for _, path := range []string{"/healthz", "/readyz"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	if out := buf.String(); strings.Contains(out, "route=/healthz") || !strings.Contains(out, "route=/readyz status=503") {
		t.Errorf("info-level log:\n%s", out)
	}
}
