package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/erekins/erekins/web/site"
)

// requestIDKey is the context key of a request's id.
type requestIDKey struct{}

// RequestID is the id the server gave the request whose context ctx is, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// LogHandler wraps h so that every record logged with a request's context (InfoContext and
// the like) carries the request's id as request_id.
func LogHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(logHandler); ok {
		return h
	}
	return logHandler{h}
}

type logHandler struct{ slog.Handler }

func (l logHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return l.Handler.Handle(ctx, r)
}

func (l logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return logHandler{l.Handler.WithAttrs(as)}
}

func (l logHandler) WithGroup(name string) slog.Handler {
	return logHandler{l.Handler.WithGroup(name)}
}

// validRequestID accepts an incoming X-Request-Id only if it is short and plain, so that a
// client cannot put anything odd into the logs through it.
func validRequestID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_.:", c)
		if !ok {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// observe gives every request an id (a sane incoming X-Request-Id, else a new one), returns
// it in X-Request-Id, puts it and the client's address (site.ClientIP; X-Forwarded-For only
// from TrustedProxies) in the request's context, and after the request logs one
// access line (at debug level for a passing health check) and records its duration. The line holds the route pattern, never the path
// (paths hold reset and invitation tokens), and no query string, header or body.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		ip := s.TrustedProxies.ClientAddr(r)
		r = r.WithContext(site.WithClientIP(context.WithValue(r.Context(), requestIDKey{}, id), ip))
		rec := &recorder{ResponseWriter: w}
		defer func() {
			p := recover()
			status := rec.status
			switch {
			case p != nil:
				status = http.StatusInternalServerError
			case status == 0:
				status = http.StatusOK
			}
			// The mux sets the pattern on r, the request it was given.
			route, method := routeOf(r.Pattern), methodOf(r.Method)
			took := time.Since(started)
			s.Metrics.observe(route, method, status, took)
			level := slog.LevelInfo
			if (route == "/healthz" || route == "/readyz") && status == http.StatusOK {
				level = slog.LevelDebug // the balancer's probes every few seconds: noise
			}
			s.Log.LogAttrs(r.Context(), level, "request",
				slog.String("method", method), slog.String("route", route), slog.Int("status", status),
				slog.Float64("duration_ms", float64(took.Microseconds())/1000), slog.Int64("bytes", rec.bytes),
				slog.String("remote", ip))
			if p != nil {
				panic(p)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// routeOf is the route of a mux pattern without its method ("GET /invoices/{number}" →
// "/invoices/{number}"); a request no route matched is "unmatched".
func routeOf(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	if _, path, ok := strings.Cut(pattern, " "); ok {
		return path
	}
	return pattern
}

// methodOf keeps metric labels bounded: any method HTTP does not define is OTHER.
func methodOf(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// recorder notes a response's status and size; Unwrap lets http.ResponseController reach
// the connection's writer.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 && code >= 200 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		if r.status == 0 {
			r.status = http.StatusOK
		}
		f.Flush()
	}
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
