package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/calendar"
)

// RemindArgs asks for the readings reminders of a day (empty: today in Riga).
type RemindArgs struct {
	Date string `json:"date,omitempty"`
}

func (RemindArgs) Kind() string { return "remind" }

// InsertOpts make the reminder run unique per day; the reminders themselves are unique per
// contract, window and kind in the database, so even a second run sends nothing twice.
func (RemindArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 24 * time.Hour}}
}

// RemindWorker queues the day's readings reminders.
type RemindWorker struct {
	river.WorkerDefaults[RemindArgs]
	App *app.App
}

func (w *RemindWorker) Work(ctx context.Context, job *river.Job[RemindArgs]) error {
	day := calendar.DateOf(w.App.Now())
	if job.Args.Date != "" {
		var err error
		if day, err = calendar.ParseDate(job.Args.Date); err != nil {
			return river.JobCancel(fmt.Errorf("remind job: %w", err))
		}
	}
	_, err := w.App.Remind(ctx, day)
	return err
}

// remindAt is when the reminders go out, Riga time.
var remindAt = Daily{Hour: 7}

func remindJob(a *app.App) *river.PeriodicJob {
	return river.NewPeriodicJob(remindAt, func() (river.JobArgs, *river.InsertOpts) {
		return RemindArgs{Date: calendar.DateOf(a.Now()).String()}, nil
	}, &river.PeriodicJobOpts{ID: "daily-reminders"})
}
