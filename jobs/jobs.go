// Package jobs runs erekins' background work on River, in the same database as the data:
// the daily billing run at 06:00 Europe/Riga, and (as they arrive) deliveries and reminders.
// Jobs that act on data are inserted in the transaction that writes it, so they commit or
// roll back together; every worker is idempotent, so a job retried after a crash does no
// harm.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/calendar"
)

// BillArgs asks for the billing run of a day (empty: today in Riga when the job runs).
type BillArgs struct {
	Date string `json:"date,omitempty"`
}

func (BillArgs) Kind() string { return "bill" }

// InsertOpts make billing runs unique per day: the schedule and an explicit request for
// the same day share one job.
func (BillArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueBilling, MaxAttempts: 10,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 24 * time.Hour}}
}

// BillWorker runs billing; a run is idempotent, so a retry finishes what a crash left.
type BillWorker struct {
	river.WorkerDefaults[BillArgs]
	App *app.App
}

func (w *BillWorker) Work(ctx context.Context, job *river.Job[BillArgs]) error {
	day := calendar.DateOf(w.App.Now())
	if job.Args.Date != "" {
		var err error
		if day, err = calendar.ParseDate(job.Args.Date); err != nil {
			return river.JobCancel(fmt.Errorf("bill job: %w", err))
		}
	}
	res, err := w.App.Bill(ctx, day)
	if err != nil {
		return err
	}
	for _, f := range res.Failures {
		w.App.Log.Error("contract not billed", "date", day.String(), "error", f)
	}
	return nil
}

const queueBilling = "billing"

// Daily is a River schedule that fires every day at a wall-clock time in Riga, also across
// the changes to and from summer time.
type Daily struct{ Hour, Minute int }

// Next is the first such time strictly after t.
func (d Daily) Next(t time.Time) time.Time {
	r := t.In(calendar.Riga)
	next := time.Date(r.Year(), r.Month(), r.Day(), d.Hour, d.Minute, 0, 0, calendar.Riga)
	if !next.After(t) {
		next = time.Date(r.Year(), r.Month(), r.Day()+1, d.Hour, d.Minute, 0, 0, calendar.Riga)
	}
	return next
}

// Runner is River on an App's database with erekins' workers and schedule.
type Runner struct {
	Client *river.Client[*sql.Tx]
	app    *app.App

	mu      sync.Mutex
	running bool            // between a successful Start and Stop
	stopped <-chan struct{} // closed when River has stopped, for whatever reason
}

// New builds the runner; it does not start it. River's tables exist already: app.Open
// migrates them, since any command that issues invoices queues jobs.
func New(a *app.App, log *slog.Logger) (*Runner, error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &BillWorker{App: a})
	river.AddWorker(workers, &DeliverWorker{App: a})
	river.AddWorker(workers, &RemindWorker{App: a})
	client, err := river.NewClient(a.RiverDriver(), &river.Config{
		Logger:  log,
		Workers: workers,
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 8},
			queueBilling:       {MaxWorkers: 1},
			app.QueueDelivery:  {MaxWorkers: deliveryWorkers},
		},
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(Daily{Hour: 6}, func() (river.JobArgs, *river.InsertOpts) {
				return BillArgs{Date: calendar.DateOf(a.Now()).String()}, nil
			}, &river.PeriodicJobOpts{ID: "daily-billing", RunOnStart: true}),
			remindJob(a),
		},
		JobTimeout:           jobTimeout(a.Config.Mail.RescueAfter),
		RescueStuckJobsAfter: a.Config.Mail.RescueAfter,
		FetchPollInterval:    200 * time.Millisecond,
	})
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return &Runner{Client: client, app: a}, nil
}

// Start starts working jobs. Cancelling ctx stops River hard, cancelling the jobs in
// flight; for a graceful stop pass a context that is not cancelled (context.WithoutCancel)
// and call Stop.
func (r *Runner) Start(ctx context.Context) error {
	if err := r.Client.Start(ctx); err != nil {
		return err
	}
	r.mu.Lock()
	r.running, r.stopped = true, r.Client.Stopped()
	r.mu.Unlock()
	return nil
}

// Stop stops fetching jobs and waits for the jobs in flight to finish; when ctx ends first,
// it cancels them (StopAndCancel) and waits up to grace for them to return.
func (r *Runner) Stop(ctx context.Context) error {
	r.mu.Lock()
	r.running = false
	r.mu.Unlock()
	err := r.Client.Stop(ctx)
	if err == nil || ctx.Err() == nil {
		return err
	}
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopGrace)
	defer cancel()
	if herr := r.Client.StopAndCancel(hard); herr != nil {
		return fmt.Errorf("stop workers: jobs still running after cancelling them: %w", herr)
	}
	return fmt.Errorf("stop workers: jobs in flight were cancelled: %w", err)
}

// stopGrace is how long cancelled jobs get to return after a graceful stop ran out of time.
const stopGrace = 10 * time.Second

// Ready reports whether the runner works jobs: it was started, has not stopped, and can
// read River's job table. It is /readyz's check of the job queue.
func (r *Runner) Ready(ctx context.Context) error {
	r.mu.Lock()
	running, stopped := r.running, r.stopped
	r.mu.Unlock()
	if !running {
		return errors.New("job queue: workers not running")
	}
	select {
	case <-stopped:
		return errors.New("job queue: workers stopped")
	default:
	}
	if _, err := r.Client.JobList(ctx, river.NewJobListParams().First(1)); err != nil {
		return fmt.Errorf("job queue: read jobs: %w", err)
	}
	return nil
}

// RequestBilling inserts today's billing run unless the schedule already did.
func (r *Runner) RequestBilling(ctx context.Context) error {
	_, err := r.Client.Insert(ctx, BillArgs{Date: calendar.DateOf(r.app.Now()).String()}, nil)
	return err
}

// Due counts the jobs that are due or running.
func (r *Runner) Due(ctx context.Context) (int, error) {
	res, err := r.Client.JobList(ctx, river.NewJobListParams().
		States(rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStatePending).First(1))
	if err != nil {
		return 0, err
	}
	n := len(res.Jobs)
	if n > 0 {
		return n, nil
	}
	// retryable and scheduled jobs count once their time has come
	res, err = r.Client.JobList(ctx, river.NewJobListParams().
		States(rivertype.JobStateRetryable, rivertype.JobStateScheduled).OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc).First(1))
	if err != nil {
		return 0, err
	}
	if len(res.Jobs) > 0 && !res.Jobs[0].ScheduledAt.After(time.Now()) {
		return 1, nil
	}
	return 0, nil
}

// UntilIdle works jobs until none is due, then stops.
func (r *Runner) UntilIdle(ctx context.Context) error {
	if err := r.RequestBilling(ctx); err != nil {
		return fmt.Errorf("request billing: %w", err)
	}
	// Not ctx itself: its end (Ctrl-C) stops the workers gracefully below, not hard.
	if err := r.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	events, cancel := r.Client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	defer cancel()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		n, err := r.Due(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return r.Stop(ctx)
		}
		select {
		case <-ctx.Done():
			return r.Stop(context.Background())
		case <-events:
		case <-tick.C:
		}
	}
}
