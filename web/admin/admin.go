// Package admin is the back office at /admin: the supplier's operators find a customer and
// see what happened to any invoice, resend it, enter readings on a customer's behalf and
// watch billing runs, deliveries and print batches.
//
// Operators are accounts of their own (sqldb.Operator), not portal users, with their own
// sessions and cookie (session.go). Pages are server-rendered html/template in English,
// embedded, without JavaScript; every form carries the session's CSRF token, and every
// operator action is written to the audit log with the operator's address as actor.
package admin

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/web/site"
)

//go:embed templates static
var assets embed.FS

// Admin serves /admin.
type Admin struct {
	App *app.App
	Log *slog.Logger
	Now func() time.Time

	// SecureCookies marks the session cookie Secure (with the __Secure- prefix); set it
	// whenever the back office is reached over HTTPS.
	SecureCookies bool
	// IdleTimeout ends a session unused for this long; AbsoluteTimeout any session this
	// long after sign-in.
	IdleTimeout, AbsoluteTimeout time.Duration
	// SigninLimit failures per address (SigninLimitIP per client address) within
	// SigninWindow block further attempts.
	SigninLimit, SigninLimitIP int
	SigninWindow               time.Duration
	// PageSize is how many rows a paginated list shows.
	PageSize int

	pages map[string]*template.Template
}

// New returns the back office on a with the default settings.
func New(a *app.App, log *slog.Logger) (*Admin, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ad := &Admin{App: a, Log: log, Now: func() time.Time { return a.Now() },
		IdleTimeout: 30 * time.Minute, AbsoluteTimeout: 12 * time.Hour,
		SigninLimit: 5, SigninLimitIP: 50, SigninWindow: 15 * time.Minute, PageSize: 50,
		SecureCookies: strings.HasPrefix(a.Config.Mail.BaseURL, "https://")}
	var err error
	if ad.pages, err = parsePages(); err != nil {
		return nil, err
	}
	return ad, nil
}

// Register adds the back office's routes to mux.
func (ad *Admin) Register(mux *http.ServeMux) {
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /admin/static/", http.StripPrefix("/admin/static/", cacheFor(time.Hour, http.FileServerFS(static))))
	mux.Handle("GET /admin/signin", ad.page(ad.signinForm))
	mux.Handle("POST /admin/signin", ad.page(ad.signin))
	mux.Handle("POST /admin/signout", ad.page(ad.signout))

	for path, h := range map[string]handler{
		"GET /admin":                ad.dashboard,
		"GET /admin/{$}":            ad.dashboard,
		"GET /admin/customers":      ad.customers,
		"GET /admin/customers/{id}": ad.customer,
		"GET /admin/customers/{id}/registers/{point}/{register}":  ad.register,
		"POST /admin/customers/{id}/registers/{point}/{register}": ad.submitReading,
		"GET /admin/invoices/{number}":                            ad.invoice,
		"GET /admin/invoices/{number}/{format}":                   ad.document,
		"POST /admin/invoices/{number}/resend":                    ad.resend,
		"GET /admin/deliveries/failed":                            ad.failedDeliveries,
		"GET /admin/readings/missing":                             ad.missingReadings,
		"GET /admin/runs":                                         ad.runs,
		"GET /admin/print-batches":                                ad.printBatches,
		"GET /admin/print-batches/{id}":                           ad.printBatch,
		"GET /admin/print-batches/{id}/bundle.pdf":                ad.printBundle,
		"GET /admin/print-batches/{id}/manifest.csv":              ad.printManifest,
		"POST /admin/print-batches/{id}/handed-over":              ad.handOver,
		"GET /admin/outbox":                                       ad.outbox,
		"GET /admin/outbox/{id}":                                  ad.outboxMessage,
		"GET /admin/customers/{id}/users/{user}/second-factor":    ad.twoFactor,
		"POST /admin/customers/{id}/users/{user}/second-factor":   ad.disableTwoFactor,
	} {
		mux.Handle(path, ad.operator(h))
	}
}

func cacheFor(d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(d.Seconds())))
		h.ServeHTTP(w, r)
	})
}

// fail answers an error as a page: not found, forbidden, invalid input or conflict with
// the error's message (operators see the cause), and a logged internal error otherwise.
func (ad *Admin) fail(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	status, msg := http.StatusInternalServerError, "Something went wrong; the cause is in the server log."
	switch billing.ErrorCode(err) {
	case billing.ErrNotFound:
		status, msg = http.StatusNotFound, "Not found."
	case billing.ErrForbidden:
		status, msg = http.StatusForbidden, "Sign in to the back office first."
	case billing.ErrInvalid, billing.ErrNeedsConfirm:
		status, msg = http.StatusBadRequest, err.Error()
	case billing.ErrConflict:
		status, msg = http.StatusConflict, err.Error()
	default:
		if errors.Is(err, site.ErrCSRF) {
			status, msg = http.StatusForbidden, "The form has expired or did not come from this site. Reload the page and try again."
		} else {
			ad.Log.ErrorContext(r.Context(), "back-office request failed", "route", r.Pattern, "error", err)
		}
	}
	ad.render(w, r, rq, status, "error.html", "Error", map[string]any{"Message": msg, "Status": status})
}
