// Package api is erekins' REST API under /api/v1: customers' accounting systems list and
// download invoices, read meters, submit readings and keep contacts and e-invoice settings
// current, with bearer tokens that a customer admin creates in the portal.
package api

import (
	"log/slog"
	"net/http"

	"github.com/erekins/erekins/app"
)

// API serves /api/v1.
type API struct {
	App *app.App
	Log *slog.Logger
}

// New returns the API on a.
func New(a *app.App, log *slog.Logger) (*API, error) {
	return &API{App: a, Log: log}, nil
}

// Register adds the API's routes to mux.
func (api *API) Register(mux *http.ServeMux) {}
