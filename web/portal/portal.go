// Package portal is the customer portal: business customers' staff sign in, see their
// invoices and download them from storage, submit meter readings and keep their contact
// information current, in Latvian (the default) or English.
//
// Every page is server-rendered html/template with embedded templates and CSS and works
// without JavaScript. Sessions live in the database (see session.go), every form carries
// the session's CSRF token, and every handler reads and writes only the data of the
// customer the signed-in user currently acts for, within what the user's role there allows.
package portal

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/site"
)

//go:embed templates static
var assets embed.FS

// Portal serves the customer portal.
type Portal struct {
	App *app.App
	Log *slog.Logger
	Now func() time.Time

	// SecureCookies marks cookies Secure and gives the session cookie the __Host- prefix;
	// set it whenever the portal is reached over HTTPS.
	SecureCookies bool
	// IdleTimeout ends a session unused for this long; AbsoluteTimeout ends any session
	// this long after sign-in.
	IdleTimeout, AbsoluteTimeout time.Duration
	// SigninLimit is how many failed sign-ins per address (and SigninLimitIP per client
	// address) within SigninWindow block further attempts.
	SigninLimit, SigninLimitIP int
	SigninWindow               time.Duration
	// Argon2 are the cost parameters of new password hashes.
	Argon2 Argon2Params

	pages map[string]*template.Template
	mail  sync.WaitGroup // e-mails sent in the background
}

// New returns a portal on a with the default settings.
func New(a *app.App, log *slog.Logger) (*Portal, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Portal{App: a, Log: log, Now: func() time.Time { return a.Now() },
		IdleTimeout: 30 * time.Minute, AbsoluteTimeout: 12 * time.Hour,
		SigninLimit: 5, SigninLimitIP: 50, SigninWindow: 15 * time.Minute, Argon2: DefaultArgon2}
	var err error
	if p.pages, err = parsePages(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Portal) db() *sqldb.DB { return p.App.DB }

// Register adds the portal's routes to mux.
func (p *Portal) Register(mux *http.ServeMux) {
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticFiles(http.FileServerFS(static))))

	mux.Handle("GET /signin", p.page(p.signinForm))
	mux.Handle("POST /signin", p.page(p.signin))
	mux.Handle("GET /signin/code", p.page(p.signinCodeForm))
	mux.Handle("POST /signin/code", p.page(p.signinCode))
	mux.Handle("POST /signout", p.page(p.signout))
	mux.Handle("POST /language", p.page(p.language))
	mux.Handle("GET /password/forgot", p.page(p.forgotForm))
	mux.Handle("POST /password/forgot", p.page(p.forgot))
	mux.Handle("GET /password/reset/{token}", p.page(p.resetForm))
	mux.Handle("POST /password/reset/{token}", p.page(p.reset))
	mux.Handle("GET /invitation/{token}", p.page(p.invitation))
	mux.Handle("POST /invitation/{token}", p.page(p.acceptInvitation))

	mux.Handle("GET /{$}", p.user("", p.overview))
	mux.Handle("POST /customer", p.user("", p.switchCustomer))
	mux.Handle("GET /profile", p.user("", p.profile))
	mux.Handle("POST /profile", p.user("", p.saveProfile))
	mux.Handle("POST /profile/password", p.user("", p.changePassword))
	mux.Handle("GET /profile/2fa", p.user("", p.twoFactorSetup))
	mux.Handle("POST /profile/2fa/setup", p.user("", p.startTwoFactor))
	mux.Handle("POST /profile/2fa/enable", p.user("", p.enableTwoFactor))
	mux.Handle("POST /profile/2fa/recovery", p.user("", p.regenerateCodes))
	mux.Handle("POST /profile/2fa/disable", p.user("", p.disableTwoFactor))
	mux.Handle("GET /invoices", p.user(permInvoices, p.invoices))
	mux.Handle("GET /invoices/zip", p.user(permInvoices, p.invoicesZip))
	mux.Handle("GET /invoices/export", p.user(permInvoices, p.export))
	mux.Handle("GET /invoices/{number}", p.user(permInvoices, p.invoice))
	mux.Handle("GET /invoices/{number}/{format}", p.user(permInvoices, p.document))
	mux.Handle("GET /readings", p.user(permReadings, p.readings))
	mux.Handle("GET /readings/upload", p.user(permSubmitReadings, p.uploadForm))
	mux.Handle("POST /readings/upload", p.limitUpload(p.user(permSubmitReadings, p.uploadPreview)))
	mux.Handle("POST /readings/upload/commit", p.user(permSubmitReadings, p.uploadCommit))
	mux.Handle("GET /readings/template.csv", p.user(permSubmitReadings, p.uploadTemplate))
	mux.Handle("GET /readings/{point}/{register}", p.user(permReadings, p.register))
	mux.Handle("POST /readings/{point}/{register}", p.user(permSubmitReadings, p.submitReading))
	mux.Handle("GET /contacts", p.user(permContacts, p.contacts))
	mux.Handle("POST /contacts", p.user(permEditContacts, p.saveContacts))
	mux.Handle("GET /users", p.user(permUsers, p.users))
	mux.Handle("POST /users/invite", p.user(permUsers, p.invite))
	mux.Handle("POST /users/{id}/role", p.user(permUsers, p.setRole))
	mux.Handle("POST /users/{id}/remove", p.user(permUsers, p.removeUser))
	mux.Handle("GET /einvoice", p.user(permEInvoice, p.einvoices))
	mux.Handle("GET /einvoice/{contract}", p.user(permEInvoice, p.einvoice))
	mux.Handle("POST /einvoice/{contract}", p.user(permEditEInvoice, p.saveEInvoice))
	mux.Handle("GET /tokens", p.user(permTokens, p.tokens))
	mux.Handle("POST /tokens", p.user(permTokens, p.createToken))
	mux.Handle("POST /tokens/{id}/revoke", p.user(permTokens, p.revokeToken))
}

