package admin

import (
	"net/http"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
)

type dashboardData struct {
	sqldb.Dashboard
	Window  billing.Window
	Open    bool
	Missing int
	Jobs    []sqldb.JobCount
	LastRun *sqldb.Job // the latest billing job
}

// QueueDepth is how many jobs wait or run: available, scheduled, retryable or running.
func (d dashboardData) QueueDepth() int {
	n := 0
	for _, c := range d.Jobs {
		switch c.State {
		case "available", "scheduled", "retryable", "running", "pending":
			n += c.N
		}
	}
	return n
}

// readingsWindow is the window the back office watches: the open one, or else the one that
// closed last, whose missing readings billing estimates.
func (ad *Admin) readingsWindow() (billing.Window, bool) {
	today := billing.SubmittedOn(ad.Now())
	rules := ad.App.Config.Rules
	if w, ok := rules.WindowFor(today); ok {
		return w, true
	}
	return rules.WindowOf(billing.MonthOf(today).AddMonths(-1)), false
}

func (ad *Admin) dashboard(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, db := r.Context(), ad.App.DB
	var d dashboardData
	var err error
	if d.Dashboard, err = db.AdminDashboard(ctx); err != nil {
		return err
	}
	d.Window, d.Open = ad.readingsWindow()
	if _, d.Missing, err = db.AdminMissingReadings(ctx, d.Window, 1, 0); err != nil {
		return err
	}
	if d.Jobs, err = db.AdminJobCounts(ctx); err != nil {
		return err
	}
	runs, err := db.AdminJobs(ctx, "bill", 1)
	if err != nil {
		return err
	}
	if len(runs) > 0 {
		d.LastRun = &runs[0]
	}
	ad.render(w, r, rq, http.StatusOK, "dashboard.html", "Dashboard", d)
	return nil
}
