// Package api is erekins' REST API under /api/v1: customers' accounting systems list and
// download invoices, read meters, submit readings and keep contacts and e-invoice settings
// current, with bearer tokens that a customer admin creates in the portal.
//
// A token acts for one customer with one of the portal's roles, and the API allows what
// the portal allows that role (portal.Can). Every store call carries the token's customer
// in its WHERE clause, so another customer's invoice, metering point or contract is not
// found, exactly like a missing one. Errors are JSON with a stable code (errors.go); the
// routes are described by the embedded OpenAPI 3.1 document, served at
// /api/v1/openapi.json, and a test keeps the two equal. docs/api.md has the decisions.
package api

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
)

// API serves /api/v1.
type API struct {
	App *app.App
	Log *slog.Logger
	Now func() time.Time

	// Rate and Burst are each token's request budget: Rate requests a second on average,
	// up to Burst at once (a token bucket per token, in this process's memory).
	Rate  float64
	Burst int
	// Idempotency is how long Idempotency-Keys are kept.
	Idempotency sqldb.Idempotency

	limits *limiter
}

// New returns the API on a with the default settings.
func New(a *app.App, log *slog.Logger) (*API, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &API{App: a, Log: log, Now: func() time.Time { return a.Now() }, Rate: 20, Burst: 40,
		Idempotency: sqldb.Idempotency{TTL: 24 * time.Hour, Stale: 5 * time.Minute}}, nil
}

// Prefix is where the API lives.
const Prefix = "/api/v1"

// route is one API operation: the permission its token's role needs (portal.Can) and the
// handler.
type route struct {
	method, path, perm string
	h                  handler
}

// Permissions, named as in the portal's table (portal.Can).
const (
	permInvoices       = "invoices"
	permReadings       = "readings"
	permSubmitReadings = "readings.submit"
	permContacts       = "contacts"
	permEditContacts   = "contacts.edit"
	permEInvoice       = "einvoice"
	permEditEInvoice   = "einvoice.edit"
)

// routes is every authenticated operation; openapi.json describes each, and only these.
func (api *API) routes() []route {
	return []route{
		{"GET", Prefix + "/invoices", permInvoices, api.invoices},
		{"GET", Prefix + "/invoices/{number}", permInvoices, api.invoice},
		{"GET", Prefix + "/invoices/{number}/pdf", permInvoices, api.document("pdf")},
		{"GET", Prefix + "/invoices/{number}/ubl", permInvoices, api.document("ubl")},
		{"GET", Prefix + "/invoices/{number}/csv", permInvoices, api.document("csv")},
		{"GET", Prefix + "/meters", permReadings, api.meters},
		{"POST", Prefix + "/readings", permSubmitReadings, api.submitReadings},
		{"GET", Prefix + "/contacts", permContacts, api.contacts},
		{"PUT", Prefix + "/contacts", permEditContacts, api.setContacts},
		{"GET", Prefix + "/contracts/{contract}/einvoice", permEInvoice, api.einvoice},
		{"PUT", Prefix + "/contracts/{contract}/einvoice", permEditEInvoice, api.setEInvoice},
	}
}

// openAPIPath serves the OpenAPI document, without authentication.
const openAPIPath = Prefix + "/openapi.json"

// Register adds the API's routes to mux.
func (api *API) Register(mux *http.ServeMux) {
	if api.limits == nil {
		api.limits = newLimiter(api.Rate, api.Burst)
	}
	// known finds a route's path whatever the method, for 405 answers.
	known, allow := http.NewServeMux(), map[string][]string{}
	for _, rt := range api.routes() {
		mux.Handle(rt.method+" "+rt.path, api.authed(rt.perm, rt.h))
		if allow[rt.path] == nil {
			known.Handle(rt.path, http.NotFoundHandler())
		}
		allow[rt.path] = append(allow[rt.path], rt.method)
	}
	mux.HandleFunc("GET "+openAPIPath, api.openAPI)
	// Anything else under the prefix is JSON, not the portal's HTML page: 405 for a known
	// path with another method, 404 otherwise.
	mux.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		if _, p := known.Handler(r); p != "" {
			w.Header().Set("Allow", strings.Join(allow[p], ", "))
			api.fail(w, r, newError(http.StatusMethodNotAllowed, codeMethod, "", r.Method+" is not allowed here; use "+strings.Join(allow[p], " or ")))
			return
		}
		api.fail(w, r, newError(http.StatusNotFound, billing.ErrNotFound, "", "no such API route: "+r.URL.Path))
	})
}
