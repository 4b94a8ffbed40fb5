// Package web is erekins' HTTP surface. For now it serves the health checks and a plain
// page of issued invoices with their stored documents; the customer portal, the back office
// and the API replace and extend it.
package web

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
)

//go:embed templates
var templates embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"upper": strings.ToUpper,
}).ParseFS(templates, "templates/*.html"))

// Server serves erekins over HTTP.
type Server struct {
	App *app.App
	Log *slog.Logger
	// Ready reports whether background work is running, for /readyz.
	Ready func(ctx context.Context) error
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /{$}", s.invoices)
	mux.HandleFunc("GET /invoices/{number}/{format}", s.document)
	return securityHeaders(mux)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
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
	problem := ""
	if err := s.App.DB.PingContext(ctx); err != nil {
		problem = "database unreachable"
	} else if n, err := s.App.DB.Pending(ctx); err != nil || n > 0 {
		problem = "migrations pending"
	} else if s.Ready != nil && s.Ready(ctx) != nil {
		problem = "job queue not running"
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if problem != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(problem + "\n"))
		return
	}
	w.Write([]byte("ready\n"))
}

func (s *Server) invoices(w http.ResponseWriter, r *http.Request) {
	rows, err := s.App.DB.Invoices(r.Context(), sqldb.InvoiceFilter{CustomerRegistration: r.URL.Query().Get("customer"), Limit: 500})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pages.ExecuteTemplate(w, "invoices.html", map[string]any{"Invoices": rows, "Formats": app.Formats}); err != nil {
		s.Log.Error("render invoices page", "error", err)
	}
}

var contentTypes = map[string]string{
	billing.FormatPDF: "application/pdf",
	billing.FormatUBL: "application/xml",
	billing.FormatCSV: "text/csv; charset=utf-8",
	"json":            "application/json",
}

var extensions = map[string]string{billing.FormatPDF: ".pdf", billing.FormatUBL: ".xml", billing.FormatCSV: ".csv", "json": ".json"}

func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	number, format := r.PathValue("number"), r.PathValue("format")
	if _, ok := contentTypes[format]; !ok {
		http.NotFound(w, r)
		return
	}
	doc, err := s.App.DB.Document(r.Context(), number, format)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	etag := `"` + doc.SHA256 + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, max-age=0, must-revalidate")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", contentTypes[format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+number+extensions[format]+`"`)
	w.Write(doc.Content)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch billing.ErrorCode(err) {
	case billing.ErrNotFound:
		http.Error(w, "not found", http.StatusNotFound)
	case billing.ErrInvalid:
		http.Error(w, err.Error(), http.StatusBadRequest)
	default:
		s.Log.Error("request failed", "path", r.URL.Path, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}