func staticFiles(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// Permissions, and the roles that hold them.
const (
	permInvoices       = "invoices"
	permReadings       = "readings"
	permSubmitReadings = "readings.submit"
	permContacts       = "contacts"
	permEditContacts   = "contacts.edit"
	permEInvoice       = "einvoice"
	permEditEInvoice   = "einvoice.edit"
	permUsers          = "users"
	permTokens         = "tokens"
)

var permissions = map[string][]string{
	permInvoices:       {sqldb.RoleAdmin, sqldb.RoleBilling, sqldb.RoleViewer},
	permReadings:       {sqldb.RoleAdmin, sqldb.RoleReadings, sqldb.RoleViewer},
	permSubmitReadings: {sqldb.RoleAdmin, sqldb.RoleReadings},
	permContacts:       {sqldb.RoleAdmin, sqldb.RoleBilling, sqldb.RoleViewer},
	permEditContacts:   {sqldb.RoleAdmin, sqldb.RoleBilling},
	permEInvoice:       {sqldb.RoleAdmin, sqldb.RoleBilling, sqldb.RoleViewer},
	permEditEInvoice:   {sqldb.RoleAdmin, sqldb.RoleBilling},
	permUsers:          {sqldb.RoleAdmin},
	permTokens:         {sqldb.RoleAdmin},
}

// Can reports whether role holds the permission; the empty permission is every role's.
func Can(role, perm string) bool {
	if perm == "" {
		return true
	}
	for _, r := range permissions[perm] {
		if r == role {
			return true
		}
	}
	return false
}

// fail answers an error as a page: not found for a missing (or another customer's) thing,
// the translated message for invalid input, and a logged internal error otherwise.
func (p *Portal) fail(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	status, key := http.StatusInternalServerError, "error.internal"
	switch billing.ErrorCode(err) {
	case billing.ErrNotFound:
		status, key = http.StatusNotFound, "error.notfound"
	case billing.ErrForbidden:
		status, key = http.StatusForbidden, "error.forbidden"
	case billing.ErrInvalid, billing.ErrNeedsConfirm:
		status, key = http.StatusBadRequest, "error.invalid"
	case billing.ErrConflict:
		status, key = http.StatusConflict, "error.conflict"
	default:
		if !errors.Is(err, site.ErrCSRF) {
			p.Log.ErrorContext(r.Context(), "portal request failed", "route", r.Pattern, "error", err)
		} else {
			status, key = http.StatusForbidden, "error.csrf"
		}
	}
	p.render(w, r, rq, status, "error.html", map[string]any{"Message": key, "Status": status})
}
