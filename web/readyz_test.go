package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/erekins/erekins/jobs"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
	"github.com/erekins/erekins/web"
)

// TestReadyz: /readyz is 200 only while the database answers, its migrations are current
// and the job queue's workers run; /healthz is 200 whenever the process serves.
func TestReadyz(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := newApp(t, dsn)
		runner, err := jobs.New(a, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		h, err := (&web.Server{App: a, Ready: runner.Ready}).Handler()
		if err != nil {
			t.Fatal(err)
		}
		check := func(step, path string, want int, body string) {
			t.Helper()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if rec.Code != want || !strings.Contains(rec.Body.String(), body) {
				t.Errorf("%s: %s %d %q, want %d %q", step, path, rec.Code, rec.Body.String(), want, body)
			}
		}
		check("not started", "/readyz", http.StatusServiceUnavailable, "job queue not running")
		if err := runner.Start(ctx); err != nil {
			t.Fatal(err)
		}
		check("running", "/readyz", http.StatusOK, "ready")
		if err := runner.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		check("queue stopped", "/readyz", http.StatusServiceUnavailable, "job queue not running")
		check("queue stopped", "/healthz", http.StatusOK, "ok")
		a.DB.Close()
		check("database closed", "/readyz", http.StatusServiceUnavailable, "database unreachable")
	})
}
