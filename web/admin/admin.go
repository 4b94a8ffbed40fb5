// Package admin is the back office at /admin: the supplier's operators find a customer and
// see what happened to any invoice, resend it, enter readings on a customer's behalf and
// watch billing runs, deliveries and print batches.
package admin

import (
	"log/slog"
	"net/http"

	"github.com/erekins/erekins/app"
)

// Admin serves /admin.
type Admin struct {
	App *app.App
	Log *slog.Logger
}

// New returns the back office on a.
func New(a *app.App, log *slog.Logger) (*Admin, error) {
	return &Admin{App: a, Log: log}, nil
}

// Register adds the back office's routes to mux.
func (ad *Admin) Register(mux *http.ServeMux) {}
