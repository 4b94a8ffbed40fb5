// Package web is erekins' HTTP surface: the health checks and the customer portal (package
// web/portal), the REST API (web/api) and the back office (web/admin), behind one set of
// security headers; every request gets an id, an access log line and a place in the
// request-duration histogram (middleware.go, metrics.go).
package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/web/admin"
	"github.com/erekins/erekins/web/api"
	"github.com/erekins/erekins/web/portal"
	"github.com/erekins/erekins/web/site"
)

// Server serves erekins over HTTP.
type Server struct {
	App *app.App
	Log *slog.Logger
	// Ready reports whether background work is running, for /readyz (jobs.Runner.Ready);
	// nil: the server runs no workers of its own and only the database counts.
	Ready func(ctx context.Context) error
	// Metrics, when set, records every request's duration; its own handler serves them
	// (on a listener of its own, see cmd/erekins).
	Metrics *Metrics
	// Portal is the customer portal, API the REST API and Admin the back office; Handler
	// builds each with the defaults when nil.
	Portal *portal.Portal
	API    *api.API
	Admin  *admin.Admin
	// TrustedProxies are the balancers whose X-Forwarded-For names the client, for the
	// sign-in rate limits and the access log (site.Proxies.ClientAddr); none: the
	// connection's address is the client's.
	TrustedProxies site.Proxies
}

// Handler returns the routes.
func (s *Server) Handler() (http.Handler, error) {
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	// Log lines written with a request's context carry its id.
	s.Log = slog.New(LogHandler(s.Log.Handler()))
	if s.Portal == nil {
		p, err := portal.New(s.App, s.Log)
		if err != nil {
			return nil, err
		}
		p.SecureCookies = strings.HasPrefix(s.App.Config.Mail.BaseURL, "https://")
		s.Portal = p
	}
	if s.API == nil {
		a, err := api.New(s.App, s.Log)
		if err != nil {
			return nil, err
		}
		s.API = a
	}
	if s.Admin == nil {
		a, err := admin.New(s.App, s.Log)
		if err != nil {
			return nil, err
		}
		s.Admin = a
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	s.Portal.Register(mux)
	s.API.Register(mux)
	s.Admin.Register(mux)
	// Cross-origin state-changing requests are refused before any handler runs, besides
	// the portal's own per-session CSRF token.
	return s.observe(securityHeaders(http.NewCrossOriginProtection().Handler(mux))), nil
}

// securityHeaders sets the headers every response carries: a CSP that allows no inline
// script (the portal has no script at all) and no framing, no MIME sniffing, and a
// referrer policy that keeps invoice numbers in URLs on this site.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	problem, cause := "", error(nil)
	if err := s.App.DB.PingContext(ctx); err != nil {
		problem, cause = "database unreachable", err
	} else if n, err := s.App.DB.Pending(ctx); err != nil || n > 0 {
		problem, cause = "migrations pending", err
	} else if s.Ready != nil {
		if err := s.Ready(ctx); err != nil {
			problem, cause = "job queue not running", err
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if problem != "" {
		// The client sees the kind of problem; the operator's log has the cause.
		s.Log.WarnContext(r.Context(), "not ready", "problem", problem, "error", cause)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(problem + "\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
