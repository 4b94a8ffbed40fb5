package admin

import (
	"net/http"
	"strings"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
)

type failedData struct {
	Deliveries []delivery.Delivery
	Pager      pager
	Resent     string
}

// failedDeliveries is the queue of failed e-mails of every customer, newest first, each
// with the server's reply and a form to send the invoice again.
func (ad *Admin) failedDeliveries(w http.ResponseWriter, r *http.Request, rq *request) error {
	d := failedData{Pager: newPager(r, ad.PageSize), Resent: r.URL.Query().Get("resent")}
	ds, total, err := ad.App.DB.AdminFailedDeliveries(r.Context(), d.Pager.Limit, d.Pager.Offset)
	if err != nil {
		return err
	}
	d.Deliveries, d.Pager = ds, d.Pager.with(total)
	ad.render(w, r, rq, http.StatusOK, "failed.html", "Failed e-mails", d)
	return nil
}

type missingData struct {
	Window  billing.Window
	Open    bool
	Missing []sqldb.MissingReading
	Pager   pager
}

// missingReadings lists every register still lacking a reading in the window the back
// office watches (see readingsWindow).
func (ad *Admin) missingReadings(w http.ResponseWriter, r *http.Request, rq *request) error {
	d := missingData{Pager: newPager(r, ad.PageSize)}
	d.Window, d.Open = ad.readingsWindow()
	ms, total, err := ad.App.DB.AdminMissingReadings(r.Context(), d.Window, d.Pager.Limit, d.Pager.Offset)
	if err != nil {
		return err
	}
	d.Missing, d.Pager = ms, d.Pager.with(total)
	ad.render(w, r, rq, http.StatusOK, "missing.html", "Missing readings", d)
	return nil
}

type runsData struct {
	Kind  string
	Jobs  []sqldb.Job
	Days  []sqldb.IssueDay
	Kinds []sqldb.JobCount
}

// runs shows River's jobs (read from its table, never changed) and what billing issued
// per day, which is the record billing keeps of its runs.
func (ad *Admin) runs(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, db := r.Context(), ad.App.DB
	d := runsData{Kind: strings.TrimSpace(r.URL.Query().Get("kind"))}
	var err error
	if d.Jobs, err = db.AdminJobs(ctx, d.Kind, 100); err != nil {
		return err
	}
	if d.Days, err = db.AdminIssueDays(ctx, 30); err != nil {
		return err
	}
	if d.Kinds, err = db.AdminJobCounts(ctx); err != nil {
		return err
	}
	ad.render(w, r, rq, http.StatusOK, "runs.html", "Runs and jobs", d)
	return nil
}
